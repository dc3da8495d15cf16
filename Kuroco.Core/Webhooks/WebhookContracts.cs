namespace Kuroco.Core.Webhooks;

/// <summary>
/// A content change that webhooks announce. <see cref="EventType"/> is one of <see cref="WebhookEventTypes"/>;
/// <see cref="TypeApiId"/> is the content type's API identifier.
/// </summary>
/// <param name="Restricted">The item is member-only: sent as <c>item.restricted</c> (the receiver is the customer's own system, so it gets the event as always, flagged).</param>
public sealed record WebhookEvent(string EventType /* "content.published" | "content.unpublished" | "content.deleted" */, string TypeApiId, Guid ItemId, string? Slug, DateTimeOffset OccurredAtUtc, IReadOnlyDictionary<string, object?>? Data = null, bool Restricted = false);

/// <summary>
/// Queues one delivery per enabled subscription that matches the event's type and content type.
/// Call it after the change is committed; it only writes delivery rows and enqueues jobs (no HTTP).
/// </summary>
public interface IWebhookDispatcher
{
    Task EnqueueAsync(WebhookEvent e, CancellationToken cancellationToken = default);
}

/// <summary>The event types a subscription can choose. Stored and sent to receivers, so never rename one.</summary>
public static class WebhookEventTypes
{
    public const string ContentPublished = "content.published";
    public const string ContentUnpublished = "content.unpublished";
    public const string ContentDeleted = "content.deleted";

    /// <summary>Sent only by "Send test event"; subscriptions do not choose it.</summary>
    public const string Test = "webhook.test";

    public static IReadOnlyList<string> All { get; } = [ContentPublished, ContentUnpublished, ContentDeleted];

    public static bool IsKnown(string? eventType) => eventType is not null && All.Contains(eventType, StringComparer.Ordinal);
}
