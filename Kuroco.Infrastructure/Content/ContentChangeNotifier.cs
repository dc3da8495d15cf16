using Kuroco.Core.Content;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Content;

/// <summary>Calls every <see cref="IContentChangeListener"/> after a committed change; a failing listener is logged and never undoes it.</summary>
internal sealed partial class ContentChangeNotifier(IEnumerable<IContentChangeListener> listeners, ILogger<ContentChangeNotifier> logger)
{
    /// <summary>The change of <paramref name="item"/> at <paramref name="now"/>, flagged when the item is member-only (its own or its type's groups).</summary>
    public static ContentChange ChangeOf(ContentChangeKind kind, ContentType type, ContentItem item, DateTime now) =>
        new(kind, item.TypeApiId, item.Id, item.Slug, new DateTimeOffset(now, TimeSpan.Zero),
            ContentMemberAccess.Effective(type.RestrictedToGroups, item.RestrictedToGroups).Count > 0);

    public async Task NotifyAsync(ContentChange change, CancellationToken cancellationToken)
    {
        foreach (var listener in listeners)
        {
            try
            {
                await listener.OnChangedAsync(change, cancellationToken);
            }
#pragma warning disable CA1031 // A listener's failure must not undo or hide the committed change.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogListenerFailed(logger, listener.GetType().Name, change.Kind, change.ItemId, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Content listener {Listener} failed for {Kind} of item {ItemId}; the change stands.")]
    private static partial void LogListenerFailed(ILogger logger, string listener, ContentChangeKind kind, Guid itemId, Exception exception);
}
