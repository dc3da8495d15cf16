using System.Linq.Expressions;
using System.Reflection;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// The filtered, sorted delivery list over the delivery index (<see cref="ContentFieldValue"/>). The query walks the
/// index rows of the first sort key in order (index <c>TypeApiId, Language, FieldKey, Value, ItemId</c>) and probes the
/// other conditions per item (index <c>ItemId, Language, FieldKey, Value</c>), so "filter + sort + 20" reads a few dozen
/// index entries. Every value reaches SQL as a parameter (EF LINQ only).
/// </summary>
internal sealed partial class PublishedContentReader
{
    private static readonly MethodInfo StringCompare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;
    private static readonly MethodInfo GuidCompareTo = typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!;

    public async Task<DeliveryResult> QueryAsync(string typeApiId, string language, DeliveryQuery query, DeliveryPosition? after, int page, int pageSize, ContentAudience? audience = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        audience ??= ContentAudience.Anonymous;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (window, total, sorts, size) = await WindowAsync(db, typeApiId, language, query, after, page, pageSize, audience, cancellationToken);

        // The page and its items in one query: the window (a LIMIT subquery over the index) joined to the items and their types by
        // primary key. The index holds published items only, and says which the audience may read; status and access are checked
        // again here, in memory, so nothing else can slip through.
        var joined = from r in window
                     join i in db.ContentItems on r.ItemId equals i.Id
                     join t in db.ContentTypes on i.TypeId equals t.Id
                     select new { r, i, t };
        var rows = await Order(joined, sorts, x => x.r.K0, x => x.r.K1, x => x.r.K2, x => x.r.ItemId)
            .Select(x => new
            {
                x.r.K0,
                x.r.K1,
                x.r.K2,
                x.i.Status,
                x.i.DeletedAtUtc,
                Row = new Row(x.i.Id, x.i.TypeApiId, x.i.Slug, x.i.PublishedAtUtc, x.i.UpdatedAtUtc, x.i.PublishedJa, x.i.PublishedEn, x.i.RestrictedToGroups, x.t.RestrictedToGroups),
            })
            .ToListAsync(cancellationToken);
        var more = rows.Count > size;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        var items = rows.Where(i => i.Status == ContentStatus.Published && i.DeletedAtUtc == null && i.Row.TypeApiId == typeApiId && Readable(i.Row, audience))
            .Select(i => ToPublished(i.Row, language)).OfType<PublishedContent>().ToList();
        var last = rows.Count > 0 ? rows[^1] : null;
        var next = more && last is not null ? new DeliveryPosition([.. new[] { last.K0, last.K1, last.K2 }.Take(sorts.Count)], last.Row.Id) : null;
        return new DeliveryResult(items, total, next);
    }

