using System.Globalization;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Jobs;
using Kuroco.Core.Media;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Media;

/// <summary>
/// Daily: removes the stored file, the thumbnails and the row of media items deleted longer ago than
/// <see cref="MediaOptions.DeletedFileRetentionDays"/>. An item that something still references (every
/// <see cref="IMediaUsageProvider"/> is asked again, content in the trash included) is kept whatever its age.
/// Idempotent: files are removed before the row, a missing file is fine, and a removed row no longer matches,
/// so a run that stopped halfway is finished by the next. One audit entry per run; leftover temporary
/// upload files older than a day go too.
/// </summary>
internal sealed partial class MediaFileCleanupJob(
    IDbContextFactory<KurocoDbContext> contexts,
    MediaFileStore files,
    IEnumerable<IMediaUsageProvider> usageProviders,
    IAuditLog audit,
    TimeProvider clock,
    IOptions<MediaOptions> options,
    ILogger<MediaFileCleanupJob> logger) : IRecurringJob
{
    public const string JobId = "media-file-cleanup";

    private const int MaxIdsInSummary = 20;

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now.AddDays(-options.Value.DeletedFileRetentionDays);
        List<(Guid Id, string Name)> candidates;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var rows = await db.Set<MediaItem>().AsNoTracking()
                .Where(m => m.DeletedAtUtc != null && m.DeletedAtUtc <= cutoff)
                .OrderBy(m => m.DeletedAtUtc)
                .Select(m => new { m.Id, m.OriginalFileName })
                .ToListAsync(cancellationToken);
            candidates = [.. rows.Select(r => (r.Id, r.OriginalFileName))];
        }

        var purged = new List<(Guid Id, string Name)>();
        var kept = new List<Guid>();
        var failed = new List<Guid>();
        foreach (var (id, name) in candidates)
        {
            if (await IsReferencedAsync(id, cancellationToken))
            {
                kept.Add(id);
                continue;
            }
            if (!files.DeleteAllFor(id))
            {
                failed.Add(id); // the row stays, so the next run tries again
                continue;
            }
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await db.Set<MediaItem>().Where(m => m.Id == id && m.DeletedAtUtc != null).ExecuteDeleteAsync(cancellationToken);
            purged.Add((id, name));
        }
        var temporary = files.DeleteTempFilesOlderThan(now.AddDays(-1));

        await audit.WriteAsync(new AuditRecord(AuditActions.MediaFilesPurged, AuditEntityTypes.MediaItem, null,
            AuditParameters.Of(
                ("days", options.Value.DeletedFileRetentionDays.ToString(CultureInfo.InvariantCulture)),
                ("purged", purged.Count.ToString(CultureInfo.InvariantCulture)),
                ("purgedFiles", List(purged.Select(p => $"{p.Id:D} \"{p.Name}\""))),
                ("kept", kept.Count.ToString(CultureInfo.InvariantCulture)),
                ("keptIds", List(kept.Select(k => k.ToString("D")))),
                ("failed", failed.Count.ToString(CultureInfo.InvariantCulture)),
                ("failedIds", List(failed.Select(f => f.ToString("D")))),
                ("temporary", temporary.ToString(CultureInfo.InvariantCulture))),
            failed.Count == 0 ? AuditOutcome.Success : AuditOutcome.Failure) { Actor = AuditActor.System }, cancellationToken);
        LogRun(logger, purged.Count, kept.Count, failed.Count);
    }

    private async Task<bool> IsReferencedAsync(Guid id, CancellationToken cancellationToken)
    {
        foreach (var provider in usageProviders)
        {
            if ((await provider.FindUsagesAsync(id, cancellationToken)).Count > 0)
            {
                return true;
            }
        }
        return false;
    }

    private static string? List(IEnumerable<string> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? null : string.Join("; ", list.Take(MaxIdsInSummary)) + (list.Count > MaxIdsInSummary ? "; …" : "");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Media cleanup: {Purged} removed, {Kept} kept (still referenced), {Failed} failed.")]
    private static partial void LogRun(ILogger logger, int purged, int kept, int failed);

    /// <summary>Schedules the job daily at 04:15 (called once from the recurring-jobs registrar).</summary>
    public static void Register(IRecurringJobManager manager, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.AddOrUpdate<MediaFileCleanupJob>(JobId, job => job.ExecuteAsync(CancellationToken.None), "15 4 * * *",
            new RecurringJobOptions { TimeZone = zone });
    }
}
