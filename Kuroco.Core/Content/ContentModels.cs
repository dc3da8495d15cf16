namespace Kuroco.Core.Content;

/// <summary>What a field holds. Stored by name in the type's JSON, so never rename a member.</summary>
public enum FieldKind
{
    ShortText,
    LongText,
    RichText,
    Markdown,
    Number,
    Boolean,
    DateTime,
    SingleChoice,
    MultipleChoice,
    Media,
    Reference,
    Tags,
}

public enum ContentStatus { Draft = 0, Published = 1, Archived = 2 }

/// <summary>One field of a content type, with its rules.</summary>
public sealed class FieldDefinition
{
    public const int KeyMaxLength = 64;
    public const int LabelMaxLength = 100;
    public const int PatternMaxLength = 500;
    public const int ChoiceMaxLength = 100;
    public const int MaxChoices = 100;

    public string Key { get; set; } = "";
    /// <summary>The label in an English console (may be empty when <see cref="LabelJa"/> is set).</summary>
    public string LabelEn { get; set; } = "";
    /// <summary>The label in a Japanese console (may be empty when <see cref="LabelEn"/> is set).</summary>
    public string LabelJa { get; set; } = "";
    public FieldKind Kind { get; set; }
    public bool Required { get; set; }
    /// <summary>Text kinds: minimum/maximum length in characters; MultipleChoice/Tags: number of entries.</summary>
    public int? MinLength { get; set; }
    public int? MaxLength { get; set; }
    /// <summary>Number: smallest/largest value.</summary>
    public decimal? MinValue { get; set; }
    public decimal? MaxValue { get; set; }
    /// <summary>Short/long text: a .NET regular expression the whole value must match (checked with a timeout).</summary>
    public string? Pattern { get; set; }
    /// <summary>No two items of the type may hold the same value in the same language.</summary>
    public bool Unique { get; set; }
    public List<string> Choices { get; set; } = [];
    /// <summary>Reference: the API identifier of the type the field points to.</summary>
    public string? ReferenceTypeApiId { get; set; }
    /// <summary>A removed field: hidden and not validated, its values kept in every item.</summary>
    public bool IsArchived { get; set; }

    public FieldDefinition Clone() => new()
    {
        Key = Key,
        LabelEn = LabelEn,
        LabelJa = LabelJa,
        Kind = Kind,
        Required = Required,
        MinLength = MinLength,
        MaxLength = MaxLength,
        MinValue = MinValue,
        MaxValue = MaxValue,
        Pattern = Pattern,
        Unique = Unique,
        Choices = [.. Choices],
        ReferenceTypeApiId = ReferenceTypeApiId,
        IsArchived = IsArchived,
    };

    /// <summary>The label in <paramref name="language"/>, else the other language's, else the key.</summary>
    public string LabelFor(string language)
    {
        var (first, second) = language == ContentLanguages.Japanese ? (LabelJa, LabelEn) : (LabelEn, LabelJa);
        return !string.IsNullOrWhiteSpace(first) ? first : !string.IsNullOrWhiteSpace(second) ? second : Key;
    }

    /// <summary>The label in the console's current UI language (<see cref="ContentLanguages.UiLanguage"/>), falling back to the other.</summary>
    public string DisplayLabel() => LabelFor(ContentLanguages.UiLanguage);

    public bool IsTextKind => Kind is FieldKind.ShortText or FieldKind.LongText or FieldKind.RichText or FieldKind.Markdown;

    public bool IsListKind => Kind is FieldKind.MultipleChoice or FieldKind.Tags;
}

/// <summary>A content type: its name, API identifier and ordered fields.</summary>
public sealed class ContentType
{
    public const int NameMaxLength = 100;
    public const int ApiIdMaxLength = 63;
    public const int DescriptionMaxLength = 1000;
    public const int MaxFields = 100;

    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string ApiId { get; set; } = "";
    public string? Description { get; set; }
    /// <summary>Fields in display order, archived ones included.</summary>
    public List<FieldDefinition> Fields { get; set; } = [];
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public Guid ConcurrencyToken { get; set; }

    /// <summary>Approval workflow: items must be approved by a reviewer before they can be published.</summary>
    public bool RequiresApproval { get; set; }
    /// <summary>Staff with this role may review (e.g. Administrator).</summary>
    public string? ReviewerRole { get; set; }
    /// <summary>Named staff (email addresses, one per line) who may review.</summary>
    public string? ReviewerEmails { get; set; }

    // Delivery (public types and CDN cache headers, see ContentDelivery.cs).
    /// <summary>Readable over the delivery API without an API key (and by any key).</summary>
    public bool IsPublic { get; set; }
    /// <summary><c>Cache-Control: max-age</c> of the type's delivery answers (0: revalidate every time).</summary>
    public int CacheMaxAgeSeconds { get; set; }
    /// <summary><c>stale-while-revalidate</c>: how long a CDN may serve a stale answer while it refreshes it.</summary>
    public int CacheStaleWhileRevalidateSeconds { get; set; }
    /// <summary><c>stale-if-error</c>: how long a CDN may serve a stale answer while this server fails.</summary>
    public int CacheStaleIfErrorSeconds { get; set; }

