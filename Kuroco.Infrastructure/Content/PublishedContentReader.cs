using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// Published copies only: drafts, archived and deleted items never come out of here, nor items restricted to member groups
/// the audience is not in (ContentMemberAccess: the item's own groups, else its type's). On SQLite the stored answers of one item and
/// of a list page are read with hand-written, prepared SQL (<see cref="SqliteReadSessions"/>, PublishedContentReader.Sqlite.cs);
/// without sessions (SQL Server) through EF.
/// </summary>
internal sealed partial class PublishedContentReader(IDbContextFactory<KurocoDbContext> contexts, IOptions<ContentOptions> options, DeliveryCounts counts,
    SqliteReadSessions? sessions = null) : IPublishedContentReader, IPublishedReferenceReader, IPublishedJsonReader
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
        return (result.Items, result.TotalCount ?? 0);
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

    /// <summary>One item as its stored answer: one compiled query (item, type and the served variant's JSON, all by key).</summary>
    public async Task<StoredDelivery?> FindJsonAsync(ContentType type, string idOrSlug, string language, ContentAudience? audience = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(idOrSlug);
        if (sessions is not null)
        {
            return await FindJsonSqliteAsync(sessions, type, idOrSlug, language, audience, cancellationToken);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = Guid.TryParse(idOrSlug, out var id)
            ? await JsonByKey(db, type.ApiId, null, id, language, Other(language))
            : await JsonByKey(db, type.ApiId, idOrSlug, null, language, Other(language));
        // A restricted item the audience may not read is answered like an unknown one.
        if (row is null || !Readable(row, audience) || options.Value.Resolve(language, row.HasJa, row.HasEn) is null)
        {
            return null;
        }
        return (await StoredAsync(db, type, [row], language, cancellationToken)).FirstOrDefault();
    }

    // Compiled (the hot path of "one item"): the item with its type's restriction and the stored answer of the variant a request for
    // language is served — the requested one when the item has it, else the other (ContentOptions.Resolve then says whether that
    // fallback is allowed). By slug or by id: the key not given is null, and EF leaves its "IS NULL OR" out of the SQL (it writes the
    // command for the parameters' nullness), so each lookup is a plain primary-key or slug-index seek. (A compiled query cannot call a
    // helper that builds part of it, hence one query for both.)
    private static readonly Func<KurocoDbContext, string, string?, Guid?, string, string, Task<JsonRow?>> JsonByKey =
        EF.CompileAsyncQuery((KurocoDbContext db, string typeApiId, string? slug, Guid? id, string language, string other) =>
            db.ContentItems.Where(i => i.TypeApiId == typeApiId && (slug == null || i.Slug == slug) && (id == null || i.Id == id)
                    && i.Status == ContentStatus.Published && i.DeletedAtUtc == null)
                .Join(db.ContentTypes, i => i.TypeId, t => t.Id, (i, t) => new JsonRow
                {
                    Id = i.Id,
                    TypeApiId = i.TypeApiId,
                    Slug = i.Slug,
                    PublishedAtUtc = i.PublishedAtUtc,
                    UpdatedAtUtc = i.UpdatedAtUtc,
                    Status = i.Status,
                    DeletedAtUtc = i.DeletedAtUtc,
                    HasJa = i.PublishedJa != null,
                    HasEn = i.PublishedEn != null,
                    Json = db.Set<ContentDeliveredJson>()
                        .Where(j => j.ItemId == i.Id && j.Language == ((language == ContentLanguages.English ? i.PublishedEn : i.PublishedJa) != null ? language : other))
                        .Select(j => j.Json).FirstOrDefault(),
                    ItemGroups = i.RestrictedToGroups,
                    TypeGroups = t.RestrictedToGroups,
                })
                .FirstOrDefault());

    /// <summary>
    /// The items of rows the caller has checked (published, readable, a variant to serve), in order. A row without its stored fields
    /// (written before DeliveryFastPath and not rebuilt yet) gets them built from its published copy, exactly as they would be stored.
    /// <paramref name="db"/> may be null (the SQLite path reads without a context).
    /// </summary>
    private async Task<List<StoredDelivery>> StoredAsync(KurocoDbContext? db, ContentType type, List<JsonRow> rows, string language, CancellationToken cancellationToken)
    {
        var missing = rows.Where(r => r.Json is null).Select(r => r.Id).ToList();
        if (missing.Count > 0)
        {
            // Rare (rows not rebuilt yet): a context of its own when the caller read without one.
            await using var own = db is null ? await contexts.CreateDbContextAsync(cancellationToken) : null;
            db ??= own!;
            var built = await WithAccess(db, db.ContentItems.AsNoTracking().Where(i => missing.Contains(i.Id))).ToListAsync(cancellationToken);
            var byId = built.Select(r => ToPublished(r, language)).OfType<PublishedContent>().ToDictionary(p => p.Id, p => DeliveredJson.FieldsJson(type, p.Values));
            foreach (var row in rows.Where(r => r.Json is null))
            {
                row.Json = byId.GetValueOrDefault(row.Id);
            }
        }
        return [.. rows.Where(r => r.Json is not null).Select(r => new StoredDelivery(r.Id, r.TypeApiId, r.Slug,
            options.Value.Resolve(language, r.HasJa, r.HasEn)!, r.PublishedAtUtc ?? r.UpdatedAtUtc, r.UpdatedAtUtc, r.Json!))];
    }

    private static string Other(string language) => language == ContentLanguages.English ? ContentLanguages.Japanese : ContentLanguages.English;

    private static bool Readable(JsonRow row, ContentAudience? audience) =>
        ContentMemberAccess.Allows(ContentMemberAccess.Effective(row.TypeGroups, row.ItemGroups), audience ?? ContentAudience.Anonymous);

    /// <summary>An item of a delivery answer read for its stored JSON (and, in a list, its sort keys).</summary>
    private sealed class JsonRow
    {
        public string K0 { get; init; } = "";
        public string K1 { get; init; } = "";
        public string K2 { get; init; } = "";
        public Guid Id { get; init; }
        public string TypeApiId { get; init; } = "";
        public string Slug { get; init; } = "";
        public DateTime? PublishedAtUtc { get; init; }
        public DateTime UpdatedAtUtc { get; init; }
        public ContentStatus Status { get; init; }
        public DateTime? DeletedAtUtc { get; init; }
        public bool HasJa { get; init; }
        public bool HasEn { get; init; }
        public byte[]? Json { get; set; }
        public List<Guid> ItemGroups { get; init; } = [];
        public List<Guid> TypeGroups { get; init; } = [];
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
