using Hangfire;
using Kuroco.Core.Jobs;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Webhooks;

/// <summary>
/// Nightly: deletes finished deliveries (Succeeded or Failed) older than
/// Kuroco:Webhooks:RetentionDays; pending ones are kept. Idempotent.
/// </summary>
public sealed class WebhookDeliveryCleanupJob(KurocoDbContext db, IOptions<WebhookOptions> options, TimeProvider clock) : IRecurringJob
{
    public const string JobId = "webhook-delivery-cleanup";
    public const string Cron = "45 3 * * *";

    public static void Register(IRecurringJobManager manager, TimeZoneInfo zone) =>
        manager.AddOrUpdate<WebhookDeliveryCleanupJob>(JobId, job => job.ExecuteAsync(CancellationToken.None), Cron, new RecurringJobOptions { TimeZone = zone });

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow().UtcDateTime.AddDays(-Math.Max(1, options.Value.RetentionDays));
        await db.WebhookDeliveries
            .Where(d => d.Status != WebhookDeliveryStatus.Pending && d.CreatedAtUtc < before)
            .ExecuteDeleteAsync(cancellationToken);
    }
}
