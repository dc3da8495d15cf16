using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Kuroco.Core.Jobs;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Backups.Drill;

/// <summary>The drill results for /backups, and "Run drill now" (queues <see cref="BackupDrillJob"/>; audited).</summary>
internal sealed class BackupDrillService(
    IDbContextFactory<KurocoDbContext> contexts,
    IBackupService backups,
    IJobScheduler scheduler,
    IAuditLog auditLog) : IBackupDrills
{
    public async Task<IReadOnlyDictionary<string, BackupDrillResult>> GetLatestByGenerationAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<BackupDrillRow>().AsNoTracking().ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.GenerationId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(r => r.RanAtUtc)!.ToResult(), StringComparer.Ordinal);
    }

    public async Task<Result> RequestAsync(CancellationToken cancellationToken)
    {
        var newest = (await backups.ListAsync(cancellationToken)).FirstOrDefault();
        if (newest is null)
        {
            return Result.NotFound(CoreMessages.Get("Backups.NoGeneration"));
        }
        var id = newest.Manifest.Id;
        scheduler.Enqueue<BackupDrillJob>(job => job.DrillAsync(id, CancellationToken.None));
        await auditLog.WriteAsync(new AuditRecord(AuditActions.BackupDrillRequested, AuditEntityTypes.Backup, id,
            AuditParameters.Of(("generation", id))), cancellationToken);
        return Result.Success;
    }
}
