namespace Kuroco.Core.Content;

public enum ContentChangeKind { Published, Unpublished, Deleted, Updated }

public sealed record ContentChange(ContentChangeKind Kind, string TypeApiId, Guid ItemId, string? Slug, DateTimeOffset OccurredAtUtc);

/// Every listener is called after the change is committed (cache eviction, webhooks, ...).
public interface IContentChangeListener { Task OnChangedAsync(ContentChange change, CancellationToken cancellationToken = default); }