    /// <summary>
    /// Member-only content: the member groups (ids) that may read the type's items over the delivery API; empty = public.
    /// An item's own restriction replaces this one (rules: <see cref="ContentMemberAccess"/>).
    /// </summary>
    public List<Guid> RestrictedToGroups { get; set; } = [];

    public IEnumerable<FieldDefinition> ActiveFields => Fields.Where(f => !f.IsArchived);

    public IReadOnlyList<string> ReviewerEmailList =>
        [.. (ReviewerEmails ?? "").Split('\n', ',', ';').Select(e => e.Trim()).Where(e => e.Length > 0)];
}

public enum ReviewState { None = 0, Pending = 1, Approved = 2, Rejected = 3 }

public enum ReviewAction { Submitted = 0, Approved = 1, Rejected = 2 }

/// <summary>One step of an item's review history.</summary>
public sealed class ContentReview
{
    public const int CommentMaxLength = 2000;

    public long Id { get; set; }
    public Guid ItemId { get; set; }
    public ReviewAction Action { get; set; }
    public int VersionNumber { get; set; }
    public string? Comment { get; set; }
    public string By { get; set; } = "";
    public DateTime AtUtc { get; set; }
}

/// <summary>Who may review items of a type. Pure.</summary>
public static class ContentReviewRules
{
    public static bool CanReview(ContentType type, string actorName, IEnumerable<string> actorRoles)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(actorRoles);
        if (!type.RequiresApproval)
        {
            return false;
        }
        if (!string.IsNullOrEmpty(type.ReviewerRole) && actorRoles.Contains(type.ReviewerRole, StringComparer.Ordinal))
        {
            return true;
        }
        return type.ReviewerEmailList.Contains(actorName, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Whether the item may be published now: no workflow, or its current content was approved.</summary>
    public static bool MayPublish(ContentType type, ContentItem item) =>
        !type.RequiresApproval || item.ReviewState == ReviewState.Approved;
}

/// <summary>
/// An item of a content type. The working copy (<see cref="ValuesJa"/>, <see cref="ValuesEn"/>) is what
/// editors change; <see cref="PublishedJa"/>/<see cref="PublishedEn"/> is the copy websites read, so
/// saving a draft of a published item never shows the draft. Its lifecycle (publish, unpublish, archive, trash,
/// schedule) and the rules of each step are in ContentItemLifecycle.cs.
/// </summary>
public sealed partial class ContentItem
{
    public const int SlugMaxLength = 200;
    public const int TitleMaxLength = 200;

    public Guid Id { get; set; }
    public Guid TypeId { get; set; }
    public string TypeApiId { get; set; } = "";
    public string Slug { get; set; } = "";
    /// <summary>For lists and search: the first short text of the primary language, else the slug.</summary>
    public string Title { get; set; } = "";
    public ContentStatus Status { get; set; }
    public bool HasUnpublishedChanges { get; set; }
    public DateTime? PublishAtUtc { get; set; }
    public DateTime? UnpublishAtUtc { get; set; }
    public DateTime? PublishedAtUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public string CreatedBy { get; set; } = "";
    public string UpdatedBy { get; set; } = "";
    public bool HasJa { get; set; }
    public bool HasEn { get; set; }
    /// <summary>JSON objects of field key to value (see <see cref="ContentValues"/>).</summary>
    public string ValuesJa { get; set; } = "{}";
    public string ValuesEn { get; set; } = "{}";
    public string? PublishedJa { get; set; }
    public string? PublishedEn { get; set; }
    public int VersionCount { get; set; }
    /// <summary>Approval workflow state of the working copy (any save resets it).</summary>
    public ReviewState ReviewState { get; set; }
    public Guid ConcurrencyToken { get; set; }
    public DateTime? DeletedAtUtc { get; set; }
    public string? DeletedBy { get; set; }
    /// <summary>
    /// Member-only content: the member groups (ids) that may read this item; empty = as its type. Not part of the working copy
    /// or of versions: a change applies at once, to the published copy too (rules: <see cref="ContentMemberAccess"/>).
    /// </summary>
    public List<Guid> RestrictedToGroups { get; set; } = [];

    public string ValuesFor(string language) => language == ContentLanguages.English ? ValuesEn : ValuesJa;
}

/// <summary>A snapshot kept at every save.</summary>
public sealed class ContentVersion
{
    public long Id { get; set; }
    public Guid ItemId { get; set; }
    public int Number { get; set; }
    public string Slug { get; set; } = "";
    public ContentStatus Status { get; set; }
    public string ValuesJa { get; set; } = "{}";
    public string ValuesEn { get; set; } = "{}";
    public string SavedBy { get; set; } = "";
    public DateTime SavedAtUtc { get; set; }
    /// <summary>What the save was: "draft", "publish", "restore of 3", ...</summary>
    public string Note { get; set; } = "";
}
