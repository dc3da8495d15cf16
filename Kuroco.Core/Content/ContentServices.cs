namespace Kuroco.Core.Content;

/// <summary>The outcome of a content change: success, or localized errors (a stale save is a conflict).</summary>
public sealed record ContentResult(bool Succeeded, IReadOnlyList<string> Errors, bool IsConflict = false)
{
    public static ContentResult Success { get; } = new(true, []);

    public static ContentResult Failed(params string[] errors) => new(false, errors);

    public static ContentResult Conflict(string error) => new(false, [error], true);
}

public sealed record ContentResult<T>(bool Succeeded, IReadOnlyList<string> Errors, T? Value, bool IsConflict = false)
{
    public static ContentResult<T> Ok(T value) => new(true, [], value);

    public static ContentResult<T> Failed(IReadOnlyList<string> errors, bool conflict = false) => new(false, errors, default, conflict);

    /// <summary>
    /// For validation failures: each message with the input it is about ("Slug", "ja.KEY", "en.KEY"), so an API
    /// can report them by field. Empty for other failures.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> FieldErrors { get; init; } = [];

    public static ContentResult<T> Invalid(IReadOnlyList<KeyValuePair<string, string>> errors) =>
        new(false, [.. errors.Select(e => e.Value)], default) { FieldErrors = errors };
}

public sealed record ContentTypeSummary(Guid Id, string Name, string ApiId, string? Description, int FieldCount, int ItemCount, DateTime UpdatedAtUtc);

public interface IContentTypeService
{
    Task<IReadOnlyList<ContentTypeSummary>> ListAsync(CancellationToken cancellationToken = default);

