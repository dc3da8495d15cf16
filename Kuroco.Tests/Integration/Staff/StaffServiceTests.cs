using System.Globalization;
using System.Net;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuroco.Tests.Integration.Staff;

/// <summary>IStaffService through the real app: real Identity, SQLite, audit log and sign-in form.</summary>
public sealed class StaffServiceTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private const string GenericSignInError = "Invalid email or password.";

    [Fact]
    public async Task Create_writes_an_audit_entry_with_before_and_after_values_and_no_secret()
    {
        UseEnglish();
        const string email = "ann.audit@test.local";
        var created = await ServiceAsync(s => s.CreateAsync(new CreateStaffRequest
        {
            Email = email,
            DisplayName = "Ann Audit",
            Roles = [StaffRoles.SupportStaff, StaffRoles.ContentEditor],
            TimeZoneId = "Europe/Berlin",
        }));
        Assert.True(created.TryGetValue(out var account), created.Message);
        Assert.False(string.IsNullOrEmpty(account.UserId));
        Assert.False(string.IsNullOrEmpty(account.OneTimePassword));

        var entry = Assert.Single(await AuditAsync(AuditActions.StaffCreated, account.UserId));
        Assert.Equal("Staff", entry.EntityType);
        Assert.Equal(AuditOutcome.Success, entry.Outcome);
        var changes = AuditChanges.Deserialize(entry.Changes).ToDictionary(c => c.Field);
        Assert.Equal(new FieldChange("Email", null, email), changes["Email"]);
        Assert.Equal(new FieldChange("DisplayName", null, "Ann Audit"), changes["DisplayName"]);
        Assert.Equal(new FieldChange("Roles", null, "ContentEditor,SupportStaff"), changes["Roles"]);
        Assert.Equal(new FieldChange("TimeZoneId", null, "Europe/Berlin"), changes["TimeZoneId"]);
        Assert.DoesNotContain(changes.Keys, AuditChanges.IsSecret);

        // The one-time password is nowhere in the log, nor is the password hash or security stamp.
        var secrets = await factory.WithScopeAsync(async sp =>
        {
            var user = await sp.GetRequiredService<UserManager<StaffUser>>().FindByIdAsync(account.UserId);
            return new[] { account.OneTimePassword, user!.PasswordHash!, user.SecurityStamp! };
        });
        var everything = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().SearchAsync(new AuditQuery(PageSize: AuditQuery.MaxPageSize)));
        foreach (var logged in everything.Items)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, AuditText.English(logged) + logged.Changes, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Disable_ends_the_users_sessions_and_refuses_sign_in_with_the_generic_message()
    {
        UseEnglish();
        const string email = "dan.disabled@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/content")).StatusCode);
        var stampBefore = await StampAsync(id);

        var result = await ServiceAsync(s => s.SetEnabledAsync(id, false));

        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        Assert.NotEqual(stampBefore, await StampAsync(id));
        Assert.False((await ServiceAsync(s => s.GetAsync(id)))!.IsEnabled);

        // The open session's cookie fails its next stamp check (normally within a minute; here at once).
        var stampOptions = factory.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value;
        var interval = stampOptions.ValidationInterval;
        stampOptions.ValidationInterval = TimeSpan.Zero;
        try
        {
            var after = await client.GetAsync("/content");
            Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
            Assert.StartsWith("/account/login", KurocoAppFactory.LocationPath(after));
        }
        finally
        {
            stampOptions.ValidationInterval = interval;
        }

        var again = await KurocoAppFactory.PostLoginAsync(factory.CreateBrowserLikeClient(), email, KurocoAppFactory.StaffPassword);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains(GenericSignInError, await again.Content.ReadAsStringAsync());
        Assert.DoesNotContain(again.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("Kuroco.Auth=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));

        var entry = Assert.Single(await AuditAsync(AuditActions.StaffDisabled, id));
        Assert.Equal([new FieldChange("IsEnabled", "true", "false")], AuditChanges.Deserialize(entry.Changes));
    }

    [Fact]
    public async Task Unlock_resets_the_lockout_and_is_audited()
    {
        UseEnglish();
        const string email = "lou.locked@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.SupportStaff);
        var client = factory.CreateBrowserLikeClient();
        for (var i = 0; i < 5; i++)
        {
            await KurocoAppFactory.PostLoginAsync(client, email, "Wrong-Passw0rd!x");
        }
        Assert.True(await LockedOutAsync(id));
        Assert.True((await ServiceAsync(s => s.GetAsync(id)))!.IsLockedOut);
        var refused = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword);
        Assert.Contains(GenericSignInError, await refused.Content.ReadAsStringAsync());

        var result = await ServiceAsync(s => s.UnlockAsync(id));

        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        Assert.False(await LockedOutAsync(id));
        Assert.Equal(0, await factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StaffUser>>();
            return await users.GetAccessFailedCountAsync((await users.FindByIdAsync(id))!);
        }));
        var change = Assert.Single(AuditChanges.Deserialize(Assert.Single(await AuditAsync(AuditActions.StaffUnlocked, id)).Changes));
        Assert.Equal("LockoutEnd", change.Field);
        Assert.NotNull(change.Before);
        Assert.Null(change.After);

        var signIn = await KurocoAppFactory.PostLoginAsync(factory.CreateBrowserLikeClient(), email, KurocoAppFactory.StaffPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", KurocoAppFactory.LocationPath(signIn));
    }

    [Fact]
    public async Task Forcing_a_password_change_sends_the_next_sign_in_to_the_change_password_page()
    {
        UseEnglish();
        const string email = "fay.forced@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.Operator);
        var first = await KurocoAppFactory.PostLoginAsync(factory.CreateBrowserLikeClient(), email, KurocoAppFactory.StaffPassword);
        Assert.Equal("/", KurocoAppFactory.LocationPath(first));
        var stampBefore = await StampAsync(id);

        var result = await ServiceAsync(s => s.ForcePasswordChangeAsync(id));

        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        Assert.NotEqual(stampBefore, await StampAsync(id));
        var client = factory.CreateBrowserLikeClient();
        var next = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword);
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/account/change-password", KurocoAppFactory.LocationPath(next));
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/account/change-password", KurocoAppFactory.LocationPath(home));
        // Only the field is checked: AuditChanges masks any field whose name contains "password", this flag included.
        Assert.Equal("MustChangePassword",
            Assert.Single(AuditChanges.Deserialize(Assert.Single(await AuditAsync(AuditActions.StaffPasswordChangeForced, id)).Changes)).Field);
    }

    [Theory]
    [InlineData("ivy.crlf@test.local", "Ivy\r\nBcc: everyone@test.local", "ContentEditor", "Asia/Tokyo", "Name may not contain line breaks.")]
    [InlineData("ivy.lf@test.local", "Ivy\nX", "ContentEditor", "Asia/Tokyo", "Name may not contain line breaks.")]
    [InlineData("ivy.role@test.local", "Ivy", "Superuser", "Asia/Tokyo", "Unknown role.")]
    [InlineData("ivy.noroles@test.local", "Ivy", "", "Asia/Tokyo", "Choose at least one role.")]
    [InlineData("not-an-email", "Ivy", "ContentEditor", "Asia/Tokyo", "Enter a valid email address.")]
    [InlineData("Ivy <ivy.display@test.local>", "Ivy", "ContentEditor", "Asia/Tokyo", "Enter a valid email address.")]
    [InlineData("ivy.header@test.local\r\nBcc: x@test.local", "Ivy", "ContentEditor", "Asia/Tokyo", "Enter a valid email address.")]
    [InlineData("ivy.zone@test.local", "Ivy", "ContentEditor", "Mars/Olympus_Mons", "Choose a valid time zone.")]
    public async Task Create_with_bad_input_returns_the_error_and_changes_nothing(string email, string name, string roles, string zone, string error)
    {
        UseEnglish();
        var usersBefore = await CountUsersAsync();
        var auditBefore = await CountAuditAsync();

        var created = await ServiceAsync(s => s.CreateAsync(new CreateStaffRequest
        {
            Email = email,
            DisplayName = name,
            Roles = [.. roles.Split(',', StringSplitOptions.RemoveEmptyEntries)],
            TimeZoneId = zone,
        }));

        Assert.Equal(ErrorKind.Validation, created.Error);
        Assert.Contains(error, created.Errors);
        Assert.Null(created.Value);
        Assert.Equal(usersBefore, await CountUsersAsync());
        Assert.Equal(auditBefore, await CountAuditAsync());
    }

    [Theory]
    [InlineData("Gus\r\nGus", "SupportStaff", "Name may not contain line breaks.")]
    [InlineData("Gus\u2028Gus", "SupportStaff", "Name may not contain line breaks.")]
    [InlineData("Gus", "SupportStaff,Root", "Unknown role.")]
    [InlineData("", "SupportStaff", "Name is required.")]
    public async Task Update_with_bad_input_returns_the_error_and_changes_nothing(string name, string roles, string error)
    {
        UseEnglish();
        var id = await factory.CreateStaffAsync($"gus.{Guid.NewGuid():N}@test.local", StaffRoles.ContentEditor);
        var before = await ServiceAsync(s => s.GetAsync(id));
        var stampBefore = await StampAsync(id);
        var auditBefore = await CountAuditAsync();

        var result = await ServiceAsync(s => s.UpdateAsync(id, new UpdateStaffRequest
        {
            DisplayName = name,
            Roles = [.. roles.Split(',')],
            TimeZoneId = "UTC",
        }));

        Assert.Equal(ErrorKind.Validation, result.Error);
        Assert.Contains(error, result.Errors);
        var after = await ServiceAsync(s => s.GetAsync(id));
        Assert.Equal(before!.DisplayName, after!.DisplayName);
        Assert.Equal(before.TimeZoneId, after.TimeZoneId);
        Assert.Equal(before.Roles, after.Roles);
        Assert.Equal(stampBefore, await StampAsync(id));
        Assert.Equal(auditBefore, await CountAuditAsync());

        var profile = await ServiceAsync(s => s.UpdateProfileAsync(id, new UpdateProfileRequest { DisplayName = "Gus\r\nGus", TimeZoneId = "UTC" }));
        Assert.False(profile.Succeeded);
        Assert.Equal(before.TimeZoneId, (await ServiceAsync(s => s.GetAsync(id)))!.TimeZoneId);
    }

    [Fact]
    public async Task Each_refusal_has_its_kind_taken_email_unknown_account_invalid_field_and_disabling_oneself()
    {
        UseEnglish();
        var email = $"kim.{Guid.NewGuid():N}@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);

        var taken = await ServiceAsync(s => s.CreateAsync(new CreateStaffRequest
        {
            Email = email,
            DisplayName = "Kim again",
            Roles = [StaffRoles.ContentEditor],
            TimeZoneId = "UTC",
        }));
        Assert.Equal(ErrorKind.Conflict, taken.Error);
        Assert.Equal(ErrorKind.NotFound, (await ServiceAsync(s => s.UnlockAsync(Guid.NewGuid().ToString()))).Error);

        var invalid = await ServiceAsync(s => s.UpdateAsync(id, new UpdateStaffRequest { DisplayName = "", Roles = [StaffRoles.ContentEditor], TimeZoneId = "UTC" }));
        Assert.Equal(ErrorKind.Validation, invalid.Error);
        Assert.Equal(nameof(UpdateStaffRequest.DisplayName), Assert.Single(invalid.FieldErrors).Field);

        var self = await factory.WithScopeAsync(sp => ActivatorUtilities
            .CreateInstance<Kuroco.Infrastructure.Staff.StaffService>(sp, (IAuditContext)new SignedInAs(new AuditActor(id, email, [StaffRoles.ContentEditor])))
            .SetEnabledAsync(id, enabled: false));
        Assert.Equal(ErrorKind.Forbidden, self.Error);
        Assert.True((await ServiceAsync(s => s.GetAsync(id)))!.IsEnabled);
    }

    [Fact]
    public async Task A_role_change_is_audited_with_before_and_after_and_ends_the_users_sessions()
    {
        UseEnglish();
        var id = await factory.CreateStaffAsync("rae.roles@test.local", StaffRoles.ContentEditor);
        var stampBefore = await StampAsync(id);

        var result = await ServiceAsync(s => s.UpdateAsync(id, new UpdateStaffRequest
        {
            DisplayName = "Rae Roles",
            Roles = [StaffRoles.Operator, StaffRoles.ContentEditor],
            TimeZoneId = "UTC",
        }));

        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        Assert.NotEqual(stampBefore, await StampAsync(id));
        var changes = AuditChanges.Deserialize(Assert.Single(await AuditAsync(AuditActions.StaffRolesChanged, id)).Changes).ToDictionary(c => c.Field);
        Assert.Equal(new FieldChange("Roles", "ContentEditor", "ContentEditor,Operator"), changes["Roles"]);
        Assert.Equal(new FieldChange("DisplayName", "rae.roles", "Rae Roles"), changes["DisplayName"]);
        Assert.Equal(new FieldChange("TimeZoneId", StaffTimeZones.Default, "UTC"), changes["TimeZoneId"]);
    }

    private static void UseEnglish() => CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");

    private Task<T> ServiceAsync<T>(Func<IStaffService, Task<T>> action) =>
        factory.WithScopeAsync(sp => action(sp.GetRequiredService<IStaffService>()));

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync(string action, string entityId)
    {
        var page = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>()
            .SearchAsync(new AuditQuery(Action: action, PageSize: AuditQuery.MaxPageSize)));
        return [.. page.Items.Where(e => e.EntityId == entityId)];
    }

    private Task<int> CountAuditAsync() => factory.WithScopeAsync(async sp =>
        (await sp.GetRequiredService<IAuditReader>().SearchAsync(new AuditQuery(PageSize: 1))).TotalCount);

    private Task<int> CountUsersAsync() => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<UserManager<StaffUser>>().Users.CountAsync());

    private Task<string> StampAsync(string id) => factory.WithScopeAsync(async sp =>
    {
        var users = sp.GetRequiredService<UserManager<StaffUser>>();
        return await users.GetSecurityStampAsync((await users.FindByIdAsync(id))!);
    });

    private Task<bool> LockedOutAsync(string id) => factory.WithScopeAsync(async sp =>
    {
        var users = sp.GetRequiredService<UserManager<StaffUser>>();
        return await users.IsLockedOutAsync((await users.FindByIdAsync(id))!);
    });

    /// <summary>Who the service sees as the current user.</summary>
    private sealed class SignedInAs(AuditActor actor) : IAuditContext
    {
        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(actor);

        public AuditOrigin GetOrigin() => AuditOrigin.None;
    }
}
