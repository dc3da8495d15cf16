using System.Diagnostics;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Audit;

/// <summary>
/// Merges the segments of the audit free-text index (SQLite FTS5) outside the appends. Appends do not merge (the index's
/// <c>automerge</c> is 0, migration <c>AuditSearchText</c>), so each commit only adds a small segment and stays cheap; this
/// runs after the daily retention purge and merges until FTS5 reports nothing left to merge or the time budget is spent.
/// Nothing to do on SQL Server (no such index there).
/// </summary>
public sealed partial class AuditSearchIndexMaintenance(IDbContextFactory<KurocoDbContext> contexts, ILogger<AuditSearchIndexMaintenance> logger)
{
    /// <summary>Pages of merge work per step (FTS5's 'merge' command).</summary>
    private const int PagesPerStep = 500;

    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(2);

    /// <summary>Merges index segments; returns how many merge steps did work.</summary>
    public async Task<int> MergeAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!db.Database.IsSqlite())
        {
            return 0;
        }
        await db.Database.OpenConnectionAsync(cancellationToken);
        var watch = Stopwatch.StartNew();
        var steps = 0;
        while (watch.Elapsed < Budget)
        {
            // FTS5: the command did work when the connection's total changes grew by 2 or more.
            var before = await TotalChangesAsync(db, cancellationToken);
            await db.Database.ExecuteSqlAsync($"""INSERT INTO "AuditSearch" ("AuditSearch", rank) VALUES ('merge', {PagesPerStep})""", cancellationToken);
            if (await TotalChangesAsync(db, cancellationToken) - before < 2)
            {
                break;
            }
            steps++;
        }
        LogMerged(logger, steps, watch.Elapsed.TotalSeconds);
        return steps;
    }

    private static async Task<long> TotalChangesAsync(KurocoDbContext db, CancellationToken cancellationToken) =>
        (await db.Database.SqlQueryRaw<long>("""SELECT total_changes() AS "Value" """).ToListAsync(cancellationToken)).Single();

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit search index: {Steps} merge steps in {Seconds:N1} s.")]
    private static partial void LogMerged(ILogger logger, int steps, double seconds);
}
