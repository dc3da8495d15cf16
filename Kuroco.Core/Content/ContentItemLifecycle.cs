using Kuroco.Core.Common;

namespace Kuroco.Core.Content;

/// <summary>
/// The item a change is for, as the caller knows it: its <see cref="Id"/>, the concurrency token read with it
/// (<see cref="ExpectedToken"/>; null: no check) and the type it must belong to (<see cref="TypeId"/>; null: any). The
/// management API passes the type of its URL, so a key for one type never changes another type's item.
/// </summary>
public readonly record struct ContentItemRef(Guid Id, Guid? ExpectedToken = null, Guid? TypeId = null);

/// <summary>Parts of the working copy a write leaves as the item has them (the management API's PUT may omit the slug or a language).</summary>
[Flags]
public enum ContentItemParts
{
    None = 0,
    Slug = 1,
    Ja = 2,
    En = 4,
}

/// <summary>
/// The lifecycle of an item: publish, unpublish, archive, move to and restore from the trash, schedule. Each step checks
/// its rules once, in a fixed order, and either changes the item or returns why not (and changes nothing). Pure: the
/// services load the item once, call one step, then save, keep a version, audit and notify.
/// <para>
/// What each refusal is (and so the management API's status code):
/// <see cref="ErrorKind.NotFound"/> — the item is in the trash (the trash is not served: restore it first);
/// <see cref="ErrorKind.PreconditionFailed"/> — the caller's concurrency token is not the item's (someone changed it since it was read);
/// <see cref="ErrorKind.Conflict"/> — the item's state refuses the step: publishing without the approval its type requires,
/// unpublishing an item that is not published, restoring an item that is not in the trash, an unpublication alone for an archived item;
/// <see cref="ErrorKind.Validation"/> — the input breaks a rule, keyed by the input: the working copy against its type
/// ("Slug", "ja.KEY", "en.KEY"; a slug another item of the type uses is a validation error on "Slug", however it is found),
/// a scheduled time in the past or an unpublication not after the publication ("PublishAtUtc", "UnpublishAtUtc").
/// </para>
/// </summary>
public sealed partial class ContentItem
{
    public const int ActorMaxLength = 256;

    public bool IsInTrash => DeletedAtUtc is not null;

    /// <summary>A new, empty draft of <paramref name="type"/> (its values are set by <see cref="EditWorkingCopy"/>).</summary>
    public static ContentItem Create(ContentType type, string actor, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(type);
        var item = new ContentItem
        {
            Id = Guid.NewGuid(),
            TypeId = type.Id,
            TypeApiId = type.ApiId,
            Status = ContentStatus.Draft,
            CreatedAtUtc = now,
        };
        item.CreatedBy = item.Touch(actor, now);
        return item;
    }

    /// <summary>
    /// Whether an item of <paramref name="type"/> may be saved and published in one step (the management API's
    /// <c>publish: true</c>): not when the type requires approval, because a save resets the approval. Checked before anything is saved.
    /// </summary>
    public static Result CheckSaveAndPublish(ContentType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.RequiresApproval ? ApprovalRequired() : Result.Success;
    }

    /// <summary>The first rules of every change: the item is not in the trash, and <paramref name="expectedToken"/> (when given) is its token.</summary>
    public Result CheckLive(Guid? expectedToken)
    {
        if (IsInTrash)
        {
            return Result.NotFound(ContentMessages.Get("Content.Item.InTrash"));
        }
        return expectedToken is { } token && token != ConcurrencyToken ? StaleRefusal() : Result.Success;
    }

    /// <summary>The refusal of a change based on a stale copy of this item, naming who changed it last and when.</summary>
    public Result StaleRefusal() => Result.PreconditionFailed(ContentMessages.Format("Content.Item.Conflict", UpdatedBy, UpdatedAtUtc));

