using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using System.Net;
using System.Runtime.CompilerServices;
using System.Net.Sockets;
using System.Text;
using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Audit;

/// <summary>
/// The audit search's one query path (the page, the API, the export and the benchmark all read through it): the filters of
/// an <see cref="AuditQuery"/> and the keyset position, newest first by (<c>OccurredAtUtc</c>, <c>Sequence</c>).
/// <para>
/// On SQLite the keyset is the row-value form <c>("OccurredAtUtc", "Sequence") &lt; ($at, $seq)</c>, which walks the index
/// <c>IX_AuditEntries_OccurredAtUtc_Sequence</c> from the cursor (never OFFSET); free text goes through the FTS5 trigram
/// index <c>AuditSearch</c> (migration <c>AuditSearchIndex</c>: triggers keep it in the append's transaction), whose rowid is
/// the entry's sequence; an address block is tested by the connection function <c>kuroco_ip_in</c>
/// (<see cref="AuditSqlFunctions"/>). SQL Server has no row values: there the keyset is the expanded
/// <c>at &lt; @at OR (at = @at AND seq &lt; @seq)</c>, free text is <c>LIKE '%word%'</c> (a scan, documented in the README),
/// and an address block is a set of <c>LIKE 'prefix%'</c> on the address text.
/// </para>
/// <para>
/// Free text: each whitespace-separated word must occur (AND), case-insensitively, in the summary, the parameters, actor, entity id,
/// IP address or changes. Words of three characters or more are matched through the trigram index (Japanese needs no spaces:
/// any three consecutive characters are indexed). Shorter words are tested with LIKE on the rows the other words found;
/// a query of only short words is a LIKE over the newest <see cref="ShortTextWindow"/> entries (bounded, so one letter never
/// scans millions of rows; the page says so).
/// </para>
/// </summary>
internal sealed class AuditSearchQuery
{
    public const string IndexTable = "AuditSearch";

    /// <summary>The trigram tokenizer indexes runs of three characters; shorter words cannot use the index.</summary>
    public const int IndexedWordLength = 3;

    /// <summary>How many of the newest entries a search of only one- or two-character words looks through.</summary>
    public const int ShortTextWindow = 100_000;

    private const string LikeEscape = "\\";

    private readonly KurocoDbContext db;
    private readonly AuditQuery query;
    private readonly bool sqlite;
    private readonly IReadOnlyList<string> actions;
    private string? match;
    private List<string> likeWords = [];
    private long? shortTextFloor;
    private bool userIsId;
    private long lowestSequence;
    private long highestSequence = long.MaxValue;

    private AuditSearchQuery(KurocoDbContext db, AuditQuery query)
    {
        this.db = db;
        this.query = query;
        sqlite = db.Database.IsSqlite();
        actions = query.AllActions;
    }

