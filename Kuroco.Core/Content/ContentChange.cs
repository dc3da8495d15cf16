namespace Kuroco.Core.Content;

public enum ContentChangeKind { Published, Unpublished, Deleted, Updated }

/// <param name="Restricted">The item is member-only (its own or its type's restriction): webhooks carry the flag.</param>
public sealed record ContentChange(ContentChangeKind Kind, string TypeApiId, Guid ItemId, string? Slug, DateTimeOffset OccurredAtUtc, bool Restricted = false);

/// Every listener is called after the change is committed (cache eviction, webhooks, ...).
public interface IContentChangeListener { Task OnChangedAsync(ContentChange change, CancellationToken cancellationToken = default); }
