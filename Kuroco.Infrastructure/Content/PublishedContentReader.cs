using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// Published copies only: drafts, archived and deleted items never come out of here, nor items restricted to member groups
/// the audience is not in (ContentMemberAccess: the item's own groups, else its type's).
/// </summary>
internal sealed partial class PublishedContentReader(IDbContextFactory<KurocoDbContext> contexts, IOptions<ContentOptions> options) : IPublishedContentReader, IPublishedReferenceReader
{
    public async Task<PublishedContent?> FindAsync(string typeApiId, string idOrSlug, string language, ContentAudience? audience = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var items = Published(db, typeApiId);
        var row = Guid.TryParse(idOrSlug, out var id)
            ? await WithAccess(db, items.Where(i => i.Id == id)).FirstOrDefaultAsync(cancellationToken)
            : await WithAccess(db, items.Where(i => i.Slug == idOrSlug)).FirstOrDefaultAsync(cancellationToken);
        // A restricted item the audience may not read is answered like an unknown one.
        return row is null || !Readable(row, audience) ? null : ToPublished(row, language);
    }

    /// <summary>The unfiltered delivery list (newest publication first): the index query without conditions, so access is checked in SQL.</summary>
    public async Task<(IReadOnlyList<PublishedContent> Items, int TotalCount)> ListAsync(string typeApiId, string language, int page, int pageSize, ContentAudience? audience = null, CancellationToken cancellationToken = default)
    {
        var result = await QueryAsync(typeApiId, language, new DeliveryQuery([], [], null), null, page, pageSize, audience, cancellationToken);
        return (result.Items, result.TotalCount);
    }

    /// <summary>Published items by id across the given types, for reference expansion: one query for a whole page of references.</summary>
    public async Task<IReadOnlyList<PublishedContent>> FindManyAsync(IReadOnlyCollection<Guid> ids, IReadOnlyCollection<string> typeApiIds, string language, ContentAudience? audience = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(typeApiIds);
        if (ids.Count == 0 || typeApiIds.Count == 0)
        {
            return [];
        }
        var idList = ids.Distinct().ToList();
        var typeList = typeApiIds.Distinct(StringComparer.Ordinal).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await WithAccess(db, db.ContentItems.AsNoTracking()
            .Where(i => idList.Contains(i.Id) && typeList.Contains(i.TypeApiId) && i.Status == ContentStatus.Published && i.DeletedAtUtc == null))
            .ToListAsync(cancellationToken);
        // A reference to an item the audience may not read stays an id, like one to an unpublished item.
        return [.. rows.Where(r => Readable(r, audience)).Select(r => ToPublished(r, language)).OfType<PublishedContent>()];
    }

    private static IQueryable<ContentItem> Published(KurocoDbContext db, string typeApiId) =>
        db.ContentItems.AsNoTracking()
            .Where(i => i.TypeApiId == typeApiId && i.Status == ContentStatus.Published && i.DeletedAtUtc == null);

    /// <summary>The rows with their restriction and their type's (a primary-key lookup of the type).</summary>
    private static IQueryable<Row> WithAccess(KurocoDbContext db, IQueryable<ContentItem> items) =>
        items.Join(db.ContentTypes, i => i.TypeId, t => t.Id,
            (i, t) => new Row(i.Id, i.TypeApiId, i.Slug, i.PublishedAtUtc, i.UpdatedAtUtc, i.PublishedJa, i.PublishedEn, i.RestrictedToGroups, t.RestrictedToGroups));

    private static bool Readable(Row row, ContentAudience? audience) =>
        ContentMemberAccess.Allows(ContentMemberAccess.Effective(row.TypeGroups, row.ItemGroups), audience ?? ContentAudience.Anonymous);

    private PublishedContent? ToPublished(Row row, string language)
    {
        var chosen = options.Value.Resolve(language, row.Ja is not null, row.En is not null);
        if (chosen is null)
        {
            return null;
        }
        var values = ContentValues.Parse(chosen == ContentLanguages.English ? row.En : row.Ja);
        return new PublishedContent(row.Id, row.TypeApiId, row.Slug, chosen, row.PublishedAtUtc ?? row.UpdatedAtUtc, row.UpdatedAtUtc, values);
    }

    private sealed record Row(Guid Id, string TypeApiId, string Slug, DateTime? PublishedAtUtc, DateTime UpdatedAtUtc, string? Ja, string? En,
        List<Guid> ItemGroups, List<Guid> TypeGroups);
}