    public async Task<DeliveryJsonResult> QueryJsonAsync(ContentType type, string language, DeliveryQuery query, DeliveryPosition? after, int page, int pageSize, ContentAudience? audience = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(query);
        audience ??= ContentAudience.Anonymous;
        if (sessions is not null)
        {
            return await QueryJsonSqliteAsync(sessions, type, language, query, after, page, pageSize, audience, cancellationToken);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var typeApiId = type.ApiId;
        var (window, total, sorts, size) = await WindowAsync(db, typeApiId, language, query, after, page, pageSize, audience, cancellationToken);

        // As QueryAsync, but each item is its stored answer of the variant served (see JsonRow), read by primary key in the same query.
        var other = Other(language);
        var json = db.Set<ContentDeliveredJson>();
        var joined = from r in window
                     join i in db.ContentItems on r.ItemId equals i.Id
                     join t in db.ContentTypes on i.TypeId equals t.Id
                     select new { r, i, t };
        var rows = await Order(joined, sorts, x => x.r.K0, x => x.r.K1, x => x.r.K2, x => x.r.ItemId)
            .Select(x => new JsonRow
            {
                K0 = x.r.K0,
                K1 = x.r.K1,
                K2 = x.r.K2,
                Id = x.i.Id,
                TypeApiId = x.i.TypeApiId,
                Slug = x.i.Slug,
                PublishedAtUtc = x.i.PublishedAtUtc,
                UpdatedAtUtc = x.i.UpdatedAtUtc,
                Status = x.i.Status,
                DeletedAtUtc = x.i.DeletedAtUtc,
                HasJa = x.i.PublishedJa != null,
                HasEn = x.i.PublishedEn != null,
                Json = json.Where(j => j.ItemId == x.i.Id
                        && j.Language == ((language == ContentLanguages.English ? x.i.PublishedEn : x.i.PublishedJa) != null ? language : other))
                    .Select(j => j.Json).FirstOrDefault(),
                ItemGroups = x.i.RestrictedToGroups,
                TypeGroups = x.t.RestrictedToGroups,
            })
            .ToListAsync(cancellationToken);
        return await PageAsync(db, type, language, rows, size, sorts, audience, total, cancellationToken);
    }

    /// <summary>
    /// A page from its window's rows (at most <c>size + 1</c>, in order): the items the audience may be served, each as its stored
    /// answer, and the position after the last row when there is a further page. Status, deletion, type and access are checked here
    /// again, in memory, so nothing the SQL let through by mistake is served.
    /// </summary>
    private async Task<DeliveryJsonResult> PageAsync(KurocoDbContext? db, ContentType type, string language, List<JsonRow> rows, int size,
        IReadOnlyList<DeliverySort> sorts, ContentAudience audience, int? total, CancellationToken cancellationToken)
    {
        var more = rows.Count > size;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        var served = rows.Where(r => r.Status == ContentStatus.Published && r.DeletedAtUtc == null && r.TypeApiId == type.ApiId && Readable(r, audience)
            && options.Value.Resolve(language, r.HasJa, r.HasEn) is not null).ToList();
        var items = await StoredAsync(db, type, served, language, cancellationToken);
        var last = rows.Count > 0 ? rows[^1] : null;
        var next = more && last is not null ? new DeliveryPosition([.. new[] { last.K0, last.K1, last.K2 }.Take(sorts.Count)], last.Id) : null;
        return new DeliveryJsonResult(items, total, next);
    }

    /// <summary>
    /// The sort and the page's window over the index (at most <c>size + 1</c> rows, so a further page shows) and the total when the query
    /// asks for it (a COUNT over the index, the one other query of a list, when <see cref="DeliveryCounts"/> does not hold it yet).
    /// </summary>
    private async Task<(IQueryable<SortRow> Window, int? Total, IReadOnlyList<DeliverySort> Sorts, int Size)> WindowAsync(KurocoDbContext db, string typeApiId,
        string language, DeliveryQuery query, DeliveryPosition? after, int page, int pageSize, ContentAudience audience, CancellationToken cancellationToken)
    {
        var (sorts, size) = Shape(query, pageSize);
        int? total = query.IncludeTotal ? await TotalAsync(typeApiId, language, query, sorts, audience, cancellationToken) : null;
        var ordered = Order(Project(db, Filtered(db, typeApiId, language, query.Conditions, sorts[0].Key, audience), language, sorts), sorts,
            r => r.K0, r => r.K1, r => r.K2, r => r.ItemId);
        IQueryable<SortRow> window = after is null
            ? ordered.Skip(Math.Max(0, page) * size)
            : ordered.Where(After(sorts, after));
        return (window.Take(size + 1), total, sorts, size);
    }

    /// <summary>The sort a list walks (newest publication first when the query names none) and its page size (1 to the maximum).</summary>
    private static (IReadOnlyList<DeliverySort> Sorts, int Size) Shape(DeliveryQuery query, int pageSize) =>
        (query.Sorts.Count == 0 ? [new DeliverySort(ContentIndexKeys.PublishedAt, true)] : query.Sorts, Math.Clamp(pageSize, 1, ContentItemQuery.MaxPageSize));

    /// <summary>
    /// The list's total from the cache of counts (dropped whenever the type's index changes), or a COUNT over the index in a context of
    /// its own when the cache does not hold it yet (once per filter and change).
    /// </summary>
    private Task<int> TotalAsync(string typeApiId, string language, DeliveryQuery query, IReadOnlyList<DeliverySort> sorts, ContentAudience audience,
        CancellationToken cancellationToken) =>
        counts.GetOrCountAsync(typeApiId, DeliveryCounts.Key(language, sorts[0].Key, audience, query.Conditions), async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return await Counted(db, typeApiId, language, query.Conditions, sorts[0].Key, audience).CountAsync(cancellationToken);
        });

    /// <summary>
    /// The rows of the driving key (one per item served in the language) that meet every condition and that the audience may
    /// read: an unrestricted row, or (for a member) a restricted one with a group row of one of the member's groups.
    /// </summary>
    private static IQueryable<ContentFieldValue> Filtered(KurocoDbContext db, string typeApiId, string language, IReadOnlyList<DeliveryCondition> conditions, string drivingKey,
        ContentAudience audience, DeliveryCondition? driver = null)
    {
        var rows = db.ContentFieldValues.AsNoTracking().Where(v => v.TypeApiId == typeApiId && v.Language == language && v.FieldKey == drivingKey);
        rows = rows.Where(Access(db, language, audience));
        foreach (var condition in conditions)
        {
            rows = ReferenceEquals(condition, driver) || (condition.SingleValued && condition.Keys.Count == 1 && condition.Keys[0] == drivingKey)
                ? rows.Where(OnRow(condition))
                : rows.Where(Probe(db, language, condition));
        }
        return rows;
    }

