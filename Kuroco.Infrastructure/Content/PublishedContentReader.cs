using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Content;

/// <summary>Published copies only: drafts, archived and deleted items never come out of here.</summary>
internal sealed partial class PublishedContentReader(IDbContextFactory<KurocoDbContext> contexts, IOptions<ContentOptions> options) : IPublishedContentReader, IPublishedReferenceReader
{
    public async Task<PublishedContent?> FindAsync(string typeApiId, string idOrSlug, string language, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var items = Published(db, typeApiId);
        var row = Guid.TryParse(idOrSlug, out var id)
            ? await items.Where(i => i.Id == id).Select(ToRow).FirstOrDefaultAsync(cancellationToken)
            : await items.Where(i => i.Slug == idOrSlug).Select(ToRow).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToPublished(row, language);
    }

    public async Task<(IReadOnlyList<PublishedContent> Items, int TotalCount)> ListAsync(string typeApiId, string language, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var items = Published(db, typeApiId);
        var total = await items.CountAsync(cancellationToken);
        var size = Math.Clamp(pageSize, 1, ContentItemQuery.MaxPageSize);
        var rows = await items.OrderByDescending(i => i.PublishedAtUtc).ThenBy(i => i.Id)
            .Skip(Math.Max(0, page) * size).Take(size).Select(ToRow).ToListAsync(cancellationToken);
        return ([.. rows.Select(r => ToPublished(r, language)).OfType<PublishedContent>()], total);
    }

    /// <summary>Published items by id across the given types, for reference expansion: one query for a whole page of references.</summary>
    public async Task<IReadOnlyList<PublishedContent>> FindManyAsync(IReadOnlyCollection<Guid> ids, IReadOnlyCollection<string> typeApiIds, string language, CancellationToken cancellationToken = default)
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
        var rows = await db.ContentItems.AsNoTracking()
            .Where(i => idList.Contains(i.Id) && typeList.Contains(i.TypeApiId) && i.Status == ContentStatus.Published && i.DeletedAtUtc == null)
            .Select(ToRow).ToListAsync(cancellationToken);
        return [.. rows.Select(r => ToPublished(r, language)).OfType<PublishedContent>()];
    }

    private static IQueryable<ContentItem> Published(KurocoDbContext db, string typeApiId) =>
        db.ContentItems.AsNoTracking()
            .Where(i => i.TypeApiId == typeApiId && i.Status == ContentStatus.Published && i.DeletedAtUtc == null);

    private static readonly System.Linq.Expressions.Expression<Func<ContentItem, Row>> ToRow =
        i => new Row(i.Id, i.TypeApiId, i.Slug, i.PublishedAtUtc, i.UpdatedAtUtc, i.PublishedJa, i.PublishedEn);

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

    private sealed record Row(Guid Id, string TypeApiId, string Slug, DateTime? PublishedAtUtc, DateTime UpdatedAtUtc, string? Ja, string? En);
}
