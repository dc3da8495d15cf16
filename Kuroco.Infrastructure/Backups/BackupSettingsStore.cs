using System.Globalization;
using FluentValidation;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Backups;

/// <summary>The stored schedule and retention (one row); until saved once, the configured <c>Backups:*</c> values.</summary>
internal sealed class BackupSettingsStore(
    KurocoDbContext db,
    IOptions<BackupOptions> options,
    IValidator<BackupSettings> validator,
    IAuditLog audit,
    IAuditContext auditContext,
    BackupSchedule schedule,
    TimeProvider clock) : IBackupSettingsStore, IBackupRetentionPolicy
{
    public async ValueTask<BackupSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        var row = await db.Set<BackupSettingsRow>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == BackupSettingsRow.SingletonId, cancellationToken);
        return ToSettings(row, options.Value);
    }

    public async Task<int> GetRetentionAsync(CancellationToken cancellationToken) => (await GetAsync(cancellationToken)).Retention;

    public async Task<Result> SaveAsync(BackupSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var validation = await validator.ValidateAsync(settings, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation);
        }
        var set = db.Set<BackupSettingsRow>();
        var row = await set.FirstOrDefaultAsync(s => s.Id == BackupSettingsRow.SingletonId, cancellationToken);
        var before = Snapshot(ToSettings(row, options.Value));
        if (row is null)
        {
            row = new BackupSettingsRow();
            set.Add(row);
        }
        row.WindowStartMinutes = (int)settings.WindowStart.ToTimeSpan().TotalMinutes;
        row.WindowEndMinutes = (int)settings.WindowEnd.ToTimeSpan().TotalMinutes;
        row.TimeZoneId = settings.TimeZoneId;
        row.Retention = settings.Retention;
        row.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        row.UpdatedBy = (await auditContext.GetActorAsync()).Name;
        await db.SaveChangesAsync(cancellationToken);
        var after = ToSettings(row, options.Value);
        schedule.Apply(after);
        var changes = AuditChanges.Diff(before, Snapshot(after));
        if (changes.Count > 0)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.BackupSettingsChanged, AuditEntityTypes.BackupSettings,
                BackupSettingsRow.SingletonId.ToString(CultureInfo.InvariantCulture),
                AuditParameters.Of(("fields", string.Join(",", changes.Select(c => c.Field)))), changes: changes), cancellationToken);
        }
        return Result.Success;
    }

    internal static BackupSettings ToSettings(BackupSettingsRow? row, BackupOptions options)
    {
        if (row is not null)
        {
            return new BackupSettings
            {
                WindowStart = TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(row.WindowStartMinutes)),
                WindowEnd = TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(row.WindowEndMinutes)),
                TimeZoneId = row.TimeZoneId,
                Retention = row.Retention,
            };
        }
        var defaults = new BackupSettings();
        return new BackupSettings
        {
            WindowStart = BackupOptions.TryParseTime(options.WindowStart, out var start) ? start : defaults.WindowStart,
            WindowEnd = BackupOptions.TryParseTime(options.WindowEnd, out var end) ? end : defaults.WindowEnd,
            TimeZoneId = StaffTimeZones.IsValid(options.TimeZone) ? options.TimeZone : defaults.TimeZoneId,
            Retention = options.Retention,
        };
    }

    private static Dictionary<string, string?> Snapshot(BackupSettings s) => new()
    {
        ["WindowStart"] = s.WindowStart.ToString("HH:mm", CultureInfo.InvariantCulture),
        ["WindowEnd"] = s.WindowEnd.ToString("HH:mm", CultureInfo.InvariantCulture),
        ["TimeZoneId"] = s.TimeZoneId,
        ["Retention"] = s.Retention.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// Schedules the nightly backup at the window's start in the window's zone (stored settings, else configuration). Called
/// at start-up (RecurringJobsRegistrar) and again whenever the settings are saved.
/// </summary>
public sealed class BackupSchedule(IRecurringJobManager manager, IDbContextFactory<KurocoDbContext> contexts, IOptions<BackupOptions> options)
{
    public const string NightlyJobId = "backup-nightly";

    public void Register()
    {
        using var db = contexts.CreateDbContext();
        var row = db.Set<BackupSettingsRow>().AsNoTracking().FirstOrDefault(s => s.Id == BackupSettingsRow.SingletonId);
        Apply(BackupSettingsStore.ToSettings(row, options.Value));
    }

    public static string CronFor(BackupSettings settings) =>
        string.Create(CultureInfo.InvariantCulture, $"{settings.WindowStart.Minute} {settings.WindowStart.Hour} * * *");

    public void Apply(BackupSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        manager.AddOrUpdate<BackupJob>(NightlyJobId, job => job.NightlyAsync(CancellationToken.None), CronFor(settings),
            new RecurringJobOptions { TimeZone = StaffTimeZones.Find(settings.TimeZoneId) });
        // The alarm checks each night after its window (feat/backup-ui).
        Alarm.BackupAlarmJob.Register(manager, settings);
    }
}