    public static async Task<AuditSearchQuery> PrepareAsync(KurocoDbContext db, AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        var search = new AuditSearchQuery(db, query);
        if (!string.IsNullOrWhiteSpace(query.User))
        {
            // A user is a recorded name (the staff email) or a user id. One column per query, so the composite indexes
            // (ActorName, Action, OccurredAtUtc, Sequence) and (ActorName, OccurredAtUtc, Sequence) can serve it: an OR of
            // the two columns would leave SQLite a scan of the action's or the range's rows.
            var user = query.User.Trim();
            search.userIsId = await db.AuditEntries.AnyAsync(e => e.ActorId == user, cancellationToken);
        }
        var words = Words(query.Text);
        if (!search.sqlite)
        {
            search.likeWords = words;
            return search;
        }
        var indexed = words.Where(w => new StringInfo(w).LengthInTextElements >= IndexedWordLength).ToList();
        search.likeWords = [.. words.Except(indexed, StringComparer.Ordinal)];
        if (indexed.Count > 0)
        {
            // Each word a quoted phrase (a substring for the trigram tokenizer), joined by AND; quotes inside are doubled, so
            // the text is matched as text and never read as FTS5 query syntax.
            search.match = string.Join(" AND ", indexed.Select(w => "\"" + w.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
            await search.BoundBySequenceAsync(cancellationToken);
        }
        else if (search.likeWords.Count > 0)
        {
            var tail = await db.AuditEntries.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
            search.shortTextFloor = tail - ShortTextWindow;
        }
        return search;
    }

    /// <summary>
    /// Whether the free text goes through the full-text index. Then the index drives the read (newest hits first, in
    /// chunks, bounded by the sequences of the time range) and the other filters are tested on those rows only: joining
    /// the whole hit list to the time order would read every hit of a common word (millions) before the first row.
    /// </summary>
    public bool DrivenByIndex => match is not null;

    /// <summary>
    /// One page: the <paramref name="take"/> entries just older than <paramref name="olderThan"/> (newest first), or, with
    /// <paramref name="newerThan"/>, just newer than it (oldest first). Through the full-text index the order is the
    /// chain's (sequence), which is the order of time: one writer appends at a time and stamps each entry as it appends.
    /// </summary>
    public async Task<List<AuditEntry>> ReadAsync(AuditCursor? olderThan, AuditCursor? newerThan, int take, CancellationToken cancellationToken)
    {
        if (!DrivenByIndex)
        {
            var filtered = Where(olderThan, newerThan);
            var ordered = newerThan is null ? Descending(filtered) : Ascending(filtered);
            return await ordered.Take(take).ToListAsync(cancellationToken);
        }
        var rows = new List<AuditEntry>(take);
        // With no filter besides the words and the time range (which bounds the index read), every hit is a row: read
        // exactly a page of hits. Otherwise a few pages' worth, growing while the filters keep few of them.
        var first = OnlyTextAndTime ? take : Math.Max(take * 4, FirstChunk);
        await foreach (var chunk in HitChunksAsync(olderThan, newerThan, first, cancellationToken))
        {
            var found = await Where(includeMatch: false).Where(e => chunk.Contains(e.Sequence)).ToListAsync(cancellationToken);
            rows.AddRange(newerThan is null ? found.OrderByDescending(e => e.Sequence) : found.OrderBy(e => e.Sequence));
            if (rows.Count >= take)
            {
                break;
            }
        }
        return rows.Count > take ? rows.GetRange(0, take) : rows;
    }

    /// <summary>
    /// How many entries match, counted up to <paramref name="cap"/> + 1 (or all of them when null). Through the full-text
    /// index the count goes chunk by chunk and stops when <paramref name="budget"/> is spent (a phrase of common letters over
    /// millions of entries costs seconds per 10,000 hits): then it says how many it found so far, not complete.
    /// </summary>
    public async Task<(int Count, bool Complete)> CountAsync(int? cap, TimeSpan? budget, CancellationToken cancellationToken)
    {
        if (!DrivenByIndex)
        {
            return (cap is { } limit
                ? await Where().Take(limit + 1).CountAsync(cancellationToken)
                : await Where().CountAsync(cancellationToken), true);
        }
        var watch = Stopwatch.StartNew();
        var count = 0;
        await foreach (var chunk in HitChunksAsync(null, null, CountChunk, cancellationToken))
        {
            // With no filter besides the words and the time range, every hit inside the range's sequences is a match.
            count += OnlyTextAndTime ? chunk.Count : await Where(includeMatch: false).CountAsync(e => chunk.Contains(e.Sequence), cancellationToken);
            if (cap is { } limit && count > limit)
            {
                return (limit + 1, true);
            }
            if (budget is { } spend && watch.Elapsed > spend)
            {
                return (count, false);
            }
        }
        return (count, true);
    }

    /// <summary>Whether any entry matches that is newer than <paramref name="cursor"/>.</summary>
    public async Task<bool> AnyNewerAsync(AuditCursor cursor, CancellationToken cancellationToken) =>
        DrivenByIndex
            ? (await ReadAsync(null, cursor, 1, cancellationToken)).Count > 0
            : await Where(newerThan: cursor).AnyAsync(cancellationToken);

    private const int FirstChunk = 200;

    private bool OnlyTextAndTime =>
        actions.Count == 0 && query.Outcome is null && query.Address is null && likeWords.Count == 0
        && string.IsNullOrWhiteSpace(query.User) && string.IsNullOrWhiteSpace(query.Role)
        && string.IsNullOrWhiteSpace(query.EntityType) && string.IsNullOrWhiteSpace(query.EntityId);
    private const int MaxChunk = 20_000;
    private const int CountChunk = 2_000;

    /// <summary>
    /// The full-text hits inside the time range's sequences, past the cursor, in chunks: newest first (or oldest first
    /// after <paramref name="newerThan"/>), each chunk four times the last, so a common word fills a page from its first
    /// chunk and a rare one is read to its end in a few.
    /// </summary>
    private async IAsyncEnumerable<List<long>> HitChunksAsync(
        AuditCursor? olderThan, AuditCursor? newerThan, int size, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var low = Math.Max(lowestSequence, (newerThan?.Sequence ?? 0) + 1);
        var high = Math.Min(highestSequence, olderThan is null ? long.MaxValue : olderThan.Sequence - 1);
        var descending = newerThan is null;
        while (low <= high)
        {
            var sql = $"SELECT rowid AS \"Value\" FROM \"{IndexTable}\" WHERE \"{IndexTable}\" MATCH $match AND rowid >= $low AND rowid <= $high "
                + (descending ? "ORDER BY rowid DESC" : "ORDER BY rowid") + " LIMIT $size";
            var hits = await db.Database.SqlQueryRaw<long>(sql,
                    new SqliteParameter("$match", match), new SqliteParameter("$low", low), new SqliteParameter("$high", high), new SqliteParameter("$size", size))
                .ToListAsync(cancellationToken);
            if (hits.Count == 0)
            {
                yield break;
            }
            yield return hits;
            if (hits.Count < size)
            {
                yield break;
            }
            if (descending)
            {
                high = hits[^1] - 1;
            }
            else
            {
                low = hits[^1] + 1;
            }
            size = Math.Min(size * 4, MaxChunk);
        }
    }

    /// <summary>The sequences of the first and last entries of the time range (and of the pinned end): the index's bounds.</summary>
    private async Task BoundBySequenceAsync(CancellationToken cancellationToken)
    {
        if (query.FromUtc is { } from)
        {
            lowestSequence = await db.AuditEntries.Where(e => e.OccurredAtUtc >= from)
                .OrderBy(e => e.OccurredAtUtc).ThenBy(e => e.Sequence).Select(e => (long?)e.Sequence)
                .FirstOrDefaultAsync(cancellationToken) ?? long.MaxValue;
        }
        if (query.ToUtc is { } to)
        {
            highestSequence = await db.AuditEntries.Where(e => e.OccurredAtUtc < to)
                .OrderByDescending(e => e.OccurredAtUtc).ThenByDescending(e => e.Sequence).Select(e => (long?)e.Sequence)
                .FirstOrDefaultAsync(cancellationToken) ?? 0;
        }
        if (query.MaxSequence is { } max)
        {
            highestSequence = Math.Min(highestSequence, max);
        }
    }

    /// <summary>The entries matching the filters, strictly older than <paramref name="olderThan"/> / newer than <paramref name="newerThan"/>.</summary>
    public IQueryable<AuditEntry> Where(AuditCursor? olderThan = null, AuditCursor? newerThan = null, bool includeMatch = true)
    {
        var q = sqlite ? SqliteBase(olderThan, newerThan, includeMatch) : SqlServerBase(olderThan, newerThan);
        if (actions.Count == 1)
        {
            var action = actions[0];
            q = q.Where(e => e.Action == action);
        }
        else if (actions.Count > 1)
        {
            var list = actions.ToList();
            q = q.Where(e => list.Contains(e.Action));
        }
        if (query.Outcome is { } outcome)
        {
            q = q.Where(e => e.Outcome == outcome);
        }
        if (query.FromUtc is { } from)
        {
            q = q.Where(e => e.OccurredAtUtc >= from);
        }
        if (query.ToUtc is { } to)
        {
            q = q.Where(e => e.OccurredAtUtc < to);
        }
        if (query.MaxSequence is { } max)
        {
            q = q.Where(e => e.Sequence <= max);
        }
        if (shortTextFloor is { } floor)
        {
            q = q.Where(e => e.Sequence > floor);
        }
        if (!string.IsNullOrWhiteSpace(query.User))
        {
            var user = query.User.Trim();
            q = userIsId ? q.Where(e => e.ActorId == user) : q.Where(e => e.ActorName == user);
        }
        if (!string.IsNullOrWhiteSpace(query.Role))
        {
            // Roles are stored comma-joined ("Administrator,SecurityOfficer"): a whole name between commas.
            var role = "%," + EscapeLike(query.Role.Trim()) + ",%";
            q = q.Where(e => EF.Functions.Like("," + e.ActorRoles + ",", role, LikeEscape));
        }
        if (!string.IsNullOrWhiteSpace(query.EntityType))
        {
            var type = query.EntityType.Trim();
            q = q.Where(e => e.EntityType == type);
        }
        if (!string.IsNullOrWhiteSpace(query.EntityId))
        {
            var id = query.EntityId.Trim();
            q = q.Where(e => e.EntityId == id);
        }
        foreach (var word in likeWords)
        {
            // LIKE rather than instr(): an auditor typing "alice" expects "Alice@example.com". % and _ are matched literally.
            var pattern = "%" + EscapeLike(word) + "%";
            q = q.Where(e => EF.Functions.Like(e.Summary, pattern, LikeEscape)
                || (e.Parameters != null && EF.Functions.Like(e.Parameters, pattern, LikeEscape))
                || EF.Functions.Like(e.ActorName, pattern, LikeEscape)
                || (e.EntityId != null && EF.Functions.Like(e.EntityId, pattern, LikeEscape))
                || (e.IpAddress != null && EF.Functions.Like(e.IpAddress, pattern, LikeEscape))
                || (e.Changes != null && EF.Functions.Like(e.Changes, pattern, LikeEscape))
                || EF.Functions.Like(EF.Property<string?>(e, AuditEntryConfiguration.SearchTextColumn), pattern, LikeEscape));
        }
        return q;
    }

    public static IQueryable<AuditEntry> Descending(IQueryable<AuditEntry> q) =>
        q.OrderByDescending(e => e.OccurredAtUtc).ThenByDescending(e => e.Sequence);

    public static IQueryable<AuditEntry> Ascending(IQueryable<AuditEntry> q) =>
        q.OrderBy(e => e.OccurredAtUtc).ThenBy(e => e.Sequence);

    /// <summary>The whitespace-separated words of a free-text query, each once.</summary>
    public static List<string> Words(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : [.. text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    private IQueryable<AuditEntry> SqliteBase(AuditCursor? olderThan, AuditCursor? newerThan, bool includeMatch)
    {
        var conditions = new List<string>();
        var parameters = new List<object>();
        if (olderThan is not null)
        {
            conditions.Add("(\"OccurredAtUtc\", \"Sequence\") < ($olderAt, $olderSeq)");
            parameters.Add(new SqliteParameter("$olderAt", SqliteTime(olderThan.OccurredAtUtc)));
            parameters.Add(new SqliteParameter("$olderSeq", olderThan.Sequence));
        }
        if (newerThan is not null)
        {
            conditions.Add("(\"OccurredAtUtc\", \"Sequence\") > ($newerAt, $newerSeq)");
            parameters.Add(new SqliteParameter("$newerAt", SqliteTime(newerThan.OccurredAtUtc)));
            parameters.Add(new SqliteParameter("$newerSeq", newerThan.Sequence));
        }
        if (match is not null && includeMatch)
        {
            conditions.Add($"\"Sequence\" IN (SELECT rowid FROM \"{IndexTable}\" WHERE \"{IndexTable}\" MATCH $match)");
            parameters.Add(new SqliteParameter("$match", match));
        }
        if (query.Address is { } address)
        {
            conditions.Add($"{AuditSqlFunctions.IpIn}(\"IpAddress\", $network, $prefix)");
            parameters.Add(new SqliteParameter("$network", address.Network.ToString()));
            parameters.Add(new SqliteParameter("$prefix", address.PrefixLength));
        }
        if (conditions.Count == 0)
        {
            return db.AuditEntries.AsNoTracking();
        }
        // Built from the constants above only; every value is a parameter. EF composes the rest of the query around it, and
        // SQLite flattens the subquery, so the keyset still seeks the index.
        var sql = "SELECT * FROM \"AuditEntries\" WHERE " + string.Join(" AND ", conditions);
        return db.AuditEntries.FromSqlRaw(sql, [.. parameters]).AsNoTracking();
    }

    private IQueryable<AuditEntry> SqlServerBase(AuditCursor? olderThan, AuditCursor? newerThan)
    {
        var q = db.AuditEntries.AsNoTracking();
        if (olderThan is not null)
        {
            var at = olderThan.OccurredAtUtc;
            var seq = olderThan.Sequence;
            q = q.Where(e => e.OccurredAtUtc < at || (e.OccurredAtUtc == at && e.Sequence < seq));
        }
        if (newerThan is not null)
        {
            var at = newerThan.OccurredAtUtc;
            var seq = newerThan.Sequence;
            q = q.Where(e => e.OccurredAtUtc > at || (e.OccurredAtUtc == at && e.Sequence > seq));
        }
        if (query.Address is { } address)
        {
            q = q.Where(AddressPrefixes(address));
        }
        return q;
    }

    /// <summary>SQLite stores a DateTime as this text (EF's and Microsoft.Data.Sqlite's format), which sorts as time does.</summary>
    private static string SqliteTime(DateTime utc) => utc.ToString("yyyy'-'MM'-'dd HH':'mm':'ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');

    /// <summary>
    /// SQL Server: an address block as LIKE prefixes of the address text. IPv4 is exact (a block is split at the octet it
    /// ends in: a /20 is 16 prefixes "a.b.16." … "a.b.31."); IPv6 matches the leading 16-bit groups as written, so a block
    /// that does not end on a group boundary is widened to it.
    /// </summary>
    internal static Expression<Func<AuditEntry, bool>> AddressPrefixes(AuditAddressRange address)
    {
        var patterns = AddressPatterns(address);
        var e = Expression.Parameter(typeof(AuditEntry), "e");
        var ip = Expression.Property(e, nameof(AuditEntry.IpAddress));
        var like = typeof(DbFunctionsExtensions).GetMethod(nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string)])!;
        Expression body = Expression.Constant(false);
        foreach (var pattern in patterns)
        {
            var test = Expression.Call(like, Expression.Constant(EF.Functions), ip, Expression.Constant(pattern));
            body = body is ConstantExpression ? test : Expression.OrElse(body, test);
        }
        body = Expression.AndAlso(Expression.NotEqual(ip, Expression.Constant(null, typeof(string))), body);
        return Expression.Lambda<Func<AuditEntry, bool>>(body, e);
    }

    internal static List<string> AddressPatterns(AuditAddressRange address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.Network.GetAddressBytes();
        if (address.IsSingleAddress)
        {
            return [address.Network.ToString()];
        }
        if (address.Network.AddressFamily == AddressFamily.InterNetwork)
        {
            var whole = address.PrefixLength / 8;
            var rest = address.PrefixLength % 8;
            var head = string.Concat(bytes.Take(whole).Select(b => b.ToString(CultureInfo.InvariantCulture) + "."));
            if (rest == 0)
            {
                return [head + "%"];
            }
            var count = 1 << (8 - rest);
            var last = whole == 3;
            return [.. Enumerable.Range(bytes[whole], count).Select(v => head + v.ToString(CultureInfo.InvariantCulture) + (last ? "" : ".%"))];
        }
        var groups = address.PrefixLength / 16;
        var text = new StringBuilder();
        for (var i = 0; i < groups; i++)
        {
            text.Append(((bytes[i * 2] << 8) | bytes[(i * 2) + 1]).ToString("x", CultureInfo.InvariantCulture)).Append(':');
        }
        return [text + "%"];
    }

    private static string EscapeLike(string text) => text
        .Replace(LikeEscape, LikeEscape + LikeEscape, StringComparison.Ordinal)
        .Replace("%", LikeEscape + "%", StringComparison.Ordinal)
        .Replace("_", LikeEscape + "_", StringComparison.Ordinal)
        .Replace("[", LikeEscape + "[", StringComparison.Ordinal);
}

/// <summary>Functions the SQLite connection offers to the audit search (registered when a connection opens).</summary>
internal static class AuditSqlFunctions
{
    public const string IpIn = "kuroco_ip_in";

    public static void Register(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.CreateFunction<string?, string?, long, bool>(IpIn, Contains, isDeterministic: true);
    }

    /// <summary>Whether <paramref name="address"/> (as recorded) lies in the block; an IPv4-mapped IPv6 address counts as IPv4.</summary>
    public static bool Contains(string? address, string? network, long prefix)
    {
        if (address is null || network is null || !IPAddress.TryParse(address, out var ip) || !IPAddress.TryParse(network, out var net))
        {
            return false;
        }
        if (ip.IsIPv4MappedToIPv6 && net.AddressFamily == AddressFamily.InterNetwork)
        {
            ip = ip.MapToIPv4();
        }
        return ip.AddressFamily == net.AddressFamily && new IPNetwork(net, (int)prefix).Contains(ip);
    }
}