    Task<ContentType?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    Task<ContentType?> FindByApiIdAsync(string apiId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates (<see cref="ContentType.Id"/> empty) or updates a type. On update, removed fields are archived
    /// and a kind change that cannot convert is refused; <see cref="ContentType.ConcurrencyToken"/> must be the one read.
    /// </summary>
    Task<ContentResult<ContentType>> SaveAsync(ContentType type, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a type that has no items (the trash included) and that no other type's reference field points at;
    /// otherwise refused with an explanation. Audited.
    /// </summary>
    Task<ContentResult> DeleteAsync(Guid id, CancellationToken cancellationToken = default);
}

public enum ContentSort { UpdatedDesc, UpdatedAsc, TitleAsc, TitleDesc, SlugAsc, SlugDesc, PublishedDesc, PublishedAsc, StatusAsc }

public sealed record ContentItemQuery(
    Guid TypeId,
    string? Text = null,
    ContentStatus? Status = null,
    string? Language = null,
    ContentSort Sort = ContentSort.UpdatedDesc,
    int Page = 0,
    int PageSize = 25)
{
    public const int MaxPageSize = 200;
}

public sealed record ContentItemSummary(
    Guid Id, Guid TypeId, string TypeApiId, string Slug, string Title, ContentStatus Status, bool HasUnpublishedChanges,
    bool HasJa, bool HasEn, DateTime? PublishAtUtc, DateTime? UnpublishAtUtc, DateTime? PublishedAtUtc,
    DateTime UpdatedAtUtc, string UpdatedBy, DateTime? DeletedAtUtc);

public sealed record ContentItemPage(IReadOnlyList<ContentItemSummary> Items, int TotalCount);

public sealed record ContentVersionSummary(long Id, int Number, ContentStatus Status, string SavedBy, DateTime SavedAtUtc, string Note);

/// <summary>Editing items (the console and the management API): every change validated, versioned and audited.</summary>
public interface IContentItemService
{
    Task<ContentItemPage> ListAsync(ContentItemQuery query, CancellationToken cancellationToken = default);

    Task<ContentItem?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Creates or saves the working copy (a published item stays published with unpublished changes) and keeps a version.</summary>
    Task<ContentResult<ContentItem>> SaveDraftAsync(ContentItemInput input, CancellationToken cancellationToken = default);

    /// <summary>Publishes the working copy now. <paramref name="expectedToken"/> (when given) must match.</summary>
    Task<ContentResult<ContentItem>> PublishAsync(Guid id, Guid? expectedToken = null, CancellationToken cancellationToken = default);

    Task<ContentResult<ContentItem>> UnpublishAsync(Guid id, Guid? expectedToken = null, CancellationToken cancellationToken = default);

    /// <summary>Sets (or clears with null) the UTC times the schedule job publishes or unpublishes the item.</summary>
    Task<ContentResult<ContentItem>> ScheduleAsync(Guid id, DateTime? publishAtUtc, DateTime? unpublishAtUtc, Guid? expectedToken = null, CancellationToken cancellationToken = default);

    Task<ContentResult<ContentItem>> ArchiveAsync(Guid id, Guid? expectedToken = null, CancellationToken cancellationToken = default);

    /// <summary>A new draft with the same values and a free slug.</summary>
    Task<ContentResult<ContentItem>> DuplicateAsync(Guid id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ContentVersionSummary>> VersionsAsync(Guid itemId, CancellationToken cancellationToken = default);

    Task<ContentVersion?> FindVersionAsync(Guid itemId, int number, CancellationToken cancellationToken = default);

    /// <summary>Copies an earlier version into the working copy (a new version; the published copy is untouched).</summary>
    Task<ContentResult<ContentItem>> RestoreVersionAsync(Guid itemId, int number, CancellationToken cancellationToken = default);

    /// <summary>Moves the item to the trash (it leaves the website at once); restorable until purged.</summary>
    Task<ContentResult> DeleteAsync(Guid id, CancellationToken cancellationToken = default);

    Task<ContentResult> RestoreFromTrashAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Items in the trash, newest deletion first.</summary>
    Task<ContentItemPage> TrashAsync(int page, int pageSize, CancellationToken cancellationToken = default);
}

/// <summary>A published item as websites see it: the published values of one language.</summary>
public sealed record PublishedContent(
    Guid Id, string TypeApiId, string Slug, string Language, DateTime PublishedAtUtc, DateTime UpdatedAtUtc,
    IReadOnlyDictionary<string, string?> Values);

/// <summary>Reads published content only (never drafts, archived or deleted items): for the delivery API.</summary>
public interface IPublishedContentReader
{
    /// <summary>By id (Guid form) or slug; null when unknown or not published.</summary>
    Task<PublishedContent?> FindAsync(string typeApiId, string idOrSlug, string language, CancellationToken cancellationToken = default);

    /// <summary>Newest publication first, paged in SQL.</summary>
    Task<(IReadOnlyList<PublishedContent> Items, int TotalCount)> ListAsync(string typeApiId, string language, int page, int pageSize, CancellationToken cancellationToken = default);
}

/// <summary>Cleans rich-text HTML: scripts, event handlers and javascript: URLs are removed.</summary>
public interface IHtmlContentSanitizer
{
    string Sanitize(string html);
}

/// <summary>Markdown to safe HTML (for previews and, later, the API): raw HTML in the source is not passed through.</summary>
public interface IMarkdownRenderer
{
    string ToSafeHtml(string markdown);
}

/// <summary>The optional approval workflow: editors submit, reviewers (a role or named staff) approve or reject with a comment.</summary>
public interface IContentReviewService
{
    Task<ContentResult<ContentItem>> SubmitAsync(Guid itemId, string? comment, CancellationToken cancellationToken = default);

    Task<ContentResult<ContentItem>> ApproveAsync(Guid itemId, string? comment, CancellationToken cancellationToken = default);

    Task<ContentResult<ContentItem>> RejectAsync(Guid itemId, string? comment, CancellationToken cancellationToken = default);

    /// <summary>Whether the current user may approve or reject items of the type.</summary>
    Task<bool> CanReviewAsync(ContentType type, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<ContentReview>> HistoryAsync(Guid itemId, CancellationToken cancellationToken = default);
}
