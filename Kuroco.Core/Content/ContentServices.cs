using Kuroco.Core.Common;

namespace Kuroco.Core.Content;

public sealed record ContentTypeSummary(Guid Id, string Name, string ApiId, string? Description, int FieldCount, int ItemCount, DateTime UpdatedAtUtc);

public interface IContentTypeService
{
    Task<IReadOnlyList<ContentTypeSummary>> ListAsync(CancellationToken cancellationToken = default);

    Task<ContentType?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    Task<ContentType?> FindByApiIdAsync(string apiId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates (<see cref="ContentType.Id"/> empty) or updates a type. On update, removed fields are archived
    /// and a change the existing items refuse (a kind change that cannot convert, a new API identifier once items exist)
    /// is Conflict; <see cref="ContentType.ConcurrencyToken"/> must be the one read (PreconditionFailed). Broken rules are
    /// Validation keyed by property ("Name", "ApiId", "Fields[0].Key"…; an API identifier another type uses is one, on "ApiId").
    /// </summary>
    Task<Result<ContentType>> SaveAsync(ContentType type, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a type that has no items (the trash included) and that no other type's reference field points at;
    /// otherwise refused with an explanation (Conflict). Audited.
    /// </summary>
    Task<Result> DeleteAsync(Guid id, CancellationToken cancellationToken = default);
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
    DateTime UpdatedAtUtc, string UpdatedBy, DateTime? DeletedAtUtc, IReadOnlyList<Guid> RestrictedToGroups);

public sealed record ContentItemPage(IReadOnlyList<ContentItemSummary> Items, int TotalCount);

public sealed record ContentVersionSummary(long Id, int Number, ContentStatus Status, string SavedBy, DateTime SavedAtUtc, string Note);

/// <summary>
/// Editing items (the console and the management API): list, read, save the working copy, duplicate. Every change is
/// validated, versioned and audited. Publishing is <see cref="IContentPublishingService"/>, the trash
/// <see cref="IContentTrashService"/>, versions <see cref="IContentVersionService"/>; the rules of each step are the
/// item's own (ContentItemLifecycle.cs, which also says which <see cref="ErrorKind"/> each refusal is).
/// </summary>
public interface IContentItemService
{
    Task<ContentItemPage> ListAsync(ContentItemQuery query, CancellationToken cancellationToken = default);

    Task<ContentItem?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates (<see cref="ContentItemInput.Id"/> empty) or saves the working copy (a published item stays published with
    /// unpublished changes) and keeps a version. <see cref="ContentItemInput.ConcurrencyToken"/> must be the item's
    /// (PreconditionFailed otherwise). <paramref name="keep"/> names parts the input leaves as the item has them.
    /// Rules broken are Validation keyed "Slug", "ja.KEY", "en.KEY".
    /// </summary>
    Task<Result<ContentItem>> SaveDraftAsync(ContentItemInput input, ContentItemParts keep = ContentItemParts.None, CancellationToken cancellationToken = default);

    /// <summary>A new draft with the same values and a free slug.</summary>
    Task<Result<ContentItem>> DuplicateAsync(Guid id, CancellationToken cancellationToken = default);
}

/// <summary>Publishing now and on a schedule: every step loads the item once and runs each of its rules once.</summary>
public interface IContentPublishingService
{
    /// <summary>Publishes the working copy now; it is validated again against its type (which may have changed).</summary>
    Task<Result<ContentItem>> PublishAsync(ContentItemRef item, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves the working copy like <see cref="IContentItemService.SaveDraftAsync"/> and publishes exactly what was saved,
    /// reading the item once. Refused before anything is saved when the type requires approval (a save resets it).
    /// </summary>
    Task<Result<ContentItem>> SaveAndPublishAsync(ContentItemInput input, ContentItemParts keep = ContentItemParts.None, CancellationToken cancellationToken = default);

    /// <summary>Takes a published item off the website (it becomes a draft).</summary>
    Task<Result<ContentItem>> UnpublishAsync(ContentItemRef item, CancellationToken cancellationToken = default);

    Task<Result<ContentItem>> ArchiveAsync(ContentItemRef item, CancellationToken cancellationToken = default);

    /// <summary>Sets (or clears with null) the UTC times the schedule job publishes or unpublishes the item.</summary>
    Task<Result<ContentItem>> ScheduleAsync(ContentItemRef item, DateTime? publishAtUtc, DateTime? unpublishAtUtc, CancellationToken cancellationToken = default);

    /// <summary>
    /// For the schedule job: publishes and unpublishes the items whose time has come. An item whose publication is refused
    /// (not approved, no longer valid) loses its scheduled publication and the failure is audited.
    /// </summary>
    Task<IReadOnlyList<ScheduledChange>> RunDueAsync(CancellationToken cancellationToken = default);
}

/// <summary>One change the schedule job attempted, and how it went.</summary>
public sealed record ScheduledChange(Guid ItemId, ContentChangeKind Kind, Result Outcome);

/// <summary>The trash: deleting takes an item off the website at once; it can be restored until the purge job removes it.</summary>
public interface IContentTrashService
{
    /// <summary>Moves the item to the trash (it leaves the website at once).</summary>
    Task<Result> DeleteAsync(ContentItemRef item, CancellationToken cancellationToken = default);

    Task<Result> RestoreAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Items in the trash, newest deletion first.</summary>
    Task<ContentItemPage> ListAsync(int page, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>For the purge job: removes items that have been in the trash longer than the retention, with their versions; returns how many.</summary>
    Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default);
}

/// <summary>An item's versions: one per save, publish and restore.</summary>
public interface IContentVersionService
{
    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<ContentVersionSummary>> ListAsync(Guid itemId, CancellationToken cancellationToken = default);

    Task<ContentVersion?> FindAsync(Guid itemId, int number, CancellationToken cancellationToken = default);

    /// <summary>Copies an earlier version into the working copy (a new version; the published copy is untouched).</summary>
    Task<Result<ContentItem>> RestoreAsync(Guid itemId, int number, CancellationToken cancellationToken = default);
}

/// <summary>A published item as websites see it: the published values of one language.</summary>
public sealed record PublishedContent(
    Guid Id, string TypeApiId, string Slug, string Language, DateTime PublishedAtUtc, DateTime UpdatedAtUtc,
    IReadOnlyDictionary<string, string?> Values);

/// <summary>
/// Reads published content only (never drafts, archived or deleted items): for the delivery API. Every read is for an
/// <see cref="ContentAudience"/> (null: <see cref="ContentAudience.Anonymous"/>): items restricted to member groups the audience
/// is not in are left out in SQL, so they are absent from pages, totals and cursors alike (rules: <see cref="ContentMemberAccess"/>).
/// </summary>
public interface IPublishedContentReader
{
    /// <summary>By id (Guid form) or slug; null when unknown, not published, or restricted to groups the audience is not in.</summary>
    Task<PublishedContent?> FindAsync(string typeApiId, string idOrSlug, string language, ContentAudience? audience = null, CancellationToken cancellationToken = default);

    /// <summary>Newest publication first, paged in SQL (the delivery list without filters).</summary>
    Task<(IReadOnlyList<PublishedContent> Items, int TotalCount)> ListAsync(string typeApiId, string language, int page, int pageSize, ContentAudience? audience = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The delivery list with filters and sort over the delivery index: a page by number (<paramref name="page"/> from 0)
    /// or, when <paramref name="after"/> is given, the page after that keyset position. <see cref="DeliveryResult.Next"/>
    /// is the position of the last item when more follow.
    /// </summary>
    Task<DeliveryResult> QueryAsync(string typeApiId, string language, DeliveryQuery query, DeliveryPosition? after, int page, int pageSize, ContentAudience? audience = null, CancellationToken cancellationToken = default);
}

/// <summary>
/// One page of a delivery query: the items, how many match in all (null when the query did not ask, <see cref="DeliveryQuery.IncludeTotal"/>),
/// and where the next page starts (null at the end).
/// </summary>
public sealed record DeliveryResult(IReadOnlyList<PublishedContent> Items, int? TotalCount, DeliveryPosition? Next);

/// <summary>A published item for the fast path: its row's values and the stored UTF-8 JSON of its <c>fields</c> in the served <see cref="Language"/>.</summary>
public sealed record StoredDelivery(Guid Id, string TypeApiId, string Slug, string Language, DateTime PublishedAtUtc, DateTime UpdatedAtUtc, byte[] Fields);

/// <summary>A page of a delivery query with each item's stored fields JSON (<see cref="DeliveredJson"/>), like <see cref="DeliveryResult"/>.</summary>
public sealed record DeliveryJsonResult(IReadOnlyList<StoredDelivery> Items, int? TotalCount, DeliveryPosition? Next);

/// <summary>
/// The delivery API's fast path for answers without <c>fields</c> or <c>expand</c>: the same reads and guarantees as
/// <see cref="IPublishedContentReader"/> (published copies only, member-only items left out for other audiences), but each item
/// comes back with the stored UTF-8 JSON of its fields in the variant served (built from the published copy when it is not
/// stored yet), so nothing is parsed or re-serialized per request.
/// </summary>
public interface IPublishedJsonReader
{
    /// <summary>By id (Guid form) or slug; null when unknown, not published, or restricted to groups the audience is not in.</summary>
    Task<StoredDelivery?> FindJsonAsync(ContentType type, string idOrSlug, string language, ContentAudience? audience = null, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="IPublishedContentReader.QueryAsync"/>, the items as JSON.</summary>
    Task<DeliveryJsonResult> QueryJsonAsync(ContentType type, string language, DeliveryQuery query, DeliveryPosition? after, int page, int pageSize, ContentAudience? audience = null, CancellationToken cancellationToken = default);
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

/// <summary>
/// The optional approval workflow: editors submit, reviewers (a role or named staff) approve or reject with a comment.
/// Refusals: NotFound (no such item, or in the trash), Forbidden (not a reviewer of the type), Conflict (the type has no
/// workflow, or the item is not in the state the step needs), Validation on "Comment" (missing for a rejection, too long).
/// </summary>
public interface IContentReviewService
{
    Task<Result<ContentItem>> SubmitAsync(Guid itemId, string? comment, CancellationToken cancellationToken = default);

    Task<Result<ContentItem>> ApproveAsync(Guid itemId, string? comment, CancellationToken cancellationToken = default);

    Task<Result<ContentItem>> RejectAsync(Guid itemId, string? comment, CancellationToken cancellationToken = default);

    /// <summary>Whether the current user may approve or reject items of the type.</summary>
    Task<bool> CanReviewAsync(ContentType type, CancellationToken cancellationToken = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<ContentReview>> HistoryAsync(Guid itemId, CancellationToken cancellationToken = default);
}
