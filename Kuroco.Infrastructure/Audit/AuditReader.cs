using System.Runtime.CompilerServices;
using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Audit;

/// <summary>
/// Reads the audit log with a short-lived context per call: a Blazor circuit may run several
/// components' queries at once, and one DbContext cannot serve two operations concurrently.
/// </summary>
internal sealed class AuditReader(IDbContextFactory<KurocoDbContext> contexts, IAuditAnchorStore anchors, TimeProvider clock) : IAuditReader
{
    private const int VerifyBatchSize = 2000;
    private const int StreamBatchSize = 500;

    /// <summary>How long a total may take before it is shown as "at least N" (with "Count exactly" to go on).</summary>
    private static readonly TimeSpan CountBudget = TimeSpan.FromSeconds(2);

    public async Task<AuditPage> SearchAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pageSize = Math.Clamp(query.PageSize, 1, AuditQuery.MaxPageSize);
        var search = await AuditSearchQuery.PrepareAsync(db, query, cancellationToken);

        // The total: exact up to CountCap, "CountCap+" beyond unless asked for (a count over millions reads them all).
        // The console asks for the page first and the total after (WithoutTotal, then CountAsync), so rows never wait for it.
        var total = query.WithoutTotal ? null : await TotalAsync(search, query, cancellationToken);

        if (query.Newer is { } newer)
        {
            // The page before: the entries just newer than the cursor, read upwards and shown newest first.
            var up = await search.ReadAsync(null, newer, pageSize + 1, cancellationToken);
            var page = up.Take(pageSize).Reverse().ToList();
            return new AuditPage(page, total?.Count ?? 0)
            {
                TotalIsExact = total?.IsExact ?? false,
                TotalIsCounted = total is not null,
                Newer = up.Count > pageSize ? AuditCursor.Of(page[0]) : null,
                Older = page.Count > 0 ? AuditCursor.Of(page[^1]) : query.Newer,
            };
        }

