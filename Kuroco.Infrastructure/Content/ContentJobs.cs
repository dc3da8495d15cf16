using Hangfire;
using Kuroco.Core.Content;
using Kuroco.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// Every minute: publishes and unpublishes the items whose time has come. Idempotent: an item already
/// handled (by another run or instance) no longer matches, and each change checks the item's token.
/// </summary>
public sealed partial class ContentScheduleJob(IContentPublishingService publishing, ILogger<ContentScheduleJob> logger) : IRecurringJob
{
    public const string JobId = "content-schedule";

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        foreach (var change in await publishing.RunDueAsync(cancellationToken))
        {
            if (!change.Outcome.Succeeded)
            {
                LogFailed(logger, change.Kind, change.ItemId, change.Outcome.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled change ({Kind}) of content item {ItemId} did not happen: {Errors}")]
    private static partial void LogFailed(ILogger logger, ContentChangeKind kind, Guid itemId, string errors);
}

/// <summary>Daily: removes items that have been in the trash longer than Kuroco:Content:TrashRetentionDays.</summary>
public sealed partial class ContentTrashPurgeJob(IContentTrashService trash, ILogger<ContentTrashPurgeJob> logger) : IRecurringJob
{
    public const string JobId = "content-trash-purge";

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var purged = await trash.PurgeExpiredAsync(cancellationToken);
        LogPurged(logger, purged);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Content trash purge removed {Count} items.")]
    private static partial void LogPurged(ILogger logger, int count);

    /// <summary>Schedules both content jobs (called once from the recurring-jobs registrar).</summary>
    public static void Register(IRecurringJobManager manager, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.AddOrUpdate<ContentScheduleJob>(ContentScheduleJob.JobId, job => job.ExecuteAsync(CancellationToken.None), Cron.Minutely());
        manager.AddOrUpdate<ContentTrashPurgeJob>(JobId, job => job.ExecuteAsync(CancellationToken.None), "30 3 * * *",
            new RecurringJobOptions { TimeZone = zone });
    }
}