    /// <summary>
    /// Replaces the working copy (slug and values) and refreshes what is derived from it (title, languages present). A
    /// published item keeps its published copy and now has unpublished changes; the review starts again.
    /// </summary>
    public void EditWorkingCopy(ContentType type, string primaryLanguage, string slug, string valuesJa, string valuesEn, string actor, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(type);
        Slug = slug;
        ValuesJa = valuesJa;
        ValuesEn = valuesEn;
        var ja = ContentValues.Parse(ValuesJa);
        var en = ContentValues.Parse(ValuesEn);
        var active = type.ActiveFields.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        HasJa = ja.Any(v => active.Contains(v.Key) && !string.IsNullOrEmpty(v.Value));
        HasEn = en.Any(v => active.Contains(v.Key) && !string.IsNullOrEmpty(v.Value));
        var (primary, secondary) = primaryLanguage == ContentLanguages.English ? (en, ja) : (ja, en);
        var titleField = type.ActiveFields.FirstOrDefault(f => f.Kind == FieldKind.ShortText);
        string? title = null;
        if (titleField is not null)
        {
            title = primary.GetValueOrDefault(titleField.Key) is { Length: > 0 } p ? p : secondary.GetValueOrDefault(titleField.Key);
        }
        title = string.IsNullOrWhiteSpace(title) ? Slug : title.Trim();
        Title = title.Length > TitleMaxLength ? title[..TitleMaxLength] : title;
        HasUnpublishedChanges = Status == ContentStatus.Published;
        ReviewState = ReviewState.None; // changed content needs a new review
        Touch(actor, now);
    }

    /// <summary>
    /// Publishes the working copy. Rules, in order: the item is live (<see cref="CheckLive"/>), the approval its type may
    /// require was given (<see cref="ContentReviewRules.MayPublish"/>), and the working copy passes its type's rules —
    /// <paramref name="workingCopyErrors"/> is what the caller found checking it against the type and the other items
    /// (the type may have changed since the last save, another item may have taken the slug).
    /// </summary>
    public Result Publish(ContentType type, Guid? expectedToken, IReadOnlyList<FieldError> workingCopyErrors, string actor, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(workingCopyErrors);
        if (type.Id != TypeId)
        {
            throw new ArgumentException("The type is not the item's type.", nameof(type));
        }
        var live = CheckLive(expectedToken);
        if (!live.Succeeded)
        {
            return live;
        }
        if (!ContentReviewRules.MayPublish(type, this))
        {
            return ApprovalRequired();
        }
        if (workingCopyErrors.Count > 0)
        {
            return Result.Invalid(workingCopyErrors);
        }
        Status = ContentStatus.Published;
        PublishedJa = HasJa ? ValuesJa : null;
        PublishedEn = HasEn ? ValuesEn : null;
        PublishedAtUtc = now;
        PublishAtUtc = null;
        if (UnpublishAtUtc <= now)
        {
            UnpublishAtUtc = null;
        }
        HasUnpublishedChanges = false;
        ReviewState = ReviewState.None; // the next change is reviewed again
        Touch(actor, now);
        return Result.Success;
    }

    /// <summary>Takes a published item off the website; it becomes a draft with its working copy. Refused (Conflict) when it is not published.</summary>
    public Result Unpublish(Guid? expectedToken, string actor, DateTime now)
    {
        var live = CheckLive(expectedToken);
        if (!live.Succeeded)
        {
            return live;
        }
        if (Status != ContentStatus.Published)
        {
            return Result.Conflict(ContentMessages.Get("Content.Item.NotPublished"));
        }
        TakeDown(ContentStatus.Draft, actor, now);
        return Result.Success;
    }

    /// <summary>Archives the item (from any status): it leaves the website and its schedule is cleared.</summary>
    public Result Archive(Guid? expectedToken, string actor, DateTime now)
    {
        var live = CheckLive(expectedToken);
        if (!live.Succeeded)
        {
            return live;
        }
        TakeDown(ContentStatus.Archived, actor, now);
        PublishAtUtc = null;
        return Result.Success;
    }

    /// <summary>
    /// Moves the item to the trash: it leaves the website at once and its schedule is cleared; it comes back (by
    /// <see cref="RestoreFromTrash"/>) as a draft, or archived when it was archived.
    /// </summary>
    public Result MoveToTrash(Guid? expectedToken, string actor, DateTime now)
    {
        var live = CheckLive(expectedToken);
        if (!live.Succeeded)
        {
            return live;
        }
        Status = Status == ContentStatus.Archived ? ContentStatus.Archived : ContentStatus.Draft;
        PublishedJa = null;
        PublishedEn = null;
        PublishAtUtc = null;
        UnpublishAtUtc = null;
        HasUnpublishedChanges = false;
        DeletedAtUtc = now;
        DeletedBy = Touch(actor, now);
        return Result.Success;
    }

    /// <summary>Takes the item out of the trash (as the draft or archived item it became there). Refused (Conflict) when it is not in the trash.</summary>
    public Result RestoreFromTrash(string actor, DateTime now)
    {
        if (!IsInTrash)
        {
            return Result.Conflict(ContentMessages.Get("Content.Item.NotInTrash"));
        }
        DeletedAtUtc = null;
        DeletedBy = null;
        Touch(actor, now);
        return Result.Success;
    }