        var down = await search.ReadAsync(query.Older, null, pageSize + 1, cancellationToken);
        var items = down.Take(pageSize).ToList();
        var hasNewer = query.Older is not null && items.Count > 0
            && await search.AnyNewerAsync(AuditCursor.Of(items[0]), cancellationToken);
        return new AuditPage(items, total?.Count ?? 0)
        {
            TotalIsExact = total?.IsExact ?? false,
            TotalIsCounted = total is not null,
            Older = down.Count > pageSize ? AuditCursor.Of(items[^1]) : null,
            Newer = hasNewer ? AuditCursor.Of(items[0]) : null,
        };
    }

    public async Task<AuditTotal> CountAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await TotalAsync(await AuditSearchQuery.PrepareAsync(db, query, cancellationToken), query, cancellationToken);
    }

    private static async Task<AuditTotal> TotalAsync(AuditSearchQuery search, AuditQuery query, CancellationToken cancellationToken)
    {
        var (counted, complete) = await search.CountAsync(
            query.CountExactly ? null : AuditQuery.CountCap, query.CountExactly ? null : CountBudget, cancellationToken);
        var exact = complete && (query.CountExactly || counted <= AuditQuery.CountCap);
        return new AuditTotal(Math.Min(counted, query.CountExactly ? int.MaxValue : AuditQuery.CountCap), exact);
    }

    public async IAsyncEnumerable<AuditEntry> StreamAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var search = await AuditSearchQuery.PrepareAsync(db, query, cancellationToken);
        AuditCursor? after = null;
        while (true)
        {
            // Keyset paging, newest first: memory stays flat, and entries written while the export runs are left out
            // instead of shifting the pages and repeating rows.
            var batch = await search.ReadAsync(after, null, StreamBatchSize, cancellationToken);
            foreach (var entry in batch)
            {
                yield return entry;
            }
            if (batch.Count < StreamBatchSize)
            {
                yield break;
            }
            after = AuditCursor.Of(batch[^1]);
        }
    }

    public async Task<IReadOnlyList<AuditDailyCount>> CountPerDayAsync(
        IReadOnlyCollection<string> actions, DateOnly firstDay, int days, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, AuditDailyCount.MaxDays);
        var wanted = actions.Distinct(StringComparer.Ordinal).ToList();
        var fromUtc = StartOfDayUtc(firstDay, zone);
        var toUtc = StartOfDayUtc(firstDay.AddDays(days), zone);
        // Two small columns per entry; the local day depends on the zone's offset at that instant
        // (daylight saving), so it is worked out here rather than in SQL.
        var rows = await db.AuditEntries.AsNoTracking()
            .Where(e => wanted.Contains(e.Action) && e.OccurredAtUtc >= fromUtc && e.OccurredAtUtc < toUtc)
            .Select(e => new { e.Action, e.OccurredAtUtc })
            .ToListAsync(cancellationToken);
        var counts = rows
            .GroupBy(r => (Day: DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(r.OccurredAtUtc, DateTimeKind.Utc), zone)), r.Action))
            .ToDictionary(g => g.Key, g => g.Count());
        var result = new List<AuditDailyCount>(days * wanted.Count);
        for (var i = 0; i < days; i++)
        {
            var day = firstDay.AddDays(i);
            foreach (var action in wanted)
            {
                result.Add(new AuditDailyCount(day, action, counts.GetValueOrDefault((day, action))));
            }
        }
        return result;
    }

    public async Task<AuditEntry?> FindLatestAsync(IReadOnlyCollection<string> actions, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        ArgumentNullException.ThrowIfNull(actions);
        var wanted = actions.ToList();
        return await db.AuditEntries.AsNoTracking()
            .Where(e => wanted.Contains(e.Action))
            .OrderByDescending(e => e.Sequence)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public Task<AuditChainVerification> VerifyChainAsync(CancellationToken cancellationToken = default) =>
        VerifyChainAsync(null, cancellationToken);

    public async Task<AuditChainVerification> VerifyChainAsync(
        Func<AuditVerifyProgress, CancellationToken, Task>? progress, CancellationToken cancellationToken = default)
    {
        var result = await CheckChainAsync(await anchors.ReadAsync(cancellationToken), progress, cancellationToken);
        if (result is { IsIntact: true, LastSequence: { } sequence, LastHash: { } hash })
        {
            // Every successful check moves the anchor forward, so a later truncation is caught.
            await anchors.WriteAsync(new AuditAnchor(sequence, hash, clock.GetUtcNow().UtcDateTime), cancellationToken);
        }
        return result;
    }

    private async Task<AuditChainVerification> CheckChainAsync(
        AuditAnchor? anchor, Func<AuditVerifyProgress, CancellationToken, Task>? progress, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // After a retention purge the chain starts after the checkpoint kept outside the database (the authority);
        // the database copy must agree with it, or old entries were removed behind the purge's back.
        var checkpoint = await anchors.ReadCheckpointAsync(cancellationToken);
        var stored = await db.AuditRetention.AsNoTracking()
            .Where(s => s.Id == AuditRetentionState.SingletonId)
            .Select(s => new { s.CheckpointSequence, s.CheckpointHash })
            .FirstOrDefaultAsync(cancellationToken);
        if (!await CheckpointsAgreeAsync(db, checkpoint, stored?.CheckpointSequence, stored?.CheckpointHash, cancellationToken))
        {
            return new AuditChainVerification(0, (checkpoint?.Sequence ?? 0) + 1, AuditChainProblem.CheckpointMismatch);
        }
        var verifier = new AuditChainVerifier(anchor, checkpoint);
        var after = checkpoint?.Sequence ?? 0;
        var total = progress is null ? 0 : Math.Max(0, (await db.AuditEntries.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0) - after);
        long checkedCount = 0;
        while (true)
        {
            // Keyset paging keeps memory flat however long the log grows.
            var batch = await db.AuditEntries.AsNoTracking()
                .Where(e => e.Sequence > after)
                .OrderBy(e => e.Sequence)
                .Take(VerifyBatchSize)
                .ToListAsync(cancellationToken);
            foreach (var entry in batch)
            {
                if (!verifier.Check(entry))
                {
                    return verifier.Result();
                }
            }
            checkedCount += batch.Count;
            if (progress is not null)
            {
                // Entries appended during the check are checked too: the total grows with them.
                await progress(new AuditVerifyProgress(checkedCount, Math.Max(total, checkedCount)), cancellationToken);
            }
            if (batch.Count < VerifyBatchSize)
            {
                return verifier.Result();
            }
            after = batch[^1].Sequence;
        }
    }

    /// <summary>
    /// The file checkpoint and the database copy agree, or the file is one purge batch ahead (the purge writes the file
    /// first, so a crash before the database commit leaves the file ahead while the entry it names is still there).
    /// A database copy ahead of the file, a missing file, or different hashes mean old entries went without the purge.
    /// </summary>
    private static async Task<bool> CheckpointsAgreeAsync(
        KurocoDbContext db, AuditCheckpoint? file, long? storedSequence, string? storedHash, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return storedSequence is null;
        }
        if (storedSequence == file.Sequence)
        {
            return string.Equals(storedHash, file.Hash, StringComparison.Ordinal);
        }
        if (storedSequence > file.Sequence)
        {
            return false;
        }
        var hash = await db.AuditEntries.AsNoTracking()
            .Where(e => e.Sequence == file.Sequence)
            .Select(e => e.Hash)
            .FirstOrDefaultAsync(cancellationToken);
        return string.Equals(hash, file.Hash, StringComparison.Ordinal);
    }

    /// <summary>The UTC instant a calendar day starts in <paramref name="zone"/> (the first valid time where daylight saving skips midnight).</summary>
    internal static DateTime StartOfDayUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}