    /// <summary>
    /// What COUNT walks: the rows of a one-value match condition when there is one (usually far fewer than
    /// the whole type, and one row per item), else the driving key's rows.
    /// </summary>
    private static IQueryable<ContentFieldValue> Counted(KurocoDbContext db, string typeApiId, string language, IReadOnlyList<DeliveryCondition> conditions, string drivingKey,
        ContentAudience audience)
    {
        var driver = conditions.FirstOrDefault(c => c.Kind == DeliveryConditionKind.Match && c.Keys.Count == 1 && c.Values.Count == 1);
        return driver is null
            ? Filtered(db, typeApiId, language, conditions, drivingKey, audience)
            : Filtered(db, typeApiId, language, [driver, .. conditions.Where(c => !ReferenceEquals(c, driver))], driver.Keys[0], audience, driver);
    }

    /// <summary>
    /// Member-only content on a walked row: without a member's groups only unrestricted rows (read from the walked index itself);
    /// with them, also restricted rows whose item has a group row of one of those groups (an EXISTS probe, run for restricted rows only).
    /// </summary>
    private static Expression<Func<ContentFieldValue, bool>> Access(KurocoDbContext db, string language, ContentAudience audience)
    {
        if (audience.Groups.Count == 0)
        {
            return v => !v.Restricted;
        }
        var set = db.ContentFieldValues;
        var groups = audience.Groups.Select(g => g.ToString("D")).Order(StringComparer.Ordinal).ToList();
        return v => !v.Restricted
            || set.Any(f => f.ItemId == v.ItemId && f.Language == language && f.FieldKey == ContentIndexKeys.Group && groups.Contains(f.Value));
    }

    /// <summary>A condition on the driving row itself (same single-valued key): a range or match on the walked index.</summary>
    private static Expression<Func<ContentFieldValue, bool>> OnRow(DeliveryCondition condition)
    {
        var value = condition.Values[0];
        var values = condition.Values;
        return condition.Kind switch
        {
            DeliveryConditionKind.Match when values.Count == 1 => v => v.Value == value,
            DeliveryConditionKind.Match => v => values.Contains(v.Value),
            DeliveryConditionKind.NotMatch => v => v.Value != value,
            DeliveryConditionKind.Less => v => v.Value != "" && string.Compare(v.Value, value) < 0,
            DeliveryConditionKind.Greater => v => string.Compare(v.Value, value) > 0,
            DeliveryConditionKind.AtLeast => v => string.Compare(v.Value, value) >= 0,
            _ => v => v.Text != null && v.Text.Contains(value),
        };
    }

    /// <summary>A condition on another key of the same item: EXISTS (or NOT EXISTS) over its rows.</summary>
    private static Expression<Func<ContentFieldValue, bool>> Probe(KurocoDbContext db, string language, DeliveryCondition condition)
    {
        var set = db.ContentFieldValues;
        var value = condition.Values[0];
        var values = condition.Values;
        var key = condition.Keys[0];
        var keys = condition.Keys;
        if (keys.Count > 1)
        {
            // tag over several Tags fields
            return v => set.Any(f => f.ItemId == v.ItemId && f.Language == language && keys.Contains(f.FieldKey) && f.Value == value);
        }
        return condition.Kind switch
        {
            DeliveryConditionKind.Match when values.Count == 1 => v => set.Any(f => f.ItemId == v.ItemId && f.Language == language && f.FieldKey == key && f.Value == value),
            DeliveryConditionKind.Match => v => set.Any(f => f.ItemId == v.ItemId && f.Language == language && f.FieldKey == key && values.Contains(f.Value)),
            DeliveryConditionKind.NotMatch => v => !set.Any(f => f.ItemId == v.ItemId && f.Language == language && f.FieldKey == key && f.Value == value),
            DeliveryConditionKind.Less => v => set.Any(f => f.ItemId == v.ItemId && f.Language == language && f.FieldKey == key && f.Value != "" && string.Compare(f.Value, value) < 0),
            DeliveryConditionKind.Greater => v => set.Any(f => f.ItemId == v.ItemId && f.Language == language && f.FieldKey == key && string.Compare(f.Value, value) > 0),
            DeliveryConditionKind.AtLeast => v => set.Any(f => f.ItemId == v.ItemId && f.Language == language && f.FieldKey == key && string.Compare(f.Value, value) >= 0),
            _ => v => set.Any(f => f.ItemId == v.ItemId && f.Language == language && f.FieldKey == key && f.Text != null && f.Text.Contains(value)),
        };
    }

