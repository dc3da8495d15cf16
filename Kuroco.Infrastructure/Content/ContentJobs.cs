using Hangfire;
using Kuroco.Core.Content;
using Kuroco.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// Every minute: publishes and unpublishes the items whose time has come. Idempotent: an item already
/// handled (by another run or instance) no longer matches, and each change checks the item's token.
/// </summary>
public sealed partial class ContentScheduleJob(IContentItemService items, ILogger<ContentScheduleJob> logger) : IRecurringJob
{
    public const string JobId = "content-schedule";

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var service = (ContentItemService)items;
        var (publish, unpublish) = await service.DueAsync(cancellationToken);
        foreach (var id in publish)
        {
            var result = await service.PublishCoreAsync(id, null, scheduled: true, cancellationToken);
            if (!result.Succeeded)
            {
                LogFailed(logger, "publish", id, string.Join(" ", result.Errors));
            }
        }
        foreach (var id in unpublish)
        {
            var result = await service.TakeDownAsync(id, null, ContentStatus.Draft, scheduled: true, cancellationToken);
            if (!result.Succeeded)
            {
                LogFailed(logger, "unpublish", id, string.Join(" ", result.Errors));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled {Action} of content item {ItemId} did not happen: {Errors}")]
    private static partial void LogFailed(ILogger logger, string action, Guid itemId, string errors);
}

/// <summary>Daily: removes items that have been in the trash longer than Kuroco:Content:TrashRetentionDays.</summary>
public sealed partial class ContentTrashPurgeJob(IContentItemService items, ILogger<ContentTrashPurgeJob> logger) : IRecurringJob
{
    public const string JobId = "content-trash-purge";

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var purged = await ((ContentItemService)items).PurgeTrashAsync(cancellationToken);
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
