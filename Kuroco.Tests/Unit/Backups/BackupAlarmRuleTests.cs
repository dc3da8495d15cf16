using Kuroco.Core.Backups;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Unit.Backups;

/// <summary>The backup alarm's rule: which night is checked when, and missing / failed / late / fine, in the window's zone.</summary>
public sealed class BackupAlarmRuleTests
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly BackupWindow Window = new(new TimeOnly(2, 0), new TimeOnly(6, 0), Tokyo);
    private static readonly DateOnly Night = new(2026, 12, 6);

    // 02:00–06:00 JST on 6 Dec is 17:00–21:00 UTC on 5 Dec.
    private static DateTimeOffset Utc(int day, int hour, int minute = 0) => new(2026, 12, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void The_window_is_converted_from_its_zone_so_the_utc_date_is_the_day_before()
    {
        var (start, end) = Window.OfNight(Night);
        Assert.Equal(Utc(5, 17), start);
        Assert.Equal(Utc(5, 21), end);
    }

    [Fact]
    public void A_night_becomes_checkable_only_five_minutes_after_its_window_ends_in_the_zone()
    {
        var clock = new FakeTimeProvider(Utc(5, 21, 4));
        // 06:04 JST on 6 Dec: the night of the 6th is not over yet, so the last checkable one is the 5th.
        Assert.Equal(Night.AddDays(-1), BackupAlarmRule.LastCheckableNight(Window, clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Night, BackupAlarmRule.LastCheckableNight(Window, clock.GetUtcNow()));
        // Just before local midnight (14:59 UTC on the 6th = 23:59 JST) it is still the 6th; after it, still the 6th until 06:05.
        clock.SetUtcNow(Utc(6, 15, 30));
        Assert.Equal(Night, BackupAlarmRule.LastCheckableNight(Window, clock.GetUtcNow()));
    }

    [Fact]
    public void A_backup_that_started_and_finished_inside_the_window_raises_nothing()
    {
        var attempts = new[] { new BackupAttempt(Utc(5, 17, 0), Utc(5, 17, 20), BackupAttemptState.Succeeded) };
        Assert.Null(BackupAlarmRule.Evaluate(Window, Night, attempts));
    }

    [Fact]
    public void No_run_in_the_window_is_missing_even_with_runs_just_outside_it()
    {
        var attempts = new[]
        {
            // 01:59 JST (before the window) and 06:00 JST (its end, exclusive) do not count.
            new BackupAttempt(Utc(5, 16, 59), Utc(5, 17, 10), BackupAttemptState.Succeeded),
            new BackupAttempt(Utc(5, 21, 0), Utc(5, 21, 3), BackupAttemptState.Succeeded),
        };
        var alarm = BackupAlarmRule.Evaluate(Window, Night, attempts);
        Assert.Equal(BackupAlarmKind.Missing, alarm?.Kind);
        Assert.Equal(Night, alarm?.Night);
    }

    [Fact]
    public void Only_failed_runs_in_the_window_is_failed()
    {
        var attempts = new[]
        {
            new BackupAttempt(Utc(5, 17, 0), Utc(5, 17, 1), BackupAttemptState.Failed),
            new BackupAttempt(Utc(5, 18, 0), null, BackupAttemptState.Failed),
        };
        Assert.Equal(BackupAlarmKind.Failed, BackupAlarmRule.Evaluate(Window, Night, attempts)?.Kind);
    }

    [Fact]
    public void A_failed_run_followed_by_a_good_one_inside_the_window_raises_nothing()
    {
        var attempts = new[]
        {
            new BackupAttempt(Utc(5, 17, 0), Utc(5, 17, 1), BackupAttemptState.Failed),
            new BackupAttempt(Utc(5, 17, 30), Utc(5, 18, 0), BackupAttemptState.Succeeded),
        };
        Assert.Null(BackupAlarmRule.Evaluate(Window, Night, attempts));
    }

    [Fact]
    public void Finishing_after_the_window_or_still_running_is_late()
    {
        var finishedLate = new[] { new BackupAttempt(Utc(5, 20, 30), Utc(5, 21).AddSeconds(1), BackupAttemptState.Succeeded) };
        Assert.Equal(BackupAlarmKind.Late, BackupAlarmRule.Evaluate(Window, Night, finishedLate)?.Kind);
        var atTheEnd = new[] { new BackupAttempt(Utc(5, 20, 30), Utc(5, 21, 0), BackupAttemptState.Succeeded) };
        Assert.Null(BackupAlarmRule.Evaluate(Window, Night, atTheEnd));
        var running = new[] { new BackupAttempt(Utc(5, 20, 30), null, BackupAttemptState.Running) };
        Assert.Equal(BackupAlarmKind.Late, BackupAlarmRule.Evaluate(Window, Night, running)?.Kind);
    }

    [Fact]
    public void A_window_across_midnight_is_named_by_its_start_date()
    {
        var window = new BackupWindow(new TimeOnly(23, 0), new TimeOnly(3, 0), Tokyo);
        var (start, end) = window.OfNight(Night);
        Assert.Equal(Utc(6, 14), start);
        Assert.Equal(Utc(6, 18), end);
        // 03:05 JST on the 7th: the night of the 6th is checkable.
        Assert.Equal(Night, BackupAlarmRule.LastCheckableNight(window, Utc(6, 18, 5)));
        Assert.Equal(Night.AddDays(-1), BackupAlarmRule.LastCheckableNight(window, Utc(6, 18, 4)));
        var attempts = new[] { new BackupAttempt(Utc(6, 15, 0), Utc(6, 15, 30), BackupAttemptState.Succeeded) };
        Assert.Null(BackupAlarmRule.Evaluate(window, Night, attempts));
    }

    [Fact]
    public void A_window_start_skipped_by_daylight_saving_begins_after_the_gap()
    {
        // Berlin springs forward at 02:00 → 03:00 on 29 March 2026: a 02:30–05:00 window starts at 03:00 CEST (01:00 UTC).
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var window = new BackupWindow(new TimeOnly(2, 30), new TimeOnly(5, 0), berlin);
        var (start, end) = window.OfNight(new DateOnly(2026, 3, 29));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 3, 0, 0, TimeSpan.Zero), end);
    }
}
