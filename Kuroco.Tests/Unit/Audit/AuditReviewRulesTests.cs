using Kuroco.Core.Audit.Review;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Audit;

public sealed class AuditReviewRulesTests
{
    private static readonly DateTime T0 = new(2026, 9, 1, 1, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_burst_needs_the_threshold_within_the_window_and_merges_overlapping_windows()
    {
        var events = new List<(string, long, DateTime)>();
        // a: 5 within 8 minutes, then 3 more a minute apart (still overlapping): one burst of 8.
        for (var i = 0; i < 8; i++)
        {
            events.Add(("a", i + 1, T0.AddMinutes(i * 2)));
        }
        // b: 5 events, 3 minutes apart: 12 minutes from first to last, never 5 within 10 minutes.
        for (var i = 0; i < 5; i++)
        {
            events.Add(("b", 100 + i, T0.AddMinutes(i * 3)));
        }
        // c: two separate bursts an hour apart.
        for (var i = 0; i < 5; i++)
        {
            events.Add(("c", 200 + i, T0.AddMinutes(i)));
            events.Add(("C", 300 + i, T0.AddHours(1).AddMinutes(i)));
        }

        var bursts = AuditReviewRules.FindBursts(events, 5, TimeSpan.FromMinutes(10));

        var a = Assert.Single(bursts, b => b.Key == "a");
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], a.Sequences);
        Assert.DoesNotContain(bursts, b => b.Key == "b");
        Assert.Equal(2, bursts.Count(b => b.Key.Equals("c", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void Business_hours_are_read_in_the_company_zone_on_working_days()
    {
        var settings = AuditReviewSettings.Default;
        var tokyo = settings.Zone;
        Assert.True(settings.IsBusinessTime(new DateTime(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc), tokyo));   // Tue 09:00
        Assert.False(settings.IsBusinessTime(new DateTime(2026, 9, 1, 11, 0, 0, DateTimeKind.Utc), tokyo));  // Tue 20:00
        Assert.True(settings.IsBusinessTime(new DateTime(2026, 9, 1, 10, 59, 0, DateTimeKind.Utc), tokyo));  // Tue 19:59
        Assert.False(settings.IsBusinessTime(new DateTime(2026, 8, 31, 22, 59, 0, DateTimeKind.Utc), tokyo)); // Tue 07:59
        Assert.False(settings.IsBusinessTime(new DateTime(2026, 9, 5, 1, 0, 0, DateTimeKind.Utc), tokyo));   // Sat 10:00
    }

    [Fact]
    public void Settings_out_of_range_are_refused_with_a_localized_message()
    {
        var validator = new AuditReviewSettingsValidator();
        Assert.True(validator.Validate(AuditReviewSettings.Default).IsValid);
        var bad = AuditReviewSettings.Default;
        bad.FailedSignInThreshold = 1;
        bad.OverdueDays = 0;
        bad.BusinessStartMinutes = 20 * 60;
        bad.BusinessEndMinutes = 8 * 60;
        bad.BusinessDays = [];
        bad.TimeZoneId = "Mars/Olympus";
        using (new CultureScope("ja-JP"))
        {
            var result = validator.Validate(bad);
            Assert.Equal(
                ["BusinessDays", "BusinessEndMinutes", "FailedSignInThreshold", "OverdueDays", "TimeZoneId"],
                result.Errors.Select(e => e.PropertyName).Distinct().Order(StringComparer.Ordinal));
            Assert.Contains(result.Errors, e => e.ErrorMessage.Contains("サインイン失敗", StringComparison.Ordinal));
        }
    }
}
