using System.Globalization;
using Kuroco.Admin.Audit;
using Kuroco.Core.Audit;

namespace Kuroco.Tests.Unit.Audit;

public sealed class AuditFilterTests
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    [Theory]
    // 2026-03-01 20:00 UTC is 2 March 05:00 in Tokyo: "today" is the 2nd there.
    [InlineData("today", "2026-03-01T15:00:00", "2026-03-02T15:00:00")]
    [InlineData("yesterday", "2026-02-28T15:00:00", "2026-03-01T15:00:00")]
    [InlineData("last7", "2026-02-23T15:00:00", "2026-03-02T15:00:00")]
    [InlineData("last30", "2026-01-31T15:00:00", "2026-03-02T15:00:00")]
    [InlineData("thismonth", "2026-02-28T15:00:00", "2026-03-02T15:00:00")]
    [InlineData("lastmonth", "2026-01-31T15:00:00", "2026-02-28T15:00:00")]
    public void Presets_are_days_of_the_viewers_zone(string preset, string fromUtc, string toUtc)
    {
        var (filter, result) = AuditFilter.Read(new AuditFilterInput { Preset = preset });
        Assert.True(result.IsValid);

        var query = filter!.ToQuery(Tokyo, new DateTime(2026, 3, 1, 20, 0, 0, DateTimeKind.Utc));

        Assert.Equal(DateTime.Parse(fromUtc, CultureInfo.InvariantCulture), query.FromUtc);
        Assert.Equal(DateTime.Parse(toUtc, CultureInfo.InvariantCulture), query.ToUtc);
        Assert.Equal($"?preset={preset}", filter.ToQueryString());
    }

    [Fact]
    public void Every_filter_round_trips_through_the_query_string()
    {
        var (filter, result) = AuditFilter.Read(new AuditFilterInput
        {
            Text = " 田中 ", From = "2026-01-05", To = "2026-01-06", User = "a@x.jp", Role = "SecurityOfficer",
            Actions = ["staff.updated", "auth.sign-in"], EntityType = "Staff", EntityId = "s 1", Ip = "203.0.113.0/24", Outcome = "failure",
        });
        Assert.True(result.IsValid);
        Assert.Equal(
            "?q=%E7%94%B0%E4%B8%AD&from=2026-01-05&to=2026-01-06&user=a%40x.jp&role=SecurityOfficer&action=auth.sign-in&action=staff.updated&entity=Staff&entityId=s%201&ip=203.0.113.0%2F24&outcome=Failure",
            filter!.ToQueryString());
        var query = filter.ToQuery(Tokyo, DateTime.UtcNow);
        Assert.Equal(new DateTime(2026, 1, 4, 15, 0, 0, DateTimeKind.Utc), query.FromUtc);
        Assert.Equal(new DateTime(2026, 1, 6, 15, 0, 0, DateTimeKind.Utc), query.ToUtc);
        Assert.Equal(["auth.sign-in", "staff.updated"], query.AllActions);
        Assert.Equal("203.0.113.0/24", query.Address?.ToString());
        Assert.Equal(AuditOutcome.Failure, query.Outcome);
    }

    [Theory]
    [InlineData("Ip", "10.0.0.300")]
    [InlineData("Ip", "10.1")]
    [InlineData("Ip", "2001:db8::/129")]
    [InlineData("From", "2026-02-30")]
    [InlineData("Outcome", "1")]
    [InlineData("Preset", "lastyear")]
    public void Bad_values_are_errors_never_ignored(string property, string value)
    {
        var input = property switch
        {
            "Ip" => new AuditFilterInput { Ip = value },
            "From" => new AuditFilterInput { From = value },
            "Outcome" => new AuditFilterInput { Outcome = value },
            _ => new AuditFilterInput { Preset = value },
        };
        var (filter, result) = AuditFilter.Read(input);
        Assert.Null(filter);
        Assert.Contains(result.Errors, e => e.PropertyName == property);
    }

    [Fact]
    public void A_reversed_range_and_a_bad_address_are_explained_in_Japanese()
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("ja-JP");
        try
        {
            var (_, result) = AuditFilter.Read(new AuditFilterInput { From = "2026-02-02", To = "2026-02-01", Ip = "nonsense" });
            Assert.Contains(result.Errors, e => e.PropertyName == "To" && e.ErrorMessage == "終了日が開始日より前です。");
            Assert.Contains(result.Errors, e => e.PropertyName == "Ip" && e.ErrorMessage.StartsWith("有効なIPアドレスまたはCIDR範囲ではありません", StringComparison.Ordinal));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Theory]
    [InlineData("192.0.2.77/24", "192.0.2.0/24")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("2001:DB8:0:0::/32", "2001:db8::/32")]
    public void Addresses_and_blocks_are_read_with_host_bits_cleared(string text, string expected)
    {
        Assert.True(AuditAddressRange.TryParse(text, out var range));
        Assert.Equal(expected, range!.ToString());
    }
}
