using Hangfire;
using Kuroco.Core.Jobs;
using Kuroco.Core.Logs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Logs;

/// <summary>
/// Daily: deletes server-log entries older than the retention (never less than 12 months) in batches, so
/// the store is never locked for long and a run cut short is finished by the next one.
/// </summary>
public sealed partial class LogRetentionPurgeJob(
    ILogStore store,
    ILogRetentionSettings retention,
    TimeProvider clock,
    IOptions<ServerLogOptions> options,
    ILogger<LogRetentionPurgeJob> logger) : IRecurringJob
{
    public const string JobId = "server-log-purge";

    public async Task ExecuteAsync(CancellationToken cancellationToken) => await PurgeAsync(cancellationToken);

    /// <summary>Purges; returns how many entries were deleted.</summary>
    public async Task<long> PurgeAsync(CancellationToken cancellationToken)
    {
        var months = await retention.GetMonthsAsync(cancellationToken);
        var cutoff = LogRetention.Cutoff(clock.GetUtcNow(), months);
        var batchSize = options.Value.PurgeBatchSize;
        long total = 0;
        int deleted;
        do
        {
            deleted = await store.PurgeBatchAsync(cutoff, batchSize, cancellationToken);
            total += deleted;
        }
        while (deleted > 0);
        if (total > 0)
        {
            LogPurged(logger, total, months, cutoff);
        }
        return total;
    }

    public static void Register(IRecurringJobManager manager, TimeZoneInfo zone, string cron)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.AddOrUpdate<LogRetentionPurgeJob>(JobId, job => job.ExecuteAsync(CancellationToken.None), cron,
            new RecurringJobOptions { TimeZone = zone });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Server logs: {Count} entries older than {Months} months (before {Cutoff:O}) purged.")]
    private static partial void LogPurged(ILogger logger, long count, int months, DateTimeOffset cutoff);
}
