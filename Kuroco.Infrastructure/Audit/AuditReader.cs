using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Audit;

internal sealed class AuditReader(KurocoDbContext db) : IAuditReader
{
    private const int VerifyBatchSize = 2000;

    public async Task<AuditPage> SearchAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text.Trim();
            q = q.Where(e => e.Summary.Contains(text) || e.ActorName.Contains(text)
                || (e.EntityId != null && e.EntityId.Contains(text)) || (e.IpAddress != null && e.IpAddress.Contains(text)));
        }
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            q = q.Where(e => e.Action == query.Action);
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
        var pageSize = Math.Clamp(query.PageSize, 1, AuditQuery.MaxPageSize);
        var total = await q.CountAsync(cancellationToken);
        var items = await q.OrderByDescending(e => e.Sequence)
            .Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        return new AuditPage(items, total);
    }

    public async Task<AuditChainVerification> VerifyChainAsync(CancellationToken cancellationToken = default)
    {
        var verifier = new AuditChainVerifier();
        long after = 0;
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
            if (batch.Count < VerifyBatchSize)
            {
                return verifier.Result();
            }
            after = batch[^1].Sequence;
        }
    }
}
