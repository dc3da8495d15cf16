using Kuroco.Core.Incidents;
using Kuroco.Core.Monitoring;
using Kuroco.Core.Sla;
using Kuroco.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Unit.Sla;

/// <summary>Days in the company's zone by the same minute rule as the months, and the settings' and windows' validation rules.</summary>
public sealed class SlaDaysAndRulesTests
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public void Days_are_cut_at_local_midnight_and_count_down_unprobed_and_maintenance_minutes_like_the_months()
    {
        // 1 and 2 December in Tokyo: 2026-11-30 15:00 UTC to 2026-12-02 15:00 UTC. Monitoring from 1 Dec 12:00 JST.
        var start = new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero);
        var since = start.AddHours(12);
        var minutes = Enumerable.Range(0, 2880).Where(i => i >= 720 && !(i >= 1500 && i < 1510)) // 10 silent minutes on day 2
            .Select(i => new AvailabilityMinute(start.AddMinutes(i), 4, i is >= 800 and < 803 ? 3 : 0, 0)) // 3 down on day 1
            .ToList();
        SlaMaintenanceWindow[] maintenance = [new(start.AddMinutes(1600).AddSeconds(30), start.AddMinutes(1620))]; // 20 minutes, any overlap
        var now = start.AddHours(36); // 2 Dec 12:00 JST

        var days = SlaCalculator.ComputeDays(new DateOnly(2026, 12, 1), 3, Tokyo, now, since, minutes, maintenance);

        Assert.Equal([new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 2), new DateOnly(2026, 12, 3)], days.Select(d => d.Date));
        Assert.Equal(new SlaDay(new DateOnly(2026, 12, 1), 720, 3, 0, 99.583m), days[0]);
        Assert.Equal(new SlaDay(new DateOnly(2026, 12, 2), 700, 10, 20, 98.571m), days[1]);
        Assert.Equal(new SlaDay(new DateOnly(2026, 12, 3), 0, 0, 0, 100m), days[2]); // not begun: nothing counted
    }

    [Fact]
    public void A_day_across_a_dst_change_has_its_real_length()
    {
        var day = new DateOnly(2026, 3, 8); // New York springs forward: 23 hours
        var (start, end) = SlaCalculator.DayBounds(day, NewYork);
        var minutes = Enumerable.Range(0, 23 * 60).Select(i => new AvailabilityMinute(start.AddMinutes(i), 4, 0, 0));

        var result = Assert.Single(SlaCalculator.ComputeDays(day, 1, NewYork, end, start, minutes, []));

        Assert.Equal(23 * 60, (int)(end - start).TotalMinutes);
        Assert.Equal((1380, 0, 100m), (result.CountedMinutes, result.DownMinutes, result.AvailabilityPercent));
        Assert.Equal(day, SlaCalculator.DayOf(start, NewYork));
    }

    [Fact]
    public void Settings_refuse_a_target_outside_90_to_99_999_unordered_tiers_and_an_unknown_zone_with_localized_messages()
    {
        using var culture = new CultureScope("ja");
        var validator = new SlaSettingsValidator();
        Assert.True(validator.Validate(new SlaSettings()).IsValid);
        Assert.True(validator.Validate(new SlaSettings { TargetPercent = 99.999m, CreditTiers = [] }).IsValid);

        var result = validator.Validate(new SlaSettings
        {
            TargetPercent = 99.9999m,
            CreditTiers = [new(99.9m, 10m), new(99.9m, 25m)],
            CompanyTimeZone = "Tokyo",
        });

        Assert.Equal(["TargetPercent", "CreditTiers", "CompanyTimeZone"], result.Errors.Select(e => e.PropertyName));
        Assert.Equal("目標値は 90 %〜99.999 % の範囲で入力してください。", result.Errors[0].ErrorMessage);
        Assert.False(validator.Validate(new SlaSettings { TargetPercent = 89.9m }).IsValid);
        Assert.False(validator.Validate(new SlaSettings { CreditTiers = [new(99.9m, 25m), new(99m, 10m)] }).IsValid); // credits must rise
        Assert.False(validator.Validate(new SlaSettings { CreditTiers = [new(99.9m, 101m)] }).IsValid);
    }

    [Fact]
    public void A_window_needs_both_titles_on_one_line_an_end_after_its_start_within_a_week_and_a_year_ahead()
    {
        var now = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
        var validator = new MaintenanceWindowRequestValidator(new FakeTimeProvider(now));
        var ok = new MaintenanceWindowRequest(now.AddDays(1).UtcDateTime, now.AddDays(1).AddHours(2).UtcDateTime, "Upgrade", "更新", "", "", [StatusComponents.Console]);
        Assert.True(validator.Validate(ok).IsValid);

        static string Fields(FluentValidation.Results.ValidationResult r) => string.Join(",", r.Errors.Select(e => e.PropertyName));
        Assert.Equal("TitleEn,TitleJa", Fields(validator.Validate(ok with { TitleEn = "", TitleJa = "更新\n" })));
        Assert.Equal("TitleEn", Fields(validator.Validate(ok with { TitleEn = new string('x', SlaLimits.TitleMaxLength + 1) })));
        Assert.Equal("EndUtc", Fields(validator.Validate(ok with { EndUtc = ok.StartUtc })));
        Assert.Equal("EndUtc", Fields(validator.Validate(ok with { EndUtc = ok.StartUtc.AddDays(7).AddMinutes(1) })));
        Assert.Equal("StartUtc", Fields(validator.Validate(ok with { StartUtc = now.AddDays(367).UtcDateTime, EndUtc = now.AddDays(367).AddHours(1).UtcDateTime })));
        Assert.Equal("Components", Fields(validator.Validate(ok with { Components = ["console", "db01"] })));
    }
}
