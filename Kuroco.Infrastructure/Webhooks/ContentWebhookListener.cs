using Kuroco.Core.Content;
using Kuroco.Core.Webhooks;

namespace Kuroco.Infrastructure.Webhooks;

/// <summary>
/// Turns content changes into webhook events: published, unpublished and deleted items reach the
/// subscribers of their type. Saving a draft (Updated) sends nothing — websites see no drafts, so
/// there is nothing for them to rebuild. Called after the change is committed; the dispatcher only
/// writes delivery rows and queues jobs, so no outside call runs in the editor's request.
/// </summary>
internal sealed class ContentWebhookListener(IWebhookDispatcher dispatcher) : IContentChangeListener
{
    public Task OnChangedAsync(ContentChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var eventType = EventTypeFor(change.Kind);
        return eventType is null
            ? Task.CompletedTask
            : dispatcher.EnqueueAsync(new WebhookEvent(eventType, change.TypeApiId, change.ItemId, change.Slug, change.OccurredAtUtc, Restricted: change.Restricted), cancellationToken);
    }

    public static string? EventTypeFor(ContentChangeKind kind) => kind switch
    {
        ContentChangeKind.Published => WebhookEventTypes.ContentPublished,
        ContentChangeKind.Unpublished => WebhookEventTypes.ContentUnpublished,
        ContentChangeKind.Deleted => WebhookEventTypes.ContentDeleted,
        _ => null,
    };
}
