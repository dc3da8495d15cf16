using Kuroco.Core.Staff;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Staff;

public sealed class StaffValidatorsTests
{
    private static CreateStaffRequest ValidCreate() => new()
    {
        Email = "editor@example.jp",
        DisplayName = "Editor",
        Roles = [StaffRoles.ContentEditor],
        TimeZoneId = "Asia/Tokyo",
    };

    [Fact]
    public void A_valid_create_request_passes()
    {
        Assert.True(new CreateStaffRequestValidator().Validate(ValidCreate()).IsValid);
    }

    public static TheoryData<string, Action<CreateStaffRequest>, string, string> InvalidCreates() => new()
    {
        { "empty email", r => r.Email = "", "Email", "Email is required." },
        { "malformed email", r => r.Email = "Editor <editor@example.jp>", "Email", "Enter a valid email address." },
        { "email with line break", r => r.Email = "editor@example.jp\r\nBcc: x@y.jp", "Email", "Enter a valid email address." },
        { "empty name", r => r.DisplayName = "", "DisplayName", "Name is required." },
        { "name too long", r => r.DisplayName = new string('n', StaffRules.DisplayNameMaxLength + 1), "DisplayName", "Name must be at most 100 characters." },
        { "name with line break", r => r.DisplayName = "Eve\nAdmin", "DisplayName", "Name may not contain line breaks." },
        { "no role", r => r.Roles = [], "Roles", "Choose at least one role." },
        { "unknown role", r => r.Roles = [StaffRoles.ContentEditor, "SuperUser"], "Roles", "Unknown role." },
        { "role in wrong case", r => r.Roles = ["administrator"], "Roles", "Unknown role." },
        { "unknown zone", r => r.TimeZoneId = "Mars/Olympus", "TimeZoneId", "Choose a valid time zone." },
        { "empty zone", r => r.TimeZoneId = "", "TimeZoneId", "Choose a valid time zone." },
    };

    [Theory]
    [MemberData(nameof(InvalidCreates))]
    public void An_invalid_create_request_names_the_field_and_the_rule(string why, Action<CreateStaffRequest> spoil, string property, string message)
    {
        var request = ValidCreate();
        spoil(request);
        using var culture = new CultureScope("en");

        var result = new CreateStaffRequestValidator().Validate(request);

        Assert.False(result.IsValid, why);
        Assert.Contains(result.Errors, e => e.PropertyName == property && e.ErrorMessage == message);
    }

    [Fact]
    public void A_name_of_exactly_the_maximum_length_passes()
    {
        var request = ValidCreate();
        request.DisplayName = new string('n', StaffRules.DisplayNameMaxLength);
        Assert.True(new CreateStaffRequestValidator().Validate(request).IsValid);
    }

    [Fact]
    public void Update_request_checks_name_roles_and_zone()
    {
        var validator = new UpdateStaffRequestValidator();
        Assert.True(validator.Validate(new UpdateStaffRequest { DisplayName = "Op", Roles = [StaffRoles.Operator], TimeZoneId = "UTC" }).IsValid);

        var result = validator.Validate(new UpdateStaffRequest { DisplayName = "", Roles = [], TimeZoneId = "Nowhere/Zone" });
        Assert.Equal(["DisplayName", "Roles", "TimeZoneId"], result.Errors.Select(e => e.PropertyName).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Profile_request_checks_name_and_zone()
    {
        var validator = new UpdateProfileRequestValidator();
        Assert.True(validator.Validate(new UpdateProfileRequest { DisplayName = "Me", TimeZoneId = "Europe/London" }).IsValid);

        var result = validator.Validate(new UpdateProfileRequest { DisplayName = "Me\u2028You", TimeZoneId = "Asia/Tokyo" });
        Assert.Equal("DisplayName", Assert.Single(result.Errors).PropertyName);
    }

    [Fact]
    public void Every_offered_time_zone_is_valid_on_this_machine()
    {
        Assert.All(StaffTimeZones.Common, zone => Assert.True(StaffTimeZones.IsValid(zone), zone));
    }

    [Fact]
    public void Validation_messages_are_japanese_under_ja_JP()
    {
        var request = ValidCreate();
        request.Roles = [];
        using var culture = new CultureScope("ja-JP");
        var result = new CreateStaffRequestValidator().Validate(request);
        Assert.Equal("ロールを1つ以上選択してください。", Assert.Single(result.Errors).ErrorMessage);
    }
}
