namespace Kuroco.Core.Backups;

/// <summary>What was wrong with a night's backup.</summary>
public enum BackupAlarmKind
{
    /// <summary>No backup started inside the window.</summary>
    Missing,

    /// <summary>Every backup started inside the window failed (or was interrupted).</summary>
    Failed,

    /// <summary>A backup started inside the window but finished (or was still running) after the window's end.</summary>
    Late,

    /// <summary>
    /// The backup was kept, but one of its storage targets failed (Backups:Storage=Both with S3 down): a failure of that
    /// store (<see cref="BackupAlarm.Stores"/> names it).
    /// </summary>
    StoreFailed,
}

/// <summary>How a backup run ended, as the alarm rule needs it.</summary>
public enum BackupAttemptState
{
    Running,
    Succeeded,
    Failed,

    /// <summary>Succeeded on some storage targets only; <see cref="BackupAttempt.FailedStores"/> names the others.</summary>
    Partial,
}

/// <summary>One backup run as the alarm rule sees it (any trigger: a manual run inside the window counts too).</summary>
public sealed record BackupAttempt(DateTimeOffset StartedAtUtc, DateTimeOffset? FinishedAtUtc, BackupAttemptState State, string? FailedStores = null);

/// <summary>
/// The nightly window in its zone. A window whose end is not after its start crosses midnight (e.g. 23:00–03:00): the
/// night is named by the date its window starts on.
/// </summary>
public sealed record BackupWindow(TimeOnly Start, TimeOnly End, TimeZoneInfo Zone)
{
    /// <summary>The window of the night starting on <paramref name="night"/> (a local date in <see cref="Zone"/>), in UTC.</summary>
    public (DateTimeOffset StartUtc, DateTimeOffset EndUtc) OfNight(DateOnly night)
    {
        var endDate = End > Start ? night : night.AddDays(1);
        return (ToUtc(night.ToDateTime(Start)), ToUtc(endDate.ToDateTime(End)));
    }

    /// <summary>A local time of the zone as UTC; a time skipped by a DST change is read as the first time after the gap.</summary>
    private DateTimeOffset ToUtc(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(15);
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(unspecified, Zone), TimeSpan.Zero);
    }
}

/// <summary>A night's alarm: which night (local start date of the window), what was wrong, and the window in UTC.</summary>
public sealed record BackupAlarm(DateOnly Night, BackupAlarmKind Kind, DateTimeOffset WindowStartUtc, DateTimeOffset WindowEndUtc, string? Stores = null);

/// <summary>
/// The rule of the backup alarm: after a night's window ended (plus a grace period), that night is checked: no successful
/// backup started inside the window is an alarm — "failed" when runs started in it and all failed, "missing" when none
/// started, "late" when one succeeded or is still running but not finished by the window's end, "store failed" when
/// one was kept in time but a storage target of it failed.
/// </summary>
public static class BackupAlarmRule
{
    /// <summary>How long after the window's end the night is checked (a run finishing right at the end is written by then).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    /// <summary>The latest night whose window (plus <see cref="Grace"/>) has ended at <paramref name="nowUtc"/>.</summary>
    public static DateOnly LastCheckableNight(BackupWindow window, DateTimeOffset nowUtc)
    {
        ArgumentNullException.ThrowIfNull(window);
        var localToday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(nowUtc, window.Zone).DateTime);
        for (var night = localToday; ; night = night.AddDays(-1))
        {
            if (window.OfNight(night).EndUtc + Grace <= nowUtc)
            {
                return night;
            }
        }
    }

    /// <summary>The alarm for <paramref name="night"/>, or null when a backup started in its window and finished inside it.</summary>
    public static BackupAlarm? Evaluate(BackupWindow window, DateOnly night, IEnumerable<BackupAttempt> attempts)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(attempts);
        var (startUtc, endUtc) = window.OfNight(night);
        var inWindow = attempts.Where(a => a.StartedAtUtc >= startUtc && a.StartedAtUtc < endUtc).ToList();
        if (inWindow.Any(a => a.State == BackupAttemptState.Succeeded && a.FinishedAtUtc is { } finished && finished <= endUtc))
        {
            return null;
        }
        if (inWindow.LastOrDefault(a => a.State == BackupAttemptState.Partial && a.FinishedAtUtc is { } done && done <= endUtc) is { } partial)
        {
            // Kept in time, but not everywhere it should be: that store's failure.
            return new BackupAlarm(night, BackupAlarmKind.StoreFailed, startUtc, endUtc, partial.FailedStores);
        }
        BackupAlarmKind kind;
        if (inWindow.Any(a => a.State is BackupAttemptState.Succeeded or BackupAttemptState.Running or BackupAttemptState.Partial))
        {
            kind = BackupAlarmKind.Late;
        }
        else
        {
            kind = inWindow.Count > 0 ? BackupAlarmKind.Failed : BackupAlarmKind.Missing;
        }
        return new BackupAlarm(night, kind, startUtc, endUtc);
    }
}
