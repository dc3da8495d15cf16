using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Audit;

/// <summary>
/// Removes audit entries older than the retention, oldest first, in batches of <see cref="BatchSize"/>. It first
/// verifies the whole chain and refuses on a break (purging would destroy the evidence). For each batch it writes the
/// checkpoint (sequence and hash of the last removed entry) to the file outside the database first, then removes the
/// batch and moves the database copy in one transaction: a crash in between leaves the file one batch ahead with the
/// entries still there, which the chain check accepts and the next run finishes. The newest entry is never removed,
/// so the chain always has an entry after the checkpoint. Full-text rows go with their entries (delete triggers).
/// </summary>
internal sealed partial class AuditRetentionPurge(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditRetentionStore settings,
    IAuditReader reader,
    IAuditAnchorStore anchors,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<AuditRetentionPurge> logger) : IAuditRetentionPurge
{
    public const int BatchSize = 5000;

    public async Task<AuditPurgeReport> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var retention = await settings.GetAsync(cancellationToken);
        var cutoff = retention.CutoffUtc(now);
        var verification = await reader.VerifyChainAsync(cancellationToken);
        if (!verification.IsIntact)
        {
            LogRefused(logger, verification.FirstBrokenSequence, verification.Problem);
            var refused = new AuditPurgeReport(now.UtcDateTime, cutoff, 0, AuditPurgeOutcome.RefusedBrokenChain,
                await anchors.ReadCheckpointAsync(cancellationToken), verification);
            await RecordAsync(refused, cancellationToken);
            await audit.WriteAsync(new AuditRecord(AuditActions.AuditRetentionPurgeRefused, "AuditLog",
                verification.FirstBrokenSequence?.ToString(CultureInfo.InvariantCulture),
                AuditParameters.Of(
                    ("sequence", verification.FirstBrokenSequence?.ToString(CultureInfo.InvariantCulture)),
                    ("problem", verification.Problem.ToString())),
                AuditOutcome.Failure), cancellationToken);
            return refused;
        }

        var checkpoint = await anchors.ReadCheckpointAsync(cancellationToken);
        long purged = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var after = checkpoint?.Sequence ?? 0;
            var newest = await db.AuditEntries.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
            var batch = await db.AuditEntries.AsNoTracking()
                .Where(e => e.Sequence > after && e.Sequence < newest)
                .OrderBy(e => e.Sequence)
                .Take(BatchSize)
                .Select(e => new { e.Sequence, e.Hash, e.OccurredAtUtc })
                .ToListAsync(cancellationToken);
            // The kept chain must start right after the checkpoint: stop at the first entry inside the retention.
            var expired = batch.TakeWhile(e => e.OccurredAtUtc < cutoff).ToList();
            if (expired.Count == 0)
            {
                break;
            }
            var last = expired[^1];
            var next = new AuditCheckpoint(last.Sequence, last.Hash, now.UtcDateTime);
            await anchors.WriteCheckpointAsync(next, cancellationToken);
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                purged += await db.AuditEntries.Where(e => e.Sequence <= last.Sequence).ExecuteDeleteAsync(cancellationToken);
                var row = await db.AuditRetention.FirstOrDefaultAsync(s => s.Id == AuditRetentionState.SingletonId, cancellationToken);
                if (row is null)
                {
                    row = new AuditRetentionState();
                    db.AuditRetention.Add(row);
                }
                row.SetCheckpoint(next);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            checkpoint = next;
            if (expired.Count < batch.Count || batch.Count < BatchSize)
            {
                break;
            }
        }

        var report = new AuditPurgeReport(now.UtcDateTime, cutoff, purged,
            purged > 0 ? AuditPurgeOutcome.Purged : AuditPurgeOutcome.NothingToPurge, checkpoint, verification);
        await RecordAsync(report, cancellationToken);
        LogPurged(logger, purged, cutoff, checkpoint?.Sequence);
        if (purged > 0)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.AuditRetentionPurged, "AuditLog",
                checkpoint?.Sequence.ToString(CultureInfo.InvariantCulture),
                AuditParameters.Of(
                    ("count", purged.ToString(CultureInfo.InvariantCulture)),
                    ("cutoff", cutoff.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
                    ("months", retention.RetentionMonths.ToString(CultureInfo.InvariantCulture)),
                    ("checkpoint", checkpoint?.Sequence.ToString(CultureInfo.InvariantCulture)))),
                cancellationToken);
        }
        return report;
    }

    private async Task RecordAsync(AuditPurgeReport report, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.AuditRetention.FirstOrDefaultAsync(s => s.Id == AuditRetentionState.SingletonId, cancellationToken);
        if (row is null)
        {
            row = new AuditRetentionState();
            db.AuditRetention.Add(row);
        }
        row.LastPurgeAtUtc = report.RanAtUtc;
        row.LastPurgeCutoffUtc = report.CutoffUtc;
        row.LastPurgeCount = report.PurgedCount;
        row.LastPurgeOutcome = report.Outcome;
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Audit retention purge refused: the chain breaks at entry {Sequence} ({Problem}).")]
    private static partial void LogRefused(ILogger logger, long? sequence, AuditChainProblem problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit retention purge removed {Count} entries older than {Cutoff:o}; checkpoint {Checkpoint}.")]
    private static partial void LogPurged(ILogger logger, long count, DateTime cutoff, long? checkpoint);
}
