using System.Globalization;
using System.Text;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.Data.Sqlite;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// The delivery API's two hot reads on SQLite — one item by slug or id, one page of a list — as hand-written SQL run on
/// <see cref="SqliteReadSessions"/> (statements prepared once per connection, no query building per request). The SQL is the
/// one EF writes for the LINQ queries of <c>PublishedContentReader.Query.cs</c> and <c>FindJsonAsync</c> (the same index
/// walk, probes, keyset condition and joins), and the rows go through the same checks afterwards (published, not deleted,
/// the type, the audience's groups, a variant to serve): <c>SqliteDeliveryReaderTests</c> runs both on the same data and
/// compares every answer. Every value is a bound parameter (<c>@p0</c>, …); the text holds only fixed SQL, the names of
/// columns chosen from constants, parameter names and the page's row limit (an int).
/// </summary>
internal sealed partial class PublishedContentReader
{
    private const string Columns =
        "i.\"Id\", i.\"TypeApiId\", i.\"Slug\", i.\"PublishedAtUtc\", i.\"UpdatedAtUtc\", i.\"Status\", i.\"DeletedAtUtc\", " +
        "i.\"PublishedJa\" IS NOT NULL, i.\"PublishedEn\" IS NOT NULL";

    /// <summary>One item as its stored answer, by slug or id (the same command as the compiled EF query).</summary>
    private async Task<StoredDelivery?> FindJsonSqliteAsync(SqliteReadSessions sessions, ContentType type, string idOrSlug, string language, ContentAudience? audience,
        CancellationToken cancellationToken)
    {
        var sql = new SqlText();
        var lang = sql.Add(language);
        var other = sql.Add(Other(language));
        var typeApiId = sql.Add(type.ApiId);
        var key = Guid.TryParse(idOrSlug, out var id) ? "i.\"Id\" = " + sql.Add(GuidText(id)) : "i.\"Slug\" = " + sql.Add(idOrSlug);
        sql.Text.Append("SELECT '', '', '', ").Append(Columns).Append(", ").Append(JsonColumn(language, lang, other))
            .Append(", i.\"RestrictedToGroups\", t.\"RestrictedToGroups\" FROM \"ContentItems\" AS i INNER JOIN \"ContentTypes\" AS t ON i.\"TypeId\" = t.\"Id\" WHERE i.\"TypeApiId\" = ")
            .Append(typeApiId).Append(" AND ").Append(key).Append(" AND i.\"Status\" = ").Append(PublishedStatus).Append(" AND i.\"DeletedAtUtc\" IS NULL LIMIT 1");
        var row = Read(sessions, sql).FirstOrDefault();
        // A restricted item the audience may not read is answered like an unknown one.
        if (row is null || !Readable(row, audience) || options.Value.Resolve(language, row.HasJa, row.HasEn) is null)
        {
            return null;
        }
        return (await StoredAsync(null, type, [row], language, cancellationToken)).FirstOrDefault();
    }

