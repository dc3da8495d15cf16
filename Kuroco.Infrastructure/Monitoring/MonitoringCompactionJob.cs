using Hangfire;
using Kuroco.Core.Jobs;
using Kuroco.Core.Monitoring;

namespace Kuroco.Infrastructure.Monitoring;

/// <summary>Daily: downsamples the monitoring samples (raw → minute after 7 days, minute → hour after 90 days) and deletes what is older than 13 months.</summary>
public sealed class MonitoringCompactionJob(IMonitoringSampleStore store, TimeProvider clock) : IRecurringJob
{
    public const string JobId = "monitoring-compaction";

    public Task ExecuteAsync(CancellationToken cancellationToken) => store.CompactAsync(clock.GetUtcNow(), cancellationToken);

    public static void Register(IRecurringJobManager manager, TimeZoneInfo zone, string cron)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.AddOrUpdate<MonitoringCompactionJob>(JobId, job => job.ExecuteAsync(CancellationToken.None), cron,
            new RecurringJobOptions { TimeZone = zone });
    }
}
