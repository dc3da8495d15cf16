using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// Items: each change runs in its own context, checks the concurrency token the editor read, keeps a
/// version where values change, is audited with before/after, and notifies listeners after the commit.
/// </summary>
internal sealed class ContentItemService(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock,
    IHtmlContentSanitizer sanitizer,
    IOptions<ContentOptions> options,
    ContentChangeNotifier notifier) : IContentItemService
{
    private const int AuditValueMaxLength = 300;

    private ContentOptions Settings => options.Value;

    public async Task<ContentItemPage> ListAsync(ContentItemQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var items = db.ContentItems.AsNoTracking().Where(i => i.TypeId == query.TypeId && i.DeletedAtUtc == null);
        if (query.Status is { } status)
        {
            items = items.Where(i => i.Status == status);
        }
        if (query.Language == ContentLanguages.Japanese)
        {
            items = items.Where(i => i.HasJa);
        }
        else if (query.Language == ContentLanguages.English)
        {
            items = items.Where(i => i.HasEn);
        }
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text.Trim();
            items = items.Where(i => i.Title.Contains(text) || i.Slug.Contains(text));
        }
        var total = await items.CountAsync(cancellationToken);
        var size = Math.Clamp(query.PageSize, 1, ContentItemQuery.MaxPageSize);
        if ((long)Math.Max(0, query.Page) * size >= total)
        {
            // Nothing to read (a search with no hit, a page past the end): without this the page query would walk
            // the whole type's index looking for rows that the count already said are not there (0.65 s at 100,000).
            return new ContentItemPage([], total);
        }
        // Every order ends in the id (ties never reorder between pages) and runs in the direction of one of the
        // list indexes (ContentItemConfiguration), so SQLite reads the page in index order instead of sorting the type.
        items = query.Sort switch
        {
            ContentSort.UpdatedAsc => items.OrderBy(i => i.UpdatedAtUtc).ThenBy(i => i.Id),
            ContentSort.TitleAsc => items.OrderBy(i => i.Title).ThenBy(i => i.Id),
            ContentSort.TitleDesc => items.OrderByDescending(i => i.Title).ThenByDescending(i => i.Id),
            ContentSort.SlugAsc => items.OrderBy(i => i.Slug),
            ContentSort.SlugDesc => items.OrderByDescending(i => i.Slug),
            ContentSort.PublishedAsc => items.OrderBy(i => i.PublishedAtUtc).ThenBy(i => i.Id),
            ContentSort.PublishedDesc => items.OrderByDescending(i => i.PublishedAtUtc).ThenByDescending(i => i.Id),
            ContentSort.StatusAsc => items.OrderBy(i => i.Status).ThenByDescending(i => i.UpdatedAtUtc).ThenByDescending(i => i.Id),
            _ => items.OrderByDescending(i => i.UpdatedAtUtc).ThenByDescending(i => i.Id),
        };
        var page = await items.Skip(Math.Max(0, query.Page) * size).Take(size).Select(Summary).ToListAsync(cancellationToken);
        return new ContentItemPage(page, total);
    }

    private static readonly System.Linq.Expressions.Expression<Func<ContentItem, ContentItemSummary>> Summary = i =>
        new ContentItemSummary(i.Id, i.TypeId, i.TypeApiId, i.Slug, i.Title, i.Status, i.HasUnpublishedChanges, i.HasJa, i.HasEn,
            i.PublishAtUtc, i.UnpublishAtUtc, i.PublishedAtUtc, i.UpdatedAtUtc, i.UpdatedBy, i.DeletedAtUtc);

    public async Task<ContentItem?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ContentItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
    }

    public async Task<ContentResult<ContentItem>> SaveDraftAsync(ContentItemInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var type = await db.ContentTypes.AsNoTracking().FirstOrDefaultAsync(t => t.Id == input.TypeId, cancellationToken);
        if (type is null)
        {
            return Failed(ContentMessages.Get("Content.Item.TypeNotFound"));
        }
        ContentItem? item = null;
        if (input.Id is { } id && id != Guid.Empty)
        {
            item = await db.ContentItems.FirstOrDefaultAsync(i => i.Id == id && i.TypeId == type.Id, cancellationToken);
            if (item is null)
            {
                return Failed(ContentMessages.Get("Content.Item.NotFound"));
            }
            if (item.DeletedAtUtc is not null)
            {
                return Failed(ContentMessages.Get("Content.Item.InTrash"));
            }
            if (input.ConcurrencyToken != item.ConcurrencyToken)
            {
                return Conflict(item);
            }
        }

        var clean = new ContentItemInput
        {
            Id = item?.Id,
            TypeId = type.Id,
            Slug = (input.Slug ?? "").Trim(),
            Ja = CleanValues(type, input.Ja),
            En = CleanValues(type, input.En),
        };
        var errors = await ValidateAsync(db, type, clean, item?.Id, cancellationToken);
        if (errors.Count > 0)
        {
            return ContentResult<ContentItem>.Invalid(errors);
        }

        var actor = (await auditContext.GetActorAsync()).Name;
        var now = clock.GetUtcNow().UtcDateTime;
        var created = item is null;
        var beforeJa = ContentValues.Parse(item?.ValuesJa);
        var beforeEn = ContentValues.Parse(item?.ValuesEn);
        var beforeSlug = item?.Slug;
        if (item is null)
        {
            item = new ContentItem
            {
                Id = Guid.NewGuid(),
                TypeId = type.Id,
                TypeApiId = type.ApiId,
                Status = ContentStatus.Draft,
                CreatedAtUtc = now,
                CreatedBy = actor,
            };
            db.ContentItems.Add(item);
        }
        // Values of archived or unknown fields stay as they were: a type change never loses data.
        var ja = Keep(beforeJa, type, clean.Ja);
        var en = Keep(beforeEn, type, clean.En);
        var valuesJa = ContentValues.Serialize(ja);
        var valuesEn = ContentValues.Serialize(en);
        if (!created && valuesJa == item.ValuesJa && valuesEn == item.ValuesEn && beforeSlug == clean.Slug)
        {
            return ContentResult<ContentItem>.Ok(item);
        }
        item.Slug = clean.Slug;
        item.ValuesJa = valuesJa;
        item.ValuesEn = valuesEn;
        Refresh(item, type);
        item.HasUnpublishedChanges = item.Status == ContentStatus.Published;
        item.ReviewState = ReviewState.None; // changed content needs a new review
        Touch(item, actor, now);
        AddVersion(db, item, actor, now, created ? "create" : "draft");
        if (await SaveAsync(db, item, cancellationToken) is { } conflict)
        {
            return conflict;
        }
        var changes = new List<FieldChange>();
        if (beforeSlug != item.Slug)
        {
            changes.Add(new FieldChange("slug", beforeSlug, item.Slug));
        }
        changes.AddRange(Diff("ja", beforeJa, ja));
        changes.AddRange(Diff("en", beforeEn, en));
        await audit.WriteAsync(new AuditRecord(created ? AuditActions.ContentItemCreated : AuditActions.ContentItemSaved,
            "ContentItem", item.Id.ToString(), $"{type.ApiId}/{item.Slug} {(created ? "created" : "saved")} (version {item.VersionCount}).",
            AuditOutcome.Success, changes), cancellationToken);
        return ContentResult<ContentItem>.Ok(item);
    }

    public Task<ContentResult<ContentItem>> PublishAsync(Guid id, Guid? expectedToken = null, CancellationToken cancellationToken = default) =>
        PublishCoreAsync(id, expectedToken, scheduled: false, cancellationToken);

    internal async Task<ContentResult<ContentItem>> PublishCoreAsync(Guid id, Guid? expectedToken, bool scheduled, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (item, type, error) = await LoadAsync(db, id, expectedToken, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        var input = new ContentItemInput
        {
            Id = item!.Id,
            TypeId = type!.Id,
            Slug = item.Slug,
            Ja = ContentValues.Parse(item.ValuesJa),
            En = ContentValues.Parse(item.ValuesEn),
        };
        // The type may have changed since the last save: the working copy must pass today's rules.
        var errors = ContentReviewRules.MayPublish(type, item)
            ? await ValidateAsync(db, type, input, item.Id, cancellationToken)
            : [new("Status", ContentMessages.Get("Content.Review.ApprovalRequired"))];
        if (errors.Count > 0)
        {
            if (scheduled)
            {
                item.PublishAtUtc = null;
                await SaveAsync(db, item, cancellationToken);
                await audit.WriteAsync(new AuditRecord(AuditActions.ContentItemPublished, "ContentItem", item.Id.ToString(),
                    $"Scheduled publication of {item.TypeApiId}/{item.Slug} failed: {string.Join(" ", errors.Select(e => e.Value))}", AuditOutcome.Failure), cancellationToken);
            }
            return ContentResult<ContentItem>.Invalid(errors);
        }
        var actor = (await auditContext.GetActorAsync()).Name;
        var now = clock.GetUtcNow().UtcDateTime;
        var before = item.Status;
        item.Status = ContentStatus.Published;
        item.PublishedJa = item.HasJa ? item.ValuesJa : null;
        item.PublishedEn = item.HasEn ? item.ValuesEn : null;
        item.PublishedAtUtc = now;
        item.PublishAtUtc = null;
        if (item.UnpublishAtUtc <= now)
        {
            item.UnpublishAtUtc = null;
        }
        item.HasUnpublishedChanges = false;
        item.ReviewState = ReviewState.None; // the next change is reviewed again
        Touch(item, actor, now);
        AddVersion(db, item, actor, now, scheduled ? "scheduled publish" : "publish");
        if (await SaveAsync(db, item, cancellationToken) is { } conflict)
        {
            return conflict;
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.ContentItemPublished, "ContentItem", item.Id.ToString(),
            $"{item.TypeApiId}/{item.Slug} published{(scheduled ? " by the schedule" : "")}.", AuditOutcome.Success,
            [new FieldChange("Status", before.ToString(), item.Status.ToString())]), cancellationToken);
        await NotifyAsync(ContentChangeKind.Published, item, now, cancellationToken);
        return ContentResult<ContentItem>.Ok(item);
    }

    public Task<ContentResult<ContentItem>> UnpublishAsync(Guid id, Guid? expectedToken = null, CancellationToken cancellationToken = default) =>
        TakeDownAsync(id, expectedToken, ContentStatus.Draft, scheduled: false, cancellationToken);

    public Task<ContentResult<ContentItem>> ArchiveAsync(Guid id, Guid? expectedToken = null, CancellationToken cancellationToken = default) =>
        TakeDownAsync(id, expectedToken, ContentStatus.Archived, scheduled: false, cancellationToken);

    internal async Task<ContentResult<ContentItem>> TakeDownAsync(Guid id, Guid? expectedToken, ContentStatus target, bool scheduled, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (item, _, error) = await LoadAsync(db, id, expectedToken, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        if (target == ContentStatus.Draft && item!.Status != ContentStatus.Published)
        {
            if (scheduled && item.UnpublishAtUtc is not null)
            {
                item.UnpublishAtUtc = null;
                await SaveAsync(db, item, cancellationToken);
            }
            return Failed(ContentMessages.Get("Content.Item.NotPublished"));
        }
        var actor = (await auditContext.GetActorAsync()).Name;
        var now = clock.GetUtcNow().UtcDateTime;
        var before = item!.Status;
        var wasPublished = before == ContentStatus.Published;
        item.Status = target;
        item.PublishedJa = null;
        item.PublishedEn = null;
        item.UnpublishAtUtc = null;
        item.HasUnpublishedChanges = false;
        if (target == ContentStatus.Archived)
        {
            item.PublishAtUtc = null;
        }
        Touch(item, actor, now);
        if (await SaveAsync(db, item, cancellationToken) is { } conflict)
        {
            return conflict;
        }
        var action = target == ContentStatus.Archived ? AuditActions.ContentItemArchived : AuditActions.ContentItemUnpublished;
        await audit.WriteAsync(new AuditRecord(action, "ContentItem", item.Id.ToString(),
            $"{item.TypeApiId}/{item.Slug} {(target == ContentStatus.Archived ? "archived" : "unpublished")}{(scheduled ? " by the schedule" : "")}.",
            AuditOutcome.Success, [new FieldChange("Status", before.ToString(), target.ToString())]), cancellationToken);
        if (wasPublished)
        {
            await NotifyAsync(ContentChangeKind.Unpublished, item, now, cancellationToken);
        }
        return ContentResult<ContentItem>.Ok(item);
    }

    public async Task<ContentResult<ContentItem>> ScheduleAsync(Guid id, DateTime? publishAtUtc, DateTime? unpublishAtUtc, Guid? expectedToken = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (item, _, error) = await LoadAsync(db, id, expectedToken, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var publishAt = publishAtUtc is { } p ? DateTime.SpecifyKind(p, DateTimeKind.Utc) : (DateTime?)null;
        var unpublishAt = unpublishAtUtc is { } u ? DateTime.SpecifyKind(u, DateTimeKind.Utc) : (DateTime?)null;
        if ((publishAt is { } pa && pa <= now && pa != item!.PublishAtUtc) || (unpublishAt is { } ua && ua <= now && ua != item!.UnpublishAtUtc))
        {
            return Failed(ContentMessages.Get("Content.Item.SchedulePast"));
        }
        if (publishAt is not null && unpublishAt is not null && unpublishAt <= publishAt)
        {
            return Failed(ContentMessages.Get("Content.Item.ScheduleOrder"));
        }
        if (item!.Status == ContentStatus.Archived && publishAt is null && unpublishAt is not null)
        {
            return Failed(ContentMessages.Get("Content.Item.ArchivedCannotPublish"));
        }
        var changes = new List<FieldChange>();
        if (item.PublishAtUtc != publishAt)
        {
            changes.Add(new FieldChange("PublishAtUtc", Iso(item.PublishAtUtc), Iso(publishAt)));
        }
        if (item.UnpublishAtUtc != unpublishAt)
        {
            changes.Add(new FieldChange("UnpublishAtUtc", Iso(item.UnpublishAtUtc), Iso(unpublishAt)));
        }
        if (changes.Count == 0)
        {
            return ContentResult<ContentItem>.Ok(item);
        }
        item.PublishAtUtc = publishAt;
        item.UnpublishAtUtc = unpublishAt;
        Touch(item, (await auditContext.GetActorAsync()).Name, now);
        if (await SaveAsync(db, item, cancellationToken) is { } conflict)
        {
            return conflict;
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.ContentItemScheduled, "ContentItem", item.Id.ToString(),
            $"{item.TypeApiId}/{item.Slug} schedule changed.", AuditOutcome.Success, changes), cancellationToken);
        return ContentResult<ContentItem>.Ok(item);
    }

    public async Task<ContentResult<ContentItem>> DuplicateAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var source = await db.ContentItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id && i.DeletedAtUtc == null, cancellationToken);
        if (source is null)
        {
            return Failed(ContentMessages.Get("Content.Item.NotFound"));
        }
        var slugBase = source.Slug.Length > ContentItem.SlugMaxLength - 12 ? source.Slug[..(ContentItem.SlugMaxLength - 12)].TrimEnd('-') : source.Slug;
        var slug = slugBase + "-copy";
        for (var n = 2; await db.ContentItems.AnyAsync(i => i.TypeId == source.TypeId && i.Slug == slug, cancellationToken); n++)
        {
            slug = string.Create(CultureInfo.InvariantCulture, $"{slugBase}-copy-{n}");
        }
        var actor = (await auditContext.GetActorAsync()).Name;
        var now = clock.GetUtcNow().UtcDateTime;
        var copy = new ContentItem
        {
            Id = Guid.NewGuid(),
            TypeId = source.TypeId,
            TypeApiId = source.TypeApiId,
            Slug = slug,
            Title = source.Title,
            Status = ContentStatus.Draft,
            ReviewState = ReviewState.None,
            HasJa = source.HasJa,
            HasEn = source.HasEn,
            ValuesJa = source.ValuesJa,
            ValuesEn = source.ValuesEn,
            CreatedAtUtc = now,
            CreatedBy = actor,
        };
        Touch(copy, actor, now);
        db.ContentItems.Add(copy);
        AddVersion(db, copy, actor, now, "duplicate");
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.ContentItemDuplicated, "ContentItem", copy.Id.ToString(),
            $"{copy.TypeApiId}/{copy.Slug} created as a copy of {source.Slug} ({source.Id}).", AuditOutcome.Success), cancellationToken);
        return ContentResult<ContentItem>.Ok(copy);
    }

    public async Task<IReadOnlyList<ContentVersionSummary>> VersionsAsync(Guid itemId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ContentVersions.AsNoTracking().Where(v => v.ItemId == itemId).OrderByDescending(v => v.Number)
            .Select(v => new ContentVersionSummary(v.Id, v.Number, v.Status, v.SavedBy, v.SavedAtUtc, v.Note))
            .ToListAsync(cancellationToken);
    }

    public async Task<ContentVersion?> FindVersionAsync(Guid itemId, int number, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ContentVersions.AsNoTracking().FirstOrDefaultAsync(v => v.ItemId == itemId && v.Number == number, cancellationToken);
    }

    public async Task<ContentResult<ContentItem>> RestoreVersionAsync(Guid itemId, int number, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (item, type, error) = await LoadAsync(db, itemId, null, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        var version = await db.ContentVersions.AsNoTracking().FirstOrDefaultAsync(v => v.ItemId == itemId && v.Number == number, cancellationToken);
        if (version is null)
        {
            return Failed(ContentMessages.Get("Content.Item.VersionNotFound"));
        }
        var actor = (await auditContext.GetActorAsync()).Name;
        var now = clock.GetUtcNow().UtcDateTime;
        var beforeJa = ContentValues.Parse(item!.ValuesJa);
        var beforeEn = ContentValues.Parse(item.ValuesEn);
        item.ValuesJa = version.ValuesJa;
        item.ValuesEn = version.ValuesEn;
        Refresh(item, type!);
        item.HasUnpublishedChanges = item.Status == ContentStatus.Published;
        item.ReviewState = ReviewState.None;
        Touch(item, actor, now);
        AddVersion(db, item, actor, now, string.Create(CultureInfo.InvariantCulture, $"restore of {number}"));
        if (await SaveAsync(db, item, cancellationToken) is { } conflict)
        {
            return conflict;
        }
        var changes = Diff("ja", beforeJa, ContentValues.Parse(item.ValuesJa)).Concat(Diff("en", beforeEn, ContentValues.Parse(item.ValuesEn))).ToList();
        await audit.WriteAsync(new AuditRecord(AuditActions.ContentVersionRestored, "ContentItem", item.Id.ToString(),
            string.Create(CultureInfo.InvariantCulture, $"{item.TypeApiId}/{item.Slug}: version {number} restored as a new draft (version {item.VersionCount})."),
            AuditOutcome.Success, changes), cancellationToken);
        return ContentResult<ContentItem>.Ok(item);
    }

    public async Task<ContentResult> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (item, _, error) = await LoadAsync(db, id, null, cancellationToken);
        if (error is not null)
        {
            return new ContentResult(false, error.Errors, error.IsConflict);
        }
        var actor = (await auditContext.GetActorAsync()).Name;
        var now = clock.GetUtcNow().UtcDateTime;
        var before = item!.Status;
        // The trash holds drafts: a deleted item leaves the website at once and comes back unpublished.
        item.Status = before == ContentStatus.Archived ? ContentStatus.Archived : ContentStatus.Draft;
        item.PublishedJa = null;
        item.PublishedEn = null;
        item.PublishAtUtc = null;
        item.UnpublishAtUtc = null;
        item.HasUnpublishedChanges = false;
        item.DeletedAtUtc = now;
        item.DeletedBy = actor;
        Touch(item, actor, now);
        if (await SaveAsync(db, item, cancellationToken) is { } conflict)
        {
            return new ContentResult(false, conflict.Errors, true);
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.ContentItemDeleted, "ContentItem", item.Id.ToString(),
            $"{item.TypeApiId}/{item.Slug} moved to the trash.", AuditOutcome.Success,
            [new FieldChange("Status", before.ToString(), "Trash")]), cancellationToken);
        await NotifyAsync(ContentChangeKind.Deleted, item, now, cancellationToken);
        return ContentResult.Success;
    }

    public async Task<ContentResult> RestoreFromTrashAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var item = await db.ContentItems.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (item is null)
        {
            return ContentResult.Failed(ContentMessages.Get("Content.Item.NotFound"));
        }
        if (item.DeletedAtUtc is null)
        {
            return ContentResult.Failed(ContentMessages.Get("Content.Item.NotInTrash"));
        }
        var actor = (await auditContext.GetActorAsync()).Name;
        var now = clock.GetUtcNow().UtcDateTime;
        item.DeletedAtUtc = null;
        item.DeletedBy = null;
        Touch(item, actor, now);
        if (await SaveAsync(db, item, cancellationToken) is { } conflict)
        {
            return new ContentResult(false, conflict.Errors, true);
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.ContentItemRestored, "ContentItem", item.Id.ToString(),
            $"{item.TypeApiId}/{item.Slug} restored from the trash as a {item.Status.ToString().ToLowerInvariant()}.", AuditOutcome.Success,
            [new FieldChange("Status", "Trash", item.Status.ToString())]), cancellationToken);
        return ContentResult.Success;
    }

    public async Task<ContentItemPage> TrashAsync(int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var items = db.ContentItems.AsNoTracking().Where(i => i.DeletedAtUtc != null);
        var total = await items.CountAsync(cancellationToken);
        var size = Math.Clamp(pageSize, 1, ContentItemQuery.MaxPageSize);
        var rows = await items.OrderByDescending(i => i.DeletedAtUtc).Skip(Math.Max(0, page) * size).Take(size)
            .Select(Summary).ToListAsync(cancellationToken);
        return new ContentItemPage(rows, total);
    }

    /// <summary>Removes items that have been in the trash longer than the retention; returns how many.</summary>
    internal async Task<int> PurgeTrashAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-Math.Max(0, Settings.TrashRetentionDays));
        var purged = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var batch = await db.ContentItems.Where(i => i.DeletedAtUtc != null && i.DeletedAtUtc <= cutoff)
                .OrderBy(i => i.DeletedAtUtc).Take(200).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return purged;
            }
            var ids = batch.Select(i => i.Id).ToList();
            await db.ContentVersions.Where(v => ids.Contains(v.ItemId)).ExecuteDeleteAsync(cancellationToken);
            await db.ContentReviews.Where(r => ids.Contains(r.ItemId)).ExecuteDeleteAsync(cancellationToken);
            db.ContentItems.RemoveRange(batch);
            await db.SaveChangesAsync(cancellationToken);
            purged += batch.Count;
            foreach (var item in batch)
            {
                await audit.WriteAsync(new AuditRecord(AuditActions.ContentItemPurged, "ContentItem", item.Id.ToString(),
                    string.Create(CultureInfo.InvariantCulture, $"{item.TypeApiId}/{item.Slug} purged from the trash (deleted {item.DeletedAtUtc:yyyy-MM-dd HH:mm} UTC by {item.DeletedBy})."),
                    AuditOutcome.Success) { Actor = AuditActor.System }, cancellationToken);
            }
        }
    }

    /// <summary>Ids of items whose scheduled publication or unpublication is due.</summary>
    internal async Task<(IReadOnlyList<Guid> Publish, IReadOnlyList<Guid> Unpublish)> DueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var publish = await db.ContentItems.AsNoTracking()
            .Where(i => i.PublishAtUtc != null && i.PublishAtUtc <= now && i.DeletedAtUtc == null)
            .OrderBy(i => i.PublishAtUtc).Select(i => i.Id).Take(500).ToListAsync(cancellationToken);
        var unpublish = await db.ContentItems.AsNoTracking()
            .Where(i => i.UnpublishAtUtc != null && i.UnpublishAtUtc <= now && i.DeletedAtUtc == null)
            .OrderBy(i => i.UnpublishAtUtc).Select(i => i.Id).Take(500).ToListAsync(cancellationToken);
        return (publish, unpublish);
    }

    private async Task<(ContentItem? Item, ContentType? Type, ContentResult<ContentItem>? Error)> LoadAsync(
        KurocoDbContext db, Guid id, Guid? expectedToken, CancellationToken cancellationToken)
    {
        var item = await db.ContentItems.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (item is null)
        {
            return (null, null, Failed(ContentMessages.Get("Content.Item.NotFound")));
        }
        if (item.DeletedAtUtc is not null)
        {
            return (null, null, Failed(ContentMessages.Get("Content.Item.InTrash")));
        }
        if (expectedToken is { } token && token != item.ConcurrencyToken)
        {
            return (null, null, Conflict(item));
        }
        var type = await db.ContentTypes.AsNoTracking().FirstAsync(t => t.Id == item.TypeId, cancellationToken);
        return (item, type, null);
    }

    /// <summary>The errors with the input each is about: "Slug", "ja.KEY" or "en.KEY" (the validator's names).</summary>
    private async Task<List<KeyValuePair<string, string>>> ValidateAsync(KurocoDbContext db, ContentType type, ContentItemInput input, Guid? itemId, CancellationToken cancellationToken)
    {
        var validation = await ContentItemValidator.Instance.ValidateAsync(new ContentItemCandidate(type, Settings.Primary, input), cancellationToken);
        var errors = validation.Errors.Select(e => KeyValuePair.Create(e.PropertyName, e.ErrorMessage)).ToList();
        if (errors.Count == 0 && await db.ContentItems.AnyAsync(i => i.TypeId == type.Id && i.Slug == input.Slug && i.Id != itemId, cancellationToken))
        {
            errors.Add(new("Slug", ContentMessages.Get("Content.Item.SlugTaken")));
        }
        if (errors.Count == 0)
        {
            // A reference must point at an existing item of the field's target type.
            foreach (var field in type.ActiveFields.Where(f => f.Kind == FieldKind.Reference))
            {
                foreach (var language in ContentLanguages.All)
                {
                    if (input.ValuesFor(language).TryGetValue(field.Key, out var value) && Guid.TryParse(value, out var target)
                        && !await db.ContentItems.AnyAsync(i => i.Id == target && i.TypeApiId == field.ReferenceTypeApiId && i.DeletedAtUtc == null, cancellationToken))
                    {
                        errors.Add(new(language + "." + field.Key, ContentMessages.Format("Content.Field.ReferenceMissing",
                            ContentMessages.FieldName(field, language), field.ReferenceTypeApiId)));
                    }
                }
            }
            foreach (var field in type.ActiveFields.Where(f => f.Unique))
            {
                foreach (var language in ContentLanguages.All)
                {
                    if (!input.ValuesFor(language).TryGetValue(field.Key, out var value) || string.IsNullOrEmpty(value))
                    {
                        continue;
                    }
                    if (await IsTakenAsync(db, type.Id, itemId, language, field.Key, value, cancellationToken))
                    {
                        errors.Add(new(language + "." + field.Key, ContentMessages.Format("Content.Field.Unique",
                            ContentMessages.FieldName(field, language))));
                    }
                }
            }
        }
        return errors;
    }

    private static async Task<bool> IsTakenAsync(KurocoDbContext db, Guid typeId, Guid? itemId, string language, string key, string value, CancellationToken cancellationToken)
    {
        // A parameterized substring search narrows the candidates; the parsed values decide.
        var fragment = ContentValues.JsonFragment(key, value);
        var others = db.ContentItems.AsNoTracking().Where(i => i.TypeId == typeId && i.Id != itemId && i.DeletedAtUtc == null);
        var candidates = language == ContentLanguages.English
            ? await others.Where(i => i.ValuesEn.Contains(fragment)).Select(i => i.ValuesEn).Take(50).ToListAsync(cancellationToken)
            : await others.Where(i => i.ValuesJa.Contains(fragment)).Select(i => i.ValuesJa).Take(50).ToListAsync(cancellationToken);
        return candidates.Any(c => ContentValues.Parse(c).TryGetValue(key, out var other) && string.Equals(other, value, StringComparison.Ordinal));
    }

    private Dictionary<string, string?> CleanValues(ContentType type, IReadOnlyDictionary<string, string?>? values)
    {
        var clean = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (values is null)
        {
            return clean;
        }
        foreach (var field in type.ActiveFields)
        {
            if (!values.TryGetValue(field.Key, out var value) || string.IsNullOrEmpty(value))
            {
                continue;
            }
            clean[field.Key] = field.Kind switch
            {
                FieldKind.RichText => sanitizer.Sanitize(value),
                FieldKind.ShortText or FieldKind.SingleChoice or FieldKind.Media or FieldKind.Reference or FieldKind.Number => value.Trim(),
                FieldKind.MultipleChoice or FieldKind.Tags => ContentValues.JoinList(ContentValues.SplitList(value).Distinct(StringComparer.Ordinal)),
                FieldKind.DateTime => NormalizeDate(value),
                FieldKind.LongText or FieldKind.Markdown => value.Replace("\r\n", "\n", StringComparison.Ordinal),
                _ => value,
            };
        }
        return clean;
    }

    private static string NormalizeDate(string value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture)
            : value;

    private static Dictionary<string, string?> Keep(Dictionary<string, string?> before, ContentType type, Dictionary<string, string?> edited)
    {
        var active = type.ActiveFields.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, string?>(edited, StringComparer.Ordinal);
        foreach (var (key, value) in before.Where(b => !active.Contains(b.Key)))
        {
            result[key] = value;
        }
        return result;
    }

    private void Refresh(ContentItem item, ContentType type)
    {
        var ja = ContentValues.Parse(item.ValuesJa);
        var en = ContentValues.Parse(item.ValuesEn);
        var active = type.ActiveFields.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        item.HasJa = ja.Any(v => active.Contains(v.Key) && !string.IsNullOrEmpty(v.Value));
        item.HasEn = en.Any(v => active.Contains(v.Key) && !string.IsNullOrEmpty(v.Value));
        var primary = Settings.Primary == ContentLanguages.English ? en : ja;
        var secondary = Settings.Primary == ContentLanguages.English ? ja : en;
        var titleField = type.ActiveFields.FirstOrDefault(f => f.Kind == FieldKind.ShortText);
        string? title = null;
        if (titleField is not null)
        {
            title = primary.GetValueOrDefault(titleField.Key) is { Length: > 0 } p ? p : secondary.GetValueOrDefault(titleField.Key);
        }
        title = string.IsNullOrWhiteSpace(title) ? item.Slug : title.Trim();
        item.Title = title.Length > ContentItem.TitleMaxLength ? title[..ContentItem.TitleMaxLength] : title;
    }

    private static void Touch(ContentItem item, string actor, DateTime now)
    {
        item.UpdatedAtUtc = now;
        item.UpdatedBy = actor.Length > 256 ? actor[..256] : actor;
        item.ConcurrencyToken = Guid.NewGuid();
    }

    private static void AddVersion(KurocoDbContext db, ContentItem item, string actor, DateTime now, string note)
    {
        item.VersionCount++;
        db.ContentVersions.Add(new ContentVersion
        {
            ItemId = item.Id,
            Number = item.VersionCount,
            Slug = item.Slug,
            Status = item.Status,
            ValuesJa = item.ValuesJa,
            ValuesEn = item.ValuesEn,
            SavedBy = item.UpdatedBy,
            SavedAtUtc = now,
            Note = note,
        });
    }

    private static async Task<ContentResult<ContentItem>?> SaveAsync(KurocoDbContext db, ContentItem item, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another editor saved between our read and our write.
            var current = await db.ContentItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == item.Id, cancellationToken);
            return current is null ? Failed(ContentMessages.Get("Content.Item.NotFound")) : Conflict(current);
        }
        catch (DbUpdateException)
        {
            // Two saves raced for one slug: the unique index decided.
            if (await db.ContentItems.AsNoTracking().AnyAsync(i => i.TypeId == item.TypeId && i.Slug == item.Slug && i.Id != item.Id, cancellationToken))
            {
                return Failed(ContentMessages.Get("Content.Item.SlugTaken"));
            }
            throw;
        }
    }

    private async Task NotifyAsync(ContentChangeKind kind, ContentItem item, DateTime now, CancellationToken cancellationToken) =>
        await notifier.NotifyAsync(new ContentChange(kind, item.TypeApiId, item.Id, item.Slug, new DateTimeOffset(now, TimeSpan.Zero)), cancellationToken);

    private static IEnumerable<FieldChange> Diff(string language, IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> after)
    {
        foreach (var key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var b = before.GetValueOrDefault(key);
            var a = after.GetValueOrDefault(key);
            if (!string.Equals(b, a, StringComparison.Ordinal))
            {
                yield return new FieldChange(language + "." + key, Short(b), Short(a));
            }
        }
    }

    private static string? Short(string? value) => value is null || value.Length <= AuditValueMaxLength ? value : value[..AuditValueMaxLength] + "…";

    private static string? Iso(DateTime? value) => value?.ToString("O", CultureInfo.InvariantCulture);

    private static ContentResult<ContentItem> Failed(string error) => ContentResult<ContentItem>.Failed([error]);

    private static ContentResult<ContentItem> Conflict(ContentItem current) => ContentResult<ContentItem>.Failed(
        [ContentMessages.Format("Content.Item.Conflict", current.UpdatedBy, current.UpdatedAtUtc)], conflict: true);
}