    /// <summary>A page of the list: the window over the index and its items in one command (as <c>QueryJsonAsync</c> through EF).</summary>
    private async Task<DeliveryJsonResult> QueryJsonSqliteAsync(SqliteReadSessions sessions, ContentType type, string language, DeliveryQuery query, DeliveryPosition? after,
        int page, int pageSize, ContentAudience audience, CancellationToken cancellationToken)
    {
        var typeApiId = type.ApiId;
        var (sorts, size) = Shape(query, pageSize);
        int? total = query.IncludeTotal ? await TotalAsync(typeApiId, language, query, sorts, audience, cancellationToken) : null;

        var sql = new SqlText();
        var lang = sql.Add(language);
        var other = sql.Add(Other(language));
        var keys = new string[3];
        for (var i = 0; i < 3; i++)
        {
            keys[i] = i == 0 ? "v.\"Value\"" : i < sorts.Count ? SortKey(sorts[i].Key, sql, lang) : "''";
        }
        var order = new StringBuilder();
        for (var i = 0; i < sorts.Count; i++)
        {
            order.Append(i == 0 ? "K0" : i == 1 ? "K1" : "K2").Append(sorts[i].Descending ? " DESC, " : ", ");
        }
        sql.Text.Append("SELECT w.\"K0\", w.\"K1\", w.\"K2\", ").Append(Columns).Append(", ").Append(JsonColumn(language, lang, other))
            .Append(", i.\"RestrictedToGroups\", t.\"RestrictedToGroups\" FROM (SELECT v.\"ItemId\" AS \"ItemId\", ")
            .Append(keys[0]).Append(" AS \"K0\", ").Append(keys[1]).Append(" AS \"K1\", ").Append(keys[2]).Append(" AS \"K2\" FROM \"ContentFieldValues\" AS v WHERE ");
        Filter(sql, typeApiId, lang, query.Conditions, sorts[0].Key, audience);
        if (after is not null)
        {
            sql.Text.Append(" AND ");
            After(sql, keys, sorts, after);
        }
        var descendingId = sorts[^1].Descending ? " DESC" : "";
        sql.Text.Append(" ORDER BY ").Append(order).Append("v.\"ItemId\"").Append(descendingId)
            // The limit is written into the text (a whole number from 2 to 101, never the request's text): SQLite's planner reads a
            // bound LIMIT's value, and re-prepares the statement whenever that parameter is bound again, which was every request.
            .Append(" LIMIT ").Append((size + 1).ToString(CultureInfo.InvariantCulture)).Append(" OFFSET ").Append(sql.Add(after is null ? Math.Max(0, page) * size : 0))
            .Append(") AS w INNER JOIN \"ContentItems\" AS i ON w.\"ItemId\" = i.\"Id\" INNER JOIN \"ContentTypes\" AS t ON i.\"TypeId\" = t.\"Id\" ORDER BY ")
            .Append(order.Replace("K", "w.K")).Append("w.\"ItemId\"").Append(descendingId);
        return await PageAsync(null, type, language, Read(sessions, sql), size, sorts, audience, total, cancellationToken);
    }

    /// <summary>The walked rows' conditions (<c>Filtered</c>): type, language, driving key, the audience's access, then each condition.</summary>
    private static void Filter(SqlText sql, string typeApiId, string lang, IReadOnlyList<DeliveryCondition> conditions, string drivingKey, ContentAudience audience)
    {
        sql.Text.Append("v.\"TypeApiId\" = ").Append(sql.Add(typeApiId)).Append(" AND v.\"Language\" = ").Append(lang)
            .Append(" AND v.\"FieldKey\" = ").Append(sql.Add(drivingKey)).Append(" AND ");
        if (audience.Groups.Count == 0)
        {
            sql.Text.Append("NOT (v.\"Restricted\")");
        }
        else
        {
            var groups = audience.Groups.Select(g => g.ToString("D")).Order(StringComparer.Ordinal).ToList();
            sql.Text.Append("(NOT (v.\"Restricted\") OR EXISTS (SELECT 1 FROM \"ContentFieldValues\" AS g WHERE g.\"ItemId\" = v.\"ItemId\" AND g.\"Language\" = ")
                .Append(lang).Append(" AND g.\"FieldKey\" = ").Append(sql.Add(ContentIndexKeys.Group)).Append(" AND g.\"Value\" ");
            In(sql, groups);
            sql.Text.Append("))");
        }
        var probe = 0;
        foreach (var condition in conditions)
        {
            sql.Text.Append(" AND ");
            if (condition.SingleValued && condition.Keys.Count == 1 && condition.Keys[0] == drivingKey)
            {
                Compare(sql, "v", condition);
            }
            else
            {
                Probe(sql, lang, condition, "f" + probe.ToString(CultureInfo.InvariantCulture));
                probe++;
            }
        }
    }

