using Hangfire;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Webhooks;

/// <summary>One delivery row and one job per enabled subscription that matches the event (one event id shared by all).</summary>
internal sealed class WebhookDispatcher(IDbContextFactory<KurocoDbContext> contexts, IBackgroundJobClient jobs, TimeProvider clock) : IWebhookDispatcher
{
    public async Task EnqueueAsync(WebhookEvent e, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!WebhookEventTypes.IsKnown(e.EventType))
        {
            throw new ArgumentException($"Unknown webhook event type '{e.EventType}'.", nameof(e));
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var candidates = await db.WebhookSubscriptions.AsNoTracking()
            .Where(s => s.Enabled && (s.ContentType == WebhookSubscription.AllContentTypes || s.ContentType == e.TypeApiId))
            .ToListAsync(cancellationToken);
        var matching = candidates.Where(s => s.Matches(e.EventType, e.TypeApiId)).ToList();
        if (matching.Count == 0)
        {
            return;
        }
        var eventId = Guid.NewGuid();
        var payload = WebhookPayload.Build(eventId, e);
        var now = clock.GetUtcNow().UtcDateTime;
        var deliveries = matching.Select(s => NewDelivery(s.Id, eventId, e.EventType, e.TypeApiId, e.ItemId, payload, now)).ToList();
        db.WebhookDeliveries.AddRange(deliveries);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var delivery in deliveries)
        {
            WebhookDeliveryJob.EnqueueFirstAttempt(jobs, delivery.Id);
        }
    }

    internal static WebhookDelivery NewDelivery(Guid subscriptionId, Guid eventId, string eventType, string contentType, Guid? itemId, string payload, DateTime now) => new()
    {
        Id = Guid.NewGuid(),
        SubscriptionId = subscriptionId,
        EventId = eventId,
        EventType = eventType,
        ContentType = contentType,
        ItemId = itemId,
        Payload = payload,
        Status = WebhookDeliveryStatus.Pending,
        CreatedAtUtc = now,
        NextAttemptAtUtc = now,
    };
}
