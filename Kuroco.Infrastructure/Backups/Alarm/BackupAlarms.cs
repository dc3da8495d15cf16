using Kuroco.Core.Backups;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Backups.Alarm;

/// <summary>The dashboard's view of the backup alarm: the newest alarm when it was raised within the last day.</summary>
internal sealed class BackupAlarms(IDbContextFactory<KurocoDbContext> contexts, TimeProvider clock) : IBackupAlarms
{
    public static readonly TimeSpan ShownFor = TimeSpan.FromDays(1);

    public async Task<BackupAlarmRecord?> GetCurrentAsync(CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow().UtcDateTime - ShownFor;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<BackupAlarmRow>().AsNoTracking()
            .Where(r => r.RaisedAtUtc >= since)
            .OrderByDescending(r => r.Night)
            .FirstOrDefaultAsync(cancellationToken);
        return row?.ToRecord();
    }
}
