using System.Globalization;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Jobs;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// Daily: removes the uploaded file and the report of every import older than
/// <see cref="MemberDataOptions.ImportRetentionDays"/> (an import not applied by then is discarded; a completed one keeps
/// its row and counts), and temporary upload files older than a day. Idempotent; one audit entry per run that removed
/// anything.
/// </summary>
internal sealed partial class MemberImportCleanupJob(
    IDbContextFactory<KurocoDbContext> contexts,
    MemberImportFiles files,
    IAuditLog audit,
    TimeProvider clock,
    IOptions<MemberDataOptions> options,
    ILogger<MemberImportCleanupJob> logger) : IRecurringJob
{
    public const string JobId = "member-import-cleanup";

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now.AddDays(-options.Value.ImportRetentionDays);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // A running import is left alone unless it has not moved for the whole retention period.
        var expired = await db.Set<MemberImport>()
            .Where(i => i.FilesDeletedAtUtc == null && i.CreatedAtUtc < cutoff && i.UpdatedAtUtc < cutoff)
            .ToListAsync(cancellationToken);
        var removed = 0;
        var discarded = 0;
        foreach (var import in expired)
        {
            if (!files.DeleteAll(import.Id))
            {
                continue;
            }
            import.FilesDeletedAtUtc = now;
            if (import.Status is not (MemberImportStatus.Completed or MemberImportStatus.Discarded))
            {
                import.Status = MemberImportStatus.Discarded;
                import.UpdatedAtUtc = now;
                import.ConcurrencyToken = Guid.NewGuid();
                discarded++;
            }
            removed++;
        }
        await db.SaveChangesAsync(cancellationToken);
        var temporary = files.DeleteTempFilesOlderThan(now.AddDays(-1));
        if (removed + temporary > 0)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.MemberImportFilesPurged, MemberImportService.EntityType, null,
                AuditParameters.Of(
                    ("days", options.Value.ImportRetentionDays.ToString(CultureInfo.InvariantCulture)),
                    ("discarded", discarded.ToString(CultureInfo.InvariantCulture)),
                    ("removed", removed.ToString(CultureInfo.InvariantCulture)),
                    ("temporary", temporary.ToString(CultureInfo.InvariantCulture))))
            { Actor = AuditActor.System }, cancellationToken);
        }
        LogRun(logger, removed, discarded, temporary);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Member import cleanup: files of {Removed} imports removed ({Discarded} discarded), {Temporary} temporary files.")]
    private static partial void LogRun(ILogger logger, int removed, int discarded, int temporary);

    /// <summary>Schedules the job daily at 04:30 (called once from the recurring-jobs registrar).</summary>
    public static void Register(IRecurringJobManager manager, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.AddOrUpdate<MemberImportCleanupJob>(JobId, job => job.ExecuteAsync(CancellationToken.None), "30 4 * * *",
            new RecurringJobOptions { TimeZone = zone });
    }
}
