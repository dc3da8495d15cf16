namespace Kuroco.Admin.Content;

/// <summary>One published item as websites read it: typed field values of the active fields, in one language.</summary>
public sealed record DeliveredItem(
    Guid Id,
    string Type,
    string Slug,
    /// <summary>The language served: the requested one, or the fallback when the item has no variant in it.</summary>
    string Language,
    DateTime PublishedAt,
    DateTime UpdatedAt,
    IReadOnlyDictionary<string, object?> Fields);

/// <summary>
/// A page of published items in the requested order. <see cref="Page"/> is 0 when paging by cursor;
/// <see cref="NextCursor"/> continues after the last item (null at the end). <see cref="TotalCount"/> and
/// <see cref="TotalPages"/> are null when the request said <c>includeTotal=false</c> (the count is skipped).
/// </summary>
public sealed record DeliveredPage(IReadOnlyList<DeliveredItem> Items, int Page, int PageSize, int? TotalCount, int? TotalPages, string? NextCursor);