    /// <summary>A condition on another key of the item (<c>Probe</c>): EXISTS, or NOT EXISTS for ne, over its rows.</summary>
    private static void Probe(SqlText sql, string lang, DeliveryCondition condition, string alias)
    {
        sql.Text.Append(condition.Kind == DeliveryConditionKind.NotMatch && condition.Keys.Count == 1 ? "NOT EXISTS" : "EXISTS")
            .Append(" (SELECT 1 FROM \"ContentFieldValues\" AS ").Append(alias).Append(" WHERE ").Append(alias).Append(".\"ItemId\" = v.\"ItemId\" AND ")
            .Append(alias).Append(".\"Language\" = ").Append(lang).Append(" AND ").Append(alias).Append(".\"FieldKey\" ");
        if (condition.Keys.Count > 1)
        {
            // tag over several Tags fields
            In(sql, condition.Keys);
            sql.Text.Append(" AND ").Append(alias).Append(".\"Value\" = ").Append(sql.Add(condition.Values[0]));
        }
        else
        {
            sql.Text.Append("= ").Append(sql.Add(condition.Keys[0])).Append(" AND ");
            Compare(sql, alias, condition.Kind == DeliveryConditionKind.NotMatch ? condition with { Kind = DeliveryConditionKind.Match, Values = [condition.Values[0]] } : condition);
        }
        sql.Text.Append(')');
    }

    /// <summary>A condition on a row's value (<c>OnRow</c>): match, ne, a range, or the search text.</summary>
    private static void Compare(SqlText sql, string alias, DeliveryCondition condition)
    {
        var value = alias + ".\"Value\"";
        var text = sql.Text;
        switch (condition.Kind)
        {
            case DeliveryConditionKind.Match when condition.Values.Count == 1:
                text.Append(value).Append(" = ").Append(sql.Add(condition.Values[0]));
                break;
            case DeliveryConditionKind.Match:
                text.Append(value).Append(' ');
                In(sql, condition.Values);
                break;
            case DeliveryConditionKind.NotMatch:
                text.Append(value).Append(" <> ").Append(sql.Add(condition.Values[0]));
                break;
            case DeliveryConditionKind.Less:
                text.Append(value).Append(" <> '' AND ").Append(value).Append(" < ").Append(sql.Add(condition.Values[0]));
                break;
            case DeliveryConditionKind.Greater:
                text.Append(value).Append(" > ").Append(sql.Add(condition.Values[0]));
                break;
            case DeliveryConditionKind.AtLeast:
                text.Append(value).Append(" >= ").Append(sql.Add(condition.Values[0]));
                break;
            default:
                text.Append(alias).Append(".\"Text\" IS NOT NULL AND instr(").Append(alias).Append(".\"Text\", ").Append(sql.Add(condition.Values[0])).Append(") > 0");
                break;
        }
    }

