using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// Editing items: the console's list, reading one, saving the working copy and duplicating. A save runs in its own
/// context, reads the item once, checks the token the editor read, keeps a version when something changed and is
/// audited with before/after. <see cref="ContentPublishingService"/> saves through <see cref="SaveLoadedAsync"/> too.
/// </summary>
internal sealed class ContentItemService(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock,
    ContentItemChecks checks,
    ContentChangeNotifier notifier) : IContentItemService
{
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
        var page = await items.Skip(Math.Max(0, query.Page) * size).Take(size).Select(ContentItemStore.Summary).ToListAsync(cancellationToken);
        return new ContentItemPage(page, total);
    }

    public async Task<ContentItem?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ContentItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
    }

    public async Task<Result<ContentItem>> SaveDraftAsync(ContentItemInput input, ContentItemParts keep = ContentItemParts.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var loaded = await LoadForSaveAsync(db, input, cancellationToken);
        if (!loaded.TryGetValue(out var target))
        {
            return loaded.As<ContentItem>();
        }
        return await SaveLoadedAsync(db, target.Type, target.Item, input, keep, publishing: false, cancellationToken);
    }

    /// <summary>The type of the input and, for a save of an existing item, the item (tracked): NotFound when either is missing.</summary>
    internal static async Task<Result<(ContentType Type, ContentItem? Item)>> LoadForSaveAsync(KurocoDbContext db, ContentItemInput input, CancellationToken cancellationToken)
    {
        var type = await db.ContentTypes.AsNoTracking().FirstOrDefaultAsync(t => t.Id == input.TypeId, cancellationToken);
        if (type is null)
        {
            return Result<(ContentType, ContentItem?)>.NotFound(ContentMessages.Get("Content.Item.TypeNotFound"));
        }
        if (input.Id is not { } id || id == Guid.Empty)
        {
            return Result.Ok<(ContentType, ContentItem?)>((type, null));
        }
        var item = await db.ContentItems.FirstOrDefaultAsync(i => i.Id == id && i.TypeId == type.Id, cancellationToken);
        return item is null ? ContentItemStore.NotFound().As<(ContentType, ContentItem?)>() : Result.Ok<(ContentType, ContentItem?)>((type, item));
    }

    /// <summary>
    /// Saves the working copy of a loaded item (or creates one when <paramref name="item"/> is null). Rules, in order: the
    /// item is live and the input's token is its token; when <paramref name="publishing"/>, the type lets a save be
    /// published at once; the cleaned input passes the rules. An input that changes nothing saves nothing.
    /// </summary>
    internal async Task<Result<ContentItem>> SaveLoadedAsync(KurocoDbContext db, ContentType type, ContentItem? item, ContentItemInput input,
        ContentItemParts keep, bool publishing, CancellationToken cancellationToken)
    {
        if (item is not null && item.CheckLive(input.ConcurrencyToken ?? Guid.Empty) is { Succeeded: false } notLive)
        {
            return notLive.As<ContentItem>();
        }
        if (publishing && ContentItem.CheckSaveAndPublish(type) is { Succeeded: false } refused)
        {
            return refused.As<ContentItem>();
        }
        var clean = checks.Clean(type, input, item, keep);
        var errors = await checks.ValidateAsync(db, type, clean, item?.Id, cancellationToken);
        var groups = clean.RestrictedToGroups ?? [];
        if (errors.Count == 0 && await ContentMemberAccessChecks.UnknownGroupAsync(db, groups, item?.RestrictedToGroups, nameof(ContentItemInput.RestrictedToGroups), cancellationToken) is { } unknownGroup)
        {
            errors.Add(unknownGroup);
        }
        if (errors.Count > 0)
        {
            return Result<ContentItem>.Invalid(errors);
        }

        var beforeJa = ContentValues.Parse(item?.ValuesJa);
        var beforeEn = ContentValues.Parse(item?.ValuesEn);
        var beforeSlug = item?.Slug;
        var ja = ContentItemChecks.Keep(beforeJa, type, clean.Ja);
        var en = ContentItemChecks.Keep(beforeEn, type, clean.En);
        var valuesJa = ContentValues.Serialize(ja);
        var valuesEn = ContentValues.Serialize(en);
        var contentChanged = item is null || valuesJa != item.ValuesJa || valuesEn != item.ValuesEn || beforeSlug != clean.Slug;
        var beforeGroups = item?.RestrictedToGroups ?? [];
        var accessChanged = !ContentMemberAccess.SameGroups(beforeGroups, groups);
        if (!contentChanged && !accessChanged)
        {
            return Result.Ok(item!);
        }
        var actor = (await auditContext.GetActorAsync()).Name;
        var now = clock.GetUtcNow().UtcDateTime;
        var created = item is null;
        if (item is null)
        {
            item = ContentItem.Create(type, actor, now);
            db.ContentItems.Add(item);
        }
        if (contentChanged)
        {
            item.EditWorkingCopy(type, checks.Primary, clean.Slug, valuesJa, valuesEn, actor, now);
            ContentItemStore.AddVersion(db, item, created ? "create" : "draft", now);
        }
        else
        {
            // Only who may read it changed: not the working copy (no version, no unpublished changes), but a new token.
            item.Touch(actor, now);
        }
        item.RestrictedToGroups = [.. groups];
        if (await ContentItemStore.SaveAsync(db, item, cancellationToken) is { Succeeded: false } failed)
        {
            return failed.As<ContentItem>();
        }
        var changes = new List<FieldChange>();
        if (beforeSlug != item.Slug)
        {
            changes.Add(new FieldChange("slug", beforeSlug, item.Slug));
        }
        changes.AddRange(ContentItemStore.Diff("ja", beforeJa, ja));
        changes.AddRange(ContentItemStore.Diff("en", beforeEn, en));
        if (accessChanged)
        {
            var names = await ContentMemberAccessChecks.NamesAsync(db, beforeGroups.Concat(groups), cancellationToken);
            changes.Add(new FieldChange(ContentTypeService.MembersOnlyChange, ContentMemberAccess.Describe(beforeGroups, names, AsTheType),
                ContentMemberAccess.Describe(groups, names, AsTheType)));
        }
        var parameters = ContentAudit.Item(item,
            ("version", item.VersionCount.ToString(CultureInfo.InvariantCulture)), ("variant", contentChanged ? null : "access"));
        await audit.WriteAsync(new AuditRecord(created ? AuditActions.ContentItemCreated : AuditActions.ContentItemSaved,
            AuditEntityTypes.ContentItem, item.Id.ToString(), parameters, AuditOutcome.Success, changes), cancellationToken);
        // A restriction applies at once, to the copy websites read too: their cached answers go and webhooks hear of it
        // (a save that publishes tells them itself, once published).
        if (accessChanged && !publishing && item.Status == ContentStatus.Published)
        {
            await notifier.NotifyAsync(ContentChangeNotifier.ChangeOf(ContentChangeKind.Published, type, item, now), cancellationToken);
        }
        return Result.Ok(item);
    }

    /// <summary>How an item without a restriction of its own reads in the audit log.</summary>
    private const string AsTheType = "as the type";

    public async Task<Result<ContentItem>> DuplicateAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var source = await db.ContentItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id && i.DeletedAtUtc == null, cancellationToken);
        if (source is null)
        {
            return ContentItemStore.NotFound().As<ContentItem>();
        }
        var slugBase = source.Slug.Length > ContentItem.SlugMaxLength - 12 ? source.Slug[..(ContentItem.SlugMaxLength - 12)].TrimEnd('-') : source.Slug;
        var slug = slugBase + "-copy";
        for (var n = 2; await db.ContentItems.AnyAsync(i => i.TypeId == source.TypeId && i.Slug == slug, cancellationToken); n++)
        {
            slug = string.Create(CultureInfo.InvariantCulture, $"{slugBase}-copy-{n}");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var copy = source.Duplicate(slug, (await auditContext.GetActorAsync()).Name, now);
        // A copy of a member-only item is member-only too: a duplicate never publishes what the original kept to members.
        copy.RestrictedToGroups = [.. source.RestrictedToGroups];
        db.ContentItems.Add(copy);
        ContentItemStore.AddVersion(db, copy, "duplicate", now);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.ContentItemDuplicated, AuditEntityTypes.ContentItem, copy.Id.ToString(),
            ContentAudit.Item(copy, ("sourceTitle", source.Title), ("sourceSlug", source.Slug), ("sourceId", source.Id.ToString())), AuditOutcome.Success), cancellationToken);
        return Result.Ok(copy);
    }
}
