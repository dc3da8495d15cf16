using System.Globalization;
using Kuroco.Core.Audit;
using Hangfire;
using Kuroco.Core.Backups;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Backups.Alarm;

/// <summary>
/// After the backup window (its end + <see cref="BackupAlarmRule.Grace"/>, in the backup zone): checks the night that just
/// ended with <see cref="BackupAlarmRule"/>; on an alarm stores it (once per night: the night is unique), mails every
/// Operator and audits it. The dashboard shows the stored alarm.
/// </summary>
public sealed class BackupAlarmJob(
    IDbContextFactory<KurocoDbContext> contexts,
    IBackupSettingsStore settingsStore,
    IBackupRunReader runReader,
    BackupAlarmMailer mailer,
    IAuditLog auditLog,
    TimeProvider clock)
{
    public const string JobId = "backup-alarm";

    /// <summary>Runs the check every day at the window's end plus the grace, in the window's zone (re-registered when the schedule is saved).</summary>
    public static void Register(IRecurringJobManager manager, BackupSettings settings)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(settings);
        var at = settings.WindowEnd.Add(BackupAlarmRule.Grace);
        manager.AddOrUpdate<BackupAlarmJob>(JobId, job => job.ExecuteAsync(CancellationToken.None),
            string.Create(CultureInfo.InvariantCulture, $"{at.Minute} {at.Hour} * * *"),
            new RecurringJobOptions { TimeZone = StaffTimeZones.Find(settings.TimeZoneId) });
    }

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var settings = await settingsStore.GetAsync(cancellationToken);
        var window = new BackupWindow(settings.WindowStart, settings.WindowEnd, StaffTimeZones.Find(settings.TimeZoneId));
        var runs = await runReader.RecentAsync(RunsRead, cancellationToken);
        await CheckAsync(window, runs.Select(ToAttempt), cancellationToken);
    }

    /// <summary>Enough runs to cover a night with retries.</summary>
    private const int RunsRead = 50;

    internal static BackupAttempt ToAttempt(BackupRunInfo run) => new(
        new DateTimeOffset(DateTime.SpecifyKind(run.StartedAtUtc ?? run.QueuedAtUtc, DateTimeKind.Utc)),
        run.FinishedAtUtc is { } finished ? new DateTimeOffset(DateTime.SpecifyKind(finished, DateTimeKind.Utc)) : null,
        run.Status switch
        {
            BackupRunStatus.Succeeded when run.ErrorCode?.StartsWith(BackupJob.PartialCode, StringComparison.Ordinal) == true => BackupAttemptState.Partial,
            BackupRunStatus.Succeeded => BackupAttemptState.Succeeded,
            BackupRunStatus.Queued or BackupRunStatus.Running => BackupAttemptState.Running,
            _ => BackupAttemptState.Failed,
        },
        run.ErrorCode?.StartsWith(BackupJob.PartialCode, StringComparison.Ordinal) == true ? run.ErrorCode[BackupJob.PartialCode.Length..] : null);

    /// <summary>Checks the last night that can be checked now; returns the alarm raised, or null (fine, or already raised).</summary>
    public async Task<BackupAlarm?> CheckAsync(BackupWindow window, IEnumerable<BackupAttempt> attempts, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var night = BackupAlarmRule.LastCheckableNight(window, now);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Set<BackupAlarmRow>().AnyAsync(r => r.Night == night, cancellationToken))
        {
            return null;
        }
        if (BackupAlarmRule.Evaluate(window, night, attempts) is not { } alarm)
        {
            return null;
        }
        db.Add(new BackupAlarmRow { Night = night, Kind = alarm.Kind, WindowEndUtc = alarm.WindowEndUtc.UtcDateTime, RaisedAtUtc = now.UtcDateTime });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance raised this night's alarm first (unique night): it mails, not us.
            return null;
        }
        var mailed = await mailer.SendAsync(alarm, cancellationToken);
        var nightText = night.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await auditLog.WriteAsync(new AuditRecord(AuditActions.BackupAlarmRaised, AuditEntityTypes.BackupAlarm, nightText,
            AuditParameters.Of(
                ("variant", alarm.Kind.ToString().ToLowerInvariant()),
                ("night", nightText),
                ("stores", alarm.Stores ?? "-"),
                ("windowEnd", alarm.WindowEndUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
                ("mailed", mailed.ToString(CultureInfo.InvariantCulture))),
            AuditOutcome.Failure) { Actor = AuditActor.System }, cancellationToken);
        return alarm;
    }
}