    private static IQueryable<SortRow> Project(KurocoDbContext db, IQueryable<ContentFieldValue> rows, string language, IReadOnlyList<DeliverySort> sorts)
    {
        var set = db.ContentFieldValues;
        var key1 = sorts.Count > 1 ? sorts[1].Key : "";
        var key2 = sorts.Count > 2 ? sorts[2].Key : "";
        return sorts.Count switch
        {
            1 => rows.Select(v => new SortRow { ItemId = v.ItemId, K0 = v.Value }),
            2 => rows.Select(v => new SortRow
            {
                ItemId = v.ItemId,
                K0 = v.Value,
                K1 = set.Where(f => f.ItemId == v.ItemId && f.Language == language && f.FieldKey == key1).Select(f => f.Value).FirstOrDefault() ?? "",
            }),
            _ => rows.Select(v => new SortRow
            {
                ItemId = v.ItemId,
                K0 = v.Value,
                K1 = set.Where(f => f.ItemId == v.ItemId && f.Language == language && f.FieldKey == key1).Select(f => f.Value).FirstOrDefault() ?? "",
                K2 = set.Where(f => f.ItemId == v.ItemId && f.Language == language && f.FieldKey == key2).Select(f => f.Value).FirstOrDefault() ?? "",
            }),
        };
    }

    /// <summary>By each key in its direction, then by id in the direction of the last key (stable, index-friendly).</summary>
    private static IOrderedQueryable<T> Order<T>(IQueryable<T> rows, IReadOnlyList<DeliverySort> sorts, Expression<Func<T, string>> k0,
        Expression<Func<T, string>> k1, Expression<Func<T, string>> k2, Expression<Func<T, Guid>> id)
    {
        var ordered = sorts[0].Descending ? rows.OrderByDescending(k0) : rows.OrderBy(k0);
        if (sorts.Count > 1)
        {
            ordered = sorts[1].Descending ? ordered.ThenByDescending(k1) : ordered.ThenBy(k1);
        }
        if (sorts.Count > 2)
        {
            ordered = sorts[2].Descending ? ordered.ThenByDescending(k2) : ordered.ThenBy(k2);
        }
        return sorts[^1].Descending ? ordered.ThenByDescending(id) : ordered.ThenBy(id);
    }

    /// <summary>
    /// The keyset condition "after this position" for the sort: (k0 beyond v0) or (k0 = v0 and (k1 beyond v1 or ... (id beyond))),
    /// plus a redundant "k0 not before v0" so the walk can start at the position. Values go in as parameters.
    /// </summary>
    private static Expression<Func<SortRow, bool>> After(IReadOnlyList<DeliverySort> sorts, DeliveryPosition position)
    {
        var row = Expression.Parameter(typeof(SortRow), "r");
        Expression Key(int i) => Expression.Property(row, i switch { 0 => nameof(SortRow.K0), 1 => nameof(SortRow.K1), _ => nameof(SortRow.K2) });
        Expression Compare(int i) => Expression.Call(StringCompare, Key(i), Parameter(position.Values[i]));
        Expression Zero() => Expression.Constant(0);

        // Innermost: ties on every key, then the id in the direction of the last key.
        var idCompare = Expression.Call(Expression.Property(row, nameof(SortRow.ItemId)), GuidCompareTo, Parameter(position.Id));
        Expression condition = sorts[^1].Descending ? Expression.LessThan(idCompare, Zero()) : Expression.GreaterThan(idCompare, Zero());
        for (var i = sorts.Count - 1; i >= 0; i--)
        {
            var beyond = sorts[i].Descending ? Expression.LessThan(Compare(i), Zero()) : Expression.GreaterThan(Compare(i), Zero());
            var equal = Expression.Equal(Key(i), Parameter(position.Values[i]));
            condition = Expression.OrElse(beyond, Expression.AndAlso(equal, condition));
        }
        var notBefore = sorts[0].Descending ? Expression.LessThanOrEqual(Compare(0), Zero()) : Expression.GreaterThanOrEqual(Compare(0), Zero());
        return Expression.Lambda<Func<SortRow, bool>>(Expression.AndAlso(notBefore, condition), row);
    }

    /// <summary>A value EF sends as a SQL parameter (a member of a closure object, never a literal).</summary>
    private static MemberExpression Parameter<T>(T value) => Expression.Property(Expression.Constant(new Box<T>(value)), nameof(Box<T>.Value));

    private sealed class Box<T>(T value)
    {
        public T Value { get; } = value;
    }

    private sealed class SortRow
    {
        public Guid ItemId { get; init; }
        public string K0 { get; init; } = "";
        public string K1 { get; init; } = "";
        public string K2 { get; init; } = "";
    }
}
