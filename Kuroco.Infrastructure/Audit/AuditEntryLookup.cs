using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Audit;

/// <summary>Reads one entry by its sequence (the key), read-only.</summary>
internal sealed class AuditEntryLookup(IDbContextFactory<KurocoDbContext> contexts) : IAuditEntryLookup
{
    public async Task<AuditEntry?> FindAsync(long sequence, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AuditEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Sequence == sequence, cancellationToken);
    }
}
