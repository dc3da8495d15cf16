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
        var size = Math.Clamp(pageSize, 1, ContentItemQuery.MaxPageSize);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sorts = query.Sorts.Count == 0 ? [new DeliverySort(ContentIndexKeys.PublishedAt, true)] : query.Sorts;

        var total = await Counted(db, typeApiId, language, query.Conditions, sorts[0].Key, audience).CountAsync(cancellationToken);

        var ordered = Order(Project(db, Filtered(db, typeApiId, language, query.Conditions, sorts[0].Key, audience), language, sorts), sorts);
        IQueryable<SortRow> window = after is null
            ? ordered.Skip(Math.Max(0, page) * size)
            : ordered.Where(After(sorts, after));
        var rows = await window.Take(size + 1).ToListAsync(cancellationToken);
        var more = rows.Count > size;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var ids = rows.Select(r => r.ItemId).ToList();
        // By primary key only: with more SQL conditions SQLite prefers the (type, status) index and reads every item of the type.
        // The index holds published items only, and says which the audience may read; status and access are checked again
        // here, in memory, so nothing else can slip through (the join reads the item's type by its primary key).
        var loaded = ids.Count == 0 ? [] : await db.ContentItems.AsNoTracking()
            .Where(i => ids.Contains(i.Id))
            .Join(db.ContentTypes, i => i.TypeId, t => t.Id, (i, t) => new
            {
                i.Status,
                i.DeletedAtUtc,
                Row = new Row(i.Id, i.TypeApiId, i.Slug, i.PublishedAtUtc, i.UpdatedAtUtc, i.PublishedJa, i.PublishedEn, i.RestrictedToGroups, t.RestrictedToGroups),
            })
            .ToListAsync(cancellationToken);
        var byId = loaded.Where(i => i.Status == ContentStatus.Published && i.DeletedAtUtc == null && i.Row.TypeApiId == typeApiId && Readable(i.Row, audience))
            .Select(i => i.Row).ToDictionary(r => r.Id);
        var items = ids.Select(id => byId.GetValueOrDefault(id)).OfType<Row>()
            .Select(r => ToPublished(r, language)).OfType<PublishedContent>().ToList();
        var last = rows.Count > 0 ? rows[^1] : null;
        var next = more && last is not null ? new DeliveryPosition([.. Keys(last).Take(sorts.Count)], last.ItemId) : null;
        return new DeliveryResult(items, total, next);
    }

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
    private static IOrderedQueryable<SortRow> Order(IQueryable<SortRow> rows, IReadOnlyList<DeliverySort> sorts)
    {
        var ordered = sorts[0].Descending ? rows.OrderByDescending(r => r.K0) : rows.OrderBy(r => r.K0);
        if (sorts.Count > 1)
        {
            ordered = sorts[1].Descending ? ordered.ThenByDescending(r => r.K1) : ordered.ThenBy(r => r.K1);
        }
        if (sorts.Count > 2)
        {
            ordered = sorts[2].Descending ? ordered.ThenByDescending(r => r.K2) : ordered.ThenBy(r => r.K2);
        }
        return sorts[^1].Descending ? ordered.ThenByDescending(r => r.ItemId) : ordered.ThenBy(r => r.ItemId);
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

    private static IEnumerable<string> Keys(SortRow row) => [row.K0, row.K1, row.K2];

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
