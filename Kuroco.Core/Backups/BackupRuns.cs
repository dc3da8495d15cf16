using FluentValidation;
using Kuroco.Core.Common;
using Kuroco.Core.Staff;

namespace Kuroco.Core.Backups;

/// <summary>Where a backup run is.</summary>
public enum BackupRunStatus
{
    /// <summary>Asked for ("Back up now"), waiting for a job worker.</summary>
    Queued,

    Running,

    Succeeded,

    Failed,

    /// <summary>The process running it died (no progress for <see cref="BackupRunInfo.StaleAfter"/>), or it never started.</summary>
    Interrupted,
}

/// <summary>
/// One backup run as recorded in the BackupRuns table. <see cref="Step"/> and <see cref="Fraction"/> are the last
/// progress reported (see <see cref="BackupProgress"/>); <see cref="ErrorCode"/> is "verification", "error", "cancelled",
/// "interrupted", ...; <see cref="ErrorMessage"/> the (English) detail for operators.
/// </summary>
public sealed record BackupRunInfo(
    Guid Id,
    BackupTrigger Trigger,
    BackupRunStatus Status,
    DateTime QueuedAtUtc,
    DateTime? StartedAtUtc,
    DateTime? FinishedAtUtc,
    string? GenerationId,
    string? ErrorCode,
    string? ErrorMessage,
    string? Step,
    double Fraction,
    string? RequestedBy)
{
    /// <summary>A running run without a heartbeat for this long is shown as interrupted.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    /// <summary>A queued run not picked up by a job worker for this long is shown as interrupted.</summary>
    public static readonly TimeSpan QueuedStaleAfter = TimeSpan.FromMinutes(30);

    public TimeSpan? Duration => StartedAtUtc is { } start && FinishedAtUtc is { } end ? end - start : null;

    public bool IsActive => Status is BackupRunStatus.Queued or BackupRunStatus.Running;
}

/// <summary>"Back up now": records a run (trigger Manual) and queues the backup job.</summary>
public interface IBackupRunner
{
    /// <summary>The new run's id; <see cref="ErrorKind.Conflict"/> when a backup is queued or running. Audited (backup.requested).</summary>
    Task<Result<Guid>> StartNowAsync(CancellationToken cancellationToken);
}

/// <summary>Reads recorded backup runs.</summary>
public interface IBackupRunReader
{
    /// <summary>The newest <paramref name="count"/> runs, newest first.</summary>
    Task<IReadOnlyList<BackupRunInfo>> RecentAsync(int count, CancellationToken cancellationToken);

    Task<BackupRunInfo?> GetAsync(Guid runId, CancellationToken cancellationToken);
}

/// <summary>The editable schedule of the nightly backup and the retention (storage targets stay in configuration).</summary>
public sealed class BackupSettings
{
    public const int MinRetention = 1;
    public const int MaxRetention = 365;

    /// <summary>Local time the nightly backup starts.</summary>
    public TimeOnly WindowStart { get; set; } = new(2, 0);

    /// <summary>Local time it must have finished by (a run finishing later is "late"). May be past midnight (before the start).</summary>
    public TimeOnly WindowEnd { get; set; } = new(6, 0);

    public string TimeZoneId { get; set; } = StaffTimeZones.Default;

    /// <summary>Generations kept.</summary>
    public int Retention { get; set; } = 5;

    public BackupSettings Clone() => (BackupSettings)MemberwiseClone();

    /// <summary>Whether a run that finished at <paramref name="finishedAtUtc"/> finished after the window that started before it.</summary>
    public bool FinishedLate(DateTime startedAtUtc, DateTime finishedAtUtc)
    {
        var zone = StaffTimeZones.Find(TimeZoneId);
        var start = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(startedAtUtc, DateTimeKind.Utc), zone);
        var windowStart = start.Date + WindowStart.ToTimeSpan();
        if (windowStart > start)
        {
            windowStart = windowStart.AddDays(-1);
        }
        var windowEnd = windowStart.Date + WindowEnd.ToTimeSpan();
        if (windowEnd <= windowStart)
        {
            windowEnd = windowEnd.AddDays(1);
        }
        var end = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(finishedAtUtc, DateTimeKind.Utc), zone);
        return end > windowEnd;
    }
}

public sealed class BackupSettingsValidator : AbstractValidator<BackupSettings>
{
    public BackupSettingsValidator()
    {
        RuleFor(s => s.Retention).InclusiveBetween(BackupSettings.MinRetention, BackupSettings.MaxRetention)
            .WithMessage(_ => BackupMessages.Format("Settings.RetentionRange", BackupSettings.MinRetention, BackupSettings.MaxRetention));
        RuleFor(s => s.WindowEnd).NotEqual(s => s.WindowStart)
            .WithMessage(_ => BackupMessages.Get("Settings.WindowEmpty"));
        RuleFor(s => s.TimeZoneId).Must(StaffTimeZones.IsValid)
            .WithMessage(_ => BackupMessages.Get("Settings.TimeZoneUnknown"));
    }
}

/// <summary>The stored backup settings (defaults from configuration "Backups:*" until saved once).</summary>
public interface IBackupSettingsStore
{
    ValueTask<BackupSettings> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Validates, stores, re-schedules the nightly job in the new zone and time, and writes backup.settings-changed.</summary>
    Task<Result> SaveAsync(BackupSettings settings, CancellationToken cancellationToken = default);
}