    /// <summary>
    /// Sets (or clears with null) the UTC times the schedule job publishes and unpublishes the item. Rules, in order: the
    /// item is live; a new time is in the future (a time already set may stay though it has passed); the unpublication
    /// comes after the publication; an archived item is not scheduled for unpublication alone. The value says whether the
    /// schedule changed: an unchanged schedule changes nothing, not even the token.
    /// </summary>
    public Result<bool> Schedule(DateTime? publishAtUtc, DateTime? unpublishAtUtc, Guid? expectedToken, string actor, DateTime now)
    {
        var live = CheckLive(expectedToken);
        if (!live.Succeeded)
        {
            return live.As<bool>();
        }
        var publishAt = publishAtUtc is { } p ? DateTime.SpecifyKind(p, DateTimeKind.Utc) : (DateTime?)null;
        var unpublishAt = unpublishAtUtc is { } u ? DateTime.SpecifyKind(u, DateTimeKind.Utc) : (DateTime?)null;
        if (publishAt is { } pa && pa <= now && pa != PublishAtUtc)
        {
            return Result<bool>.Invalid([new FieldError(nameof(PublishAtUtc), ContentMessages.Get("Content.Item.SchedulePast"))]);
        }
        if (unpublishAt is { } ua && ua <= now && ua != UnpublishAtUtc)
        {
            return Result<bool>.Invalid([new FieldError(nameof(UnpublishAtUtc), ContentMessages.Get("Content.Item.SchedulePast"))]);
        }
        if (publishAt is not null && unpublishAt is not null && unpublishAt <= publishAt)
        {
            return Result<bool>.Invalid([new FieldError(nameof(UnpublishAtUtc), ContentMessages.Get("Content.Item.ScheduleOrder"))]);
        }
        if (Status == ContentStatus.Archived && publishAt is null && unpublishAt is not null)
        {
            return Result<bool>.Conflict(ContentMessages.Get("Content.Item.ArchivedCannotPublish"));
        }
        if (PublishAtUtc == publishAt && UnpublishAtUtc == unpublishAt)
        {
            return Result.Ok(false);
        }
        PublishAtUtc = publishAt;
        UnpublishAtUtc = unpublishAt;
        Touch(actor, now);
        return Result.Ok(true);
    }

    /// <summary>A new draft with this item's values under <paramref name="slug"/> (the caller finds a free one).</summary>
    public ContentItem Duplicate(string slug, string actor, DateTime now)
    {
        var copy = new ContentItem
        {
            Id = Guid.NewGuid(),
            TypeId = TypeId,
            TypeApiId = TypeApiId,
            Slug = slug,
            Title = Title,
            Status = ContentStatus.Draft,
            ReviewState = ReviewState.None,
            HasJa = HasJa,
            HasEn = HasEn,
            ValuesJa = ValuesJa,
            ValuesEn = ValuesEn,
            CreatedAtUtc = now,
        };
        copy.CreatedBy = copy.Touch(actor, now);
        return copy;
    }

    /// <summary>The working copy as the next version (the caller stores it), e.g. note "draft", "publish", "restore of 3".</summary>
    public ContentVersion NewVersion(string note, DateTime now)
    {
        VersionCount++;
        return new ContentVersion
        {
            ItemId = Id,
            Number = VersionCount,
            Slug = Slug,
            Status = Status,
            ValuesJa = ValuesJa,
            ValuesEn = ValuesEn,
            SavedBy = UpdatedBy,
            SavedAtUtc = now,
            Note = note,
        };
    }

    /// <summary>Records a change by <paramref name="actor"/> (cut to <see cref="ActorMaxLength"/>, returned) and gives the item a new token: every copy read before is stale.</summary>
    public string Touch(string actor, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        UpdatedAtUtc = now;
        UpdatedBy = actor.Length > ActorMaxLength ? actor[..ActorMaxLength] : actor;
        ConcurrencyToken = Guid.NewGuid();
        return UpdatedBy;
    }

    private void TakeDown(ContentStatus target, string actor, DateTime now)
    {
        Status = target;
        PublishedJa = null;
        PublishedEn = null;
        UnpublishAtUtc = null;
        HasUnpublishedChanges = false;
        Touch(actor, now);
    }

    private static Result ApprovalRequired() => Result.Conflict(ContentMessages.Get("Content.Review.ApprovalRequired"));
}