    /// <summary><c>IN (@a, @b, …)</c>, or a false condition for no values.</summary>
    private static void In(SqlText sql, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            sql.Text.Append("IN (SELECT 1 WHERE 0)");
            return;
        }
        sql.Text.Append("IN (");
        for (var i = 0; i < values.Count; i++)
        {
            sql.Text.Append(i == 0 ? "" : ", ").Append(sql.Add(values[i]));
        }
        sql.Text.Append(')');
    }

    /// <summary>A further sort key of the item (<c>Project</c>): its value in the language, or "" when it has none.</summary>
    private static string SortKey(string key, SqlText sql, string lang) =>
        "COALESCE((SELECT s.\"Value\" FROM \"ContentFieldValues\" AS s WHERE s.\"ItemId\" = v.\"ItemId\" AND s.\"Language\" = " + lang +
        " AND s.\"FieldKey\" = " + sql.Add(key) + " LIMIT 1), '')";

    /// <summary>
    /// The keyset condition "after this position" (<c>After</c>): not before the first key's value, and (beyond it, or equal and
    /// beyond on the next key, …, or equal on every key and beyond on the id).
    /// </summary>
    private static void After(SqlText sql, string[] keys, IReadOnlyList<DeliverySort> sorts, DeliveryPosition position)
    {
        static string Beyond(bool descending) => descending ? " < " : " > ";
        var condition = "v.\"ItemId\"" + Beyond(sorts[^1].Descending) + sql.Add(GuidText(position.Id));
        for (var i = sorts.Count - 1; i >= 0; i--)
        {
            var value = sql.Add(position.Values[i]);
            condition = "(" + keys[i] + Beyond(sorts[i].Descending) + value + " OR (" + keys[i] + " = " + value + " AND " + condition + "))";
        }
        sql.Text.Append(keys[0]).Append(sorts[0].Descending ? " <= " : " >= ").Append(sql.Add(position.Values[0])).Append(" AND ").Append(condition);
    }

    /// <summary>The stored answer of the variant served: the requested language's when the item has it, else the other's.</summary>
    private static string JsonColumn(string language, string lang, string other) =>
        "(SELECT j.\"Json\" FROM \"ContentDeliveredJson\" AS j WHERE j.\"ItemId\" = i.\"Id\" AND j.\"Language\" = CASE WHEN i.\"" +
        (language == ContentLanguages.English ? "PublishedEn" : "PublishedJa") + "\" IS NOT NULL THEN " + lang + " ELSE " + other + " END LIMIT 1)";

    private static readonly string PublishedStatus = ((int)ContentStatus.Published).ToString(CultureInfo.InvariantCulture);

    /// <summary>A GUID as EF stores it in SQLite (upper-case text), so comparisons and equality match the stored keys.</summary>
    private static string GuidText(Guid id) => id.ToString("D").ToUpperInvariant();

    /// <summary>Runs the command on a leased session and reads its rows (sort keys, item, stored answer, groups).</summary>
    private static List<JsonRow> Read(SqliteReadSessions sessions, SqlText sql)
    {
        using var session = sessions.Lease();
        try
        {
            var command = session.Command(sql.Text.ToString(), sql.Values.Count);
            for (var i = 0; i < sql.Values.Count; i++)
            {
                command.Parameters[i].Value = sql.Values[i];
            }
            var rows = new List<JsonRow>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows.Add(new JsonRow
                    {
                        K0 = reader.GetString(0),
                        K1 = reader.GetString(1),
                        K2 = reader.GetString(2),
                        Id = reader.GetGuid(3),
                        TypeApiId = reader.GetString(4),
                        Slug = reader.GetString(5),
                        PublishedAtUtc = reader.IsDBNull(6) ? null : DateTime.SpecifyKind(reader.GetDateTime(6), DateTimeKind.Utc),
                        UpdatedAtUtc = DateTime.SpecifyKind(reader.GetDateTime(7), DateTimeKind.Utc),
                        Status = (ContentStatus)reader.GetInt32(8),
                        DeletedAtUtc = reader.IsDBNull(9) ? null : DateTime.SpecifyKind(reader.GetDateTime(9), DateTimeKind.Utc),
                        HasJa = reader.GetBoolean(10),
                        HasEn = reader.GetBoolean(11),
                        Json = reader.IsDBNull(12) ? null : reader.GetFieldValue<byte[]>(12),
                        ItemGroups = ContentMemberAccess.Read(reader.GetString(13)),
                        TypeGroups = ContentMemberAccess.Read(reader.GetString(14)),
                    });
                }
            }
            return rows;
        }
        catch (SqliteException)
        {
            session.Fail();
            throw;
        }
    }

    /// <summary>SQL text being written and the values of its parameters, in order.</summary>
    private sealed class SqlText
    {
        public StringBuilder Text { get; } = new(1024);

        public List<object> Values { get; } = [];

        /// <summary>Binds a value and returns its parameter's name.</summary>
        public string Add(object value)
        {
            Values.Add(value);
            return SqliteReadSessions.ParameterName(Values.Count - 1);
        }
    }
}
