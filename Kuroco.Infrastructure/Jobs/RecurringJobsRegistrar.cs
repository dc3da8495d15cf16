using Hangfire;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Audit;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Jobs;

/// <summary>The one place recurring jobs are scheduled. AddOrUpdate is idempotent across instances.</summary>
public sealed class RecurringJobsRegistrar(
    IRecurringJobManager manager,
    IOptions<JobsOptions> options,
    IOptions<Logs.ServerLogOptions> serverLogs,
    Audit.Review.AuditReviewSchedule auditReviews,
    Backups.BackupSchedule backups,
    IOptions<Backups.BackupOptions> backupOptions,
    IOptions<Backups.BackupDrillOptions> drills,
    IOptions<Incidents.IncidentOptions> incidents,
    IOptions<Monitoring.MonitoringOptions> monitoring,
    Sla.SlaReportSchedule slaReport)
{
    public void Register()
    {
        var settings = options.Value;
        var zone = StaffTimeZones.Find(settings.TimeZoneId);
        manager.AddOrUpdate<AuditChainVerificationJob>(
            AuditChainVerificationJob.JobId,
            job => job.ExecuteAsync(CancellationToken.None),
            settings.AuditChainVerificationCron,
            new RecurringJobOptions { TimeZone = zone });
        AuditRetentionPurgeJob.Register(manager, settings.AuditRetentionPurgeCron, zone);
        Webhooks.WebhookDeliveryCleanupJob.Register(manager, zone);
        Content.ContentTrashPurgeJob.Register(manager, zone);
        Media.MediaFileCleanupJob.Register(manager, zone);
        Members.MemberImportCleanupJob.Register(manager, zone);
        Logs.LogRetentionPurgeJob.Register(manager, zone, serverLogs.Value.PurgeCron);
        Monitoring.MonitoringCompactionJob.Register(manager, zone, monitoring.Value.CompactCron);
        // The monthly audit review runs in the zone of its own stored setting (AuditReviewSchedule).
        auditReviews.Register();
        // The nightly backup runs at the start of its stored window, in that window's zone (BackupSchedule).
        backups.Register();
        // The weekly restore drill runs in the backup zone.
        Backups.Drill.BackupDrillJob.Register(manager, drills.Value.DrillCron, StaffTimeZones.Find(backupOptions.Value.TimeZone));
        // The three-hour rule's watch: overdue progress reports flagged and mailed (every minute by default).
        Incidents.IncidentOverdueJob.Register(manager, incidents.Value.OverdueCheckCron, StaffTimeZones.Find(incidents.Value.TimeZone));
        // The monthly SLA report: 00:30 on the 1st in the company's zone (its stored setting, SlaReportSchedule).
        slaReport.Register();
    }
}
