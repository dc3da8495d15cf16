using System.Globalization;
using System.Text;
using Kuroco.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// The partial search of the member list. <c>Members.SearchText</c> holds email, name and reading folded by
/// <c>MemberText.ForSearch</c>; a query is folded the same way, so matching is a plain substring test.
/// <para>
/// On SQLite a substring test (<c>instr</c>/<c>LIKE '%x%'</c>) reads every row: at 100,000 members a count alone took
/// 25–40 ms and a page of a rare word 300 ms (measured, see bench/README.md). So the SQLite schema keeps an FTS5 index with
/// the trigram tokenizer, <c>MemberSearch(SearchText)</c>, whose rowid maps to a member through <c>MemberSearchKeys</c>;
/// triggers on <c>Members</c> keep both in step with <c>SearchText</c> whatever writes it (EF, bulk updates, imports,
/// erasure); the SQLite migration <c>MembersConsole</c> creates them and indexes the members already stored. Words of three characters or more are matched through the index (<c>MATCH</c> of a quoted phrase: a
/// substring); shorter words are tested on the hits' text (with no longer word, on <c>Members.SearchText</c> through its own index).
/// </para>
/// <para>
/// When the hits are few (at most <see cref="FewHits"/>) the list reads exactly those members by id and sorts them; when
/// they are many, it walks the order's index testing each row (hits are dense, so a page fills after a few rows). SQL Server
/// has no such index here: there the search is <c>LIKE '%x%'</c> on <c>SearchText</c> (a scan; add a full-text index with
/// an n-gram word breaker if it gets slow).
/// </para>
/// </summary>
internal static class MemberSearchIndex
{
    /// <summary>Above this many hits the list walks its order's index instead of sorting the hits.</summary>
    public const int FewHits = 1_000;

    /// <summary>Up to this many hits are counted from the one read of their ids (ids are small: 10,000 take a few ms).</summary>
    public const int CountedHits = 10_000;

    public const string TableName = "MemberSearch";
    public const string KeysTableName = "MemberSearchKeys";

    /// <summary>The trigram tokenizer indexes runs of three characters (text elements); shorter words cannot use the index.</summary>
    public const int IndexedTermLength = 3;

    /// <summary>
    /// What the index knows of the words: the matching members' ids when there are at most <see cref="FewHits"/>, else how
    /// many match (when <paramref name="countAll"/>; an FTS count is cheap). Null when the index cannot help: SQL Server, or
    /// only words shorter than <see cref="IndexedTermLength"/> (those are tested on <c>Members.SearchText</c>, whose SQLite
    /// index <c>IX_Members_SearchText</c> makes a count read the narrow index instead of the table).
    /// </summary>
    public static async Task<MemberSearchHits?> FindAsync(KurocoDbContext db, IReadOnlyList<string> terms, bool countAll, CancellationToken cancellationToken)
    {
        var indexed = terms.Where(t => new StringInfo(t).LengthInTextElements >= IndexedTermLength).ToList();
        if (!db.Database.IsSqlite() || indexed.Count == 0)
        {
            return null;
        }
        var scanned = terms.Except(indexed, StringComparer.Ordinal).ToList();
        // Each word a quoted phrase (a substring for the trigram tokenizer), joined by AND; quotes inside are doubled, so
        // the value is matched as text and never read as FTS5 query syntax. Shorter words are tested on the hits' own text.
        var parameters = new List<SqliteParameter>
        {
            new("$match", string.Join(" AND ", indexed.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))),
        };
        var where = new StringBuilder().Append(CultureInfo.InvariantCulture, $"\"{TableName}\" MATCH $match");
        for (var i = 0; i < scanned.Count; i++)
        {
            var name = "$term" + i.ToString(CultureInfo.InvariantCulture);
            parameters.Add(new SqliteParameter(name, scanned[i]));
            where.Append(CultureInfo.InvariantCulture, $" AND instr(\"{TableName}\".\"SearchText\", {name}) > 0");
        }
        // The texts are built from the constants above only; every value is a parameter.
        // One pass over the index reads up to CountedHits matches: few are used by id, up to CountedHits are counted here
        // (a second MATCH just to count them cost as much again); only more than that needs the count query below.
        var idsSql = $"SELECT k.\"MemberId\" AS \"Value\" FROM \"{TableName}\" JOIN \"{KeysTableName}\" AS k ON k.\"Id\" = \"{TableName}\".rowid WHERE {where} LIMIT {CountedHits + 1}";
        var ids = await db.Database.SqlQueryRaw<string>(idsSql, [.. parameters.Select(Copy)]).ToListAsync(cancellationToken);
        if (ids.Count <= FewHits)
        {
            return new MemberSearchHits([.. ids.Select(id => Guid.Parse(id, CultureInfo.InvariantCulture))], ids.Count);
        }
        if (ids.Count <= CountedHits)
        {
            // The number is the search's alone: a total only when nothing else filters (countAll).
            return new MemberSearchHits(null, countAll ? ids.Count : null);
        }
        if (!countAll)
        {
            return new MemberSearchHits(null, null);
        }
        var countSql = $"SELECT count(*) AS \"Value\" FROM \"{TableName}\" WHERE {where}";
        var total = await db.Database.SqlQueryRaw<int>(countSql, [.. parameters.Select(Copy)]).SingleAsync(cancellationToken);
        return new MemberSearchHits(null, total);
    }

    /// <summary>A parameter object belongs to one command: each query gets its own copies.</summary>
    private static object Copy(SqliteParameter parameter) => new SqliteParameter(parameter.ParameterName, parameter.Value);
}

/// <summary>What the search index found: the ids of few hits, or (for many) their number when it was counted.</summary>
internal sealed record MemberSearchHits(List<Guid>? Ids, int? Total);
