using Kuroco.Core.Monitoring;
using Kuroco.Core.Sla;

namespace Kuroco.Tests.Unit.Sla;

/// <summary>The SLA's availability maths: month bounds in the company's zone, the down-minute rule, maintenance, budget, credits.</summary>
public sealed class SlaCalculatorTests
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    // December 2026 in Tokyo: 2026-11-30 15:00 UTC to 2026-12-31 15:00 UTC.
    private static readonly DateTimeOffset DecemberStart = new(2026, 11, 30, 15, 0, 0, TimeSpan.Zero);

    private static IEnumerable<AvailabilityMinute> Up(DateTimeOffset from, int count) =>
        Enumerable.Range(0, count).Select(i => new AvailabilityMinute(from.AddMinutes(i), 4, 0, 0));

    private static SlaMonth December(DateTimeOffset now, IEnumerable<AvailabilityMinute> minutes, params SlaMaintenanceWindow[] maintenance) =>
        SlaCalculator.Compute(2026, 12, Tokyo, now, DecemberStart, minutes, maintenance, SlaTerms.Default);

    [Fact]
    public void A_31_day_month_in_tokyo_starts_at_15_00_utc_the_day_before_and_allows_44_64_minutes()
    {
        var month = December(DecemberStart.AddDays(31), Up(DecemberStart, 44_640));

        Assert.Equal(DecemberStart, month.StartUtc);
        Assert.Equal(DecemberStart.AddDays(31), month.EndUtc);
        Assert.Equal(44_640, month.MonthMinutes);
        Assert.Equal(44.64, month.BudgetMinutes, 6);
        Assert.Equal(100m, month.AvailabilityPercent);
        Assert.True(month.Complete);
        Assert.Equal(0m, month.CreditPercent);
    }

    [Fact]
    public void Forty_four_down_minutes_keep_99_9_and_forty_five_miss_it_with_a_ten_percent_credit()
    {
        var end = DecemberStart.AddDays(31);
        AvailabilityMinute Down(AvailabilityMinute m) => m with { AppDown = 4 };
        var met = December(end, Up(DecemberStart, 44_640).Select((m, i) => i < 44 ? Down(m) : m));
        var missed = December(end, Up(DecemberStart, 44_640).Select((m, i) => i < 45 ? Down(m) : m));

        Assert.Equal(44, met.DownMinutes);
        Assert.Equal(99.901m, met.AvailabilityPercent);
        Assert.True(met.MeetsTarget);
        Assert.Equal(0m, met.CreditPercent);
        Assert.Equal(45, missed.DownMinutes);
        Assert.Equal(99.899m, missed.AvailabilityPercent);
        Assert.False(missed.MeetsTarget);
        Assert.True(missed.BudgetLeftMinutes < 0);
        Assert.Equal(10m, missed.CreditPercent);
    }

    [Fact]
    public void A_minute_is_down_only_when_the_app_or_the_database_failed_the_majority_of_its_probes()
    {
        var now = DecemberStart.AddMinutes(4);
        var month = December(now,
        [
            new AvailabilityMinute(DecemberStart, 4, 2, 0),               // half: up
            new AvailabilityMinute(DecemberStart.AddMinutes(1), 4, 3, 0), // app majority: down
            new AvailabilityMinute(DecemberStart.AddMinutes(2), 4, 0, 3), // database majority: down
            new AvailabilityMinute(DecemberStart.AddMinutes(3), 3, 1, 1), // one each: up
        ]);

        Assert.Equal(4, month.CountedMinutes);
        Assert.Equal(2, month.DownMinutes);
        Assert.Equal(0, month.UnprobedMinutes);
    }

    [Fact]
    public void Silence_after_monitoring_started_is_downtime_and_minutes_before_it_are_not_counted()
    {
        var since = DecemberStart.AddDays(10);
        var now = since.AddMinutes(100);
        var minutes = Up(since, 90); // the last ten minutes have no probe: the app was not running

        var month = SlaCalculator.Compute(2026, 12, Tokyo, now, since, minutes, [], SlaTerms.Default);

        Assert.Equal(100, month.CountedMinutes);
        Assert.Equal(10, month.DownMinutes);
        Assert.Equal(10, month.UnprobedMinutes);
        Assert.Equal(90m, month.AvailabilityPercent);
        Assert.False(month.Complete);
        Assert.Null(month.CreditPercent);
    }

    [Fact]
    public void Maintenance_minutes_count_neither_as_up_nor_as_down_and_a_partly_covered_minute_is_excluded_whole()
    {
        var now = DecemberStart.AddMinutes(60);
        // Minutes 10..19 had no probe (a planned restart), announced as 10:00:30..19:30 after the month start.
        var minutes = Up(DecemberStart, 10).Concat(Up(DecemberStart.AddMinutes(20), 40));
        var window = new SlaMaintenanceWindow(DecemberStart.AddMinutes(10).AddSeconds(30), DecemberStart.AddMinutes(19).AddSeconds(30));

        var month = December(now, minutes, window);

        Assert.Equal(10, month.MaintenanceMinutes); // 10..19, both partly covered ends included
        Assert.Equal(50, month.CountedMinutes);
        Assert.Equal(0, month.DownMinutes);
        Assert.Equal(100m, month.AvailabilityPercent);
    }

    [Fact]
    public void A_minute_belongs_to_the_month_of_the_company_zone_not_of_utc()
    {
        // 2026-12-31 15:30 UTC is 2027-01-01 00:30 in Tokyo: January's downtime, not December's.
        var newYear = new DateTimeOffset(2026, 12, 31, 15, 30, 0, TimeSpan.Zero);
        var minutes = new[] { new AvailabilityMinute(newYear, 4, 4, 0) };
        var december = December(newYear.AddHours(1), Up(DecemberStart, 44_640).Concat(minutes));
        var january = SlaCalculator.Compute(2027, 1, Tokyo, newYear.AddMinutes(1), newYear.AddMinutes(-30), Up(newYear.AddMinutes(-30), 30).Concat(minutes), [], SlaTerms.Default);

        Assert.Equal(0, december.DownMinutes);
        Assert.Equal(1, january.DownMinutes);
        Assert.Equal((2027, 1), SlaCalculator.MonthOf(newYear, Tokyo));
        Assert.Equal((2026, 12), SlaCalculator.MonthOf(newYear.AddMinutes(-31), Tokyo));
    }

    [Fact]
    public void A_month_with_a_daylight_saving_change_has_its_real_length_and_budget()
    {
        var march = SlaCalculator.Compute(2026, 3, NewYork, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), null, [], [], SlaTerms.Default);
        var november = SlaCalculator.Compute(2026, 11, NewYork, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), null, [], [], SlaTerms.Default);

        Assert.Equal(31 * 1440 - 60, march.MonthMinutes);
        Assert.Equal(30 * 1440 + 60, november.MonthMinutes);
        Assert.Equal(44.58, march.BudgetMinutes, 6);
    }

    [Fact]
    public void The_forecast_assumes_the_rest_of_the_month_is_up_and_is_never_below_the_month_to_date()
    {
        var now = DecemberStart.AddDays(1);
        var minutes = Up(DecemberStart, 1440).Select((m, i) => i < 30 ? m with { DatabaseDown = 4 } : m);

        var month = December(now, minutes);

        Assert.Equal(1440, month.CountedMinutes);
        Assert.Equal(97.916m, month.AvailabilityPercent);
        Assert.Equal(99.932m, month.ForecastPercent); // 30 down minutes in 44,640
        Assert.True(month.ForecastPercent >= month.AvailabilityPercent);
        Assert.Equal(30 / 44.64, month.BudgetUsed, 6);
    }

    [Theory]
    [InlineData("99.95", "0")]
    [InlineData("99.9", "0")]
    [InlineData("99.899", "10")]
    [InlineData("99.0", "10")]
    [InlineData("98.5", "25")]
    [InlineData("94.9", "50")]
    public void The_credit_is_the_largest_tier_the_month_falls_below(string availability, string credit) =>
        Assert.Equal(decimal.Parse(credit, System.Globalization.CultureInfo.InvariantCulture),
            SlaCalculator.CreditFor(decimal.Parse(availability, System.Globalization.CultureInfo.InvariantCulture), SlaTerms.Default));
}
