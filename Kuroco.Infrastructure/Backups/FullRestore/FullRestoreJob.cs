using System.Globalization;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Audit;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Maintenance;
using Kuroco.Infrastructure.Media;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Backups.FullRestore;

/// <summary>
/// Runs a confirmed full restore, step by step (each shown on /backups/restore through <see cref="FullRestoreRunFile"/>
/// and audited as the requester): maintenance mode on; a safety backup of the live system; the database copied from the
/// generation INTO the live database with SQLite's online backup API (open pooled connections see the new content), checked
/// (integrity, row counts against the manifest), migrated when older, and the audit entries written after the backup
/// re-appended unchanged (the chain and the anchor stay valid); the media folder replaced (new files written beside it,
/// then swapped); the job store kept as it is (restoring it under the running server would re-run or lose jobs; recurring
/// jobs are registered at start-up anyway); verification (integrity, the audit chain and its anchor); maintenance mode off.
/// <para>
/// On a failure after the live data was touched, the safety backup is put back the same way; maintenance mode is left only
/// when the system is consistent again. Audit writers of this process are held out while the database is replaced. When
/// the app stops in the middle, Hangfire runs the job again (after its invisibility timeout; maintenance mode stays on), it
/// finds the interrupted run and puts the safety backup back.
/// SQLite only: a SQL Server generation is refused (RESTORE DATABASE by hand, see README.md).
/// </para>
/// </summary>
[RunsDuringMaintenance]
[AutomaticRetry(Attempts = 0)]
internal sealed partial class FullRestoreJob(
    FullRestoreRunFile runs,
    IMaintenanceSwitch maintenance,
    IBackupService backups,
    IBackupSnapshotOpener snapshots,
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditLog auditLog,
    IAuditReader auditReader,
    IAuditAnchorStore anchors,
    IOptions<StorageOptions> storage,
    IOptions<MediaOptions> media,
    TimeProvider clock,
    ILogger<FullRestoreJob> logger)
{
    /// <summary>How long the API tells clients to wait (Retry-After) at the start.</summary>
    public static readonly TimeSpan ExpectedDuration = TimeSpan.FromMinutes(30);

    private string DataPath => storage.Value.DataPath;

    public async Task ExecuteAsync(string runId, CancellationToken cancellationToken)
    {
        var run = runs.Read();
        if (run is null || run.Id != runId || run.Status != FullRestoreStatus.Running)
        {
            return;
        }
        var actor = new AuditActor(run.RequestedById, run.RequestedByName, [StaffRoles.Administrator]);
        var work = new Work(run);
        if (run.Steps.Any(s => s.Status != FullRestoreStepStatus.Waiting))
        {
            // An earlier attempt stopped in the middle (the app was stopped): whatever it did is undone.
            work.DatabaseTouched = work.MediaTouched = run.Steps.Any(s => s.Code == FullRestoreSteps.Database && s.Status != FullRestoreStepStatus.Waiting);
            await FindPreviousCopyAsync(work, cancellationToken);
            var step = run.Steps.FirstOrDefault(s => s.Status == FullRestoreStepStatus.Running)?.Code ?? FullRestoreSteps.Finish;
            await FailAsync(work, actor, step, FullRestoreMessages.Get("FullRestore.Interrupted"), cancellationToken);
            return;
        }

        var current = FullRestoreSteps.Maintenance;
        try
        {
            Begin(work, current);
            var on = await maintenance.TurnOnAsync(MaintenanceReasons.FullRestore, clock.GetUtcNow() + ExpectedDuration, actor, cancellationToken);
            if (!on.Succeeded)
            {
                throw new StepFailedException(on.Message);
            }
            await DoneAsync(work, actor, current, "on", cancellationToken);

            current = FullRestoreSteps.SafetyBackup;
            Begin(work, current);
            var progress = new Progress<BackupProgress>(p => Report(work, current, p.Fraction));
            var safety = await backups.BackUpAsync(BackupTrigger.Safety, progress, cancellationToken);
            if (!safety.TryGetValue(out var safetyManifest))
            {
                throw new StepFailedException(safety.Message);
            }
            work.SafetyGenerationId = safetyManifest.Id;
            runs.Update(run.Id, r => r with { SafetyGenerationId = safetyManifest.Id });
            await DoneAsync(work, actor, current, safetyManifest.Id, cancellationToken);

            current = FullRestoreSteps.Database;
            Begin(work, current);
            await using var snapshot = await OpenAsync(run.GenerationId, cancellationToken);
            var database = await RestoreDatabaseAsync(work, snapshot, previousCopy: null, cancellationToken);
            await DoneAsync(work, actor, FullRestoreSteps.Database, database.Tables, cancellationToken);
            await DoneAsync(work, actor, FullRestoreSteps.Migrations, database.Migrations, cancellationToken);
            await DoneAsync(work, actor, FullRestoreSteps.AuditTrail, database.Reappended.ToString(CultureInfo.InvariantCulture), cancellationToken);

            current = FullRestoreSteps.Media;
            Begin(work, current);
            var files = await RestoreMediaAsync(work, snapshot, cancellationToken);
            await DoneAsync(work, actor, current, files, cancellationToken);

            current = FullRestoreSteps.JobStore;
            await DoneAsync(work, actor, current, "kept", cancellationToken, FullRestoreStepStatus.Skipped);

            current = FullRestoreSteps.Verification;
            Begin(work, current);
            var verified = await VerifyAsync(cancellationToken);
            await DoneAsync(work, actor, current, verified, cancellationToken);

            current = FullRestoreSteps.Finish;
            Begin(work, current);
            await auditLog.WriteAsync(new AuditRecord(
                AuditActions.FullRestoreCompleted, AuditEntityTypes.FullRestore, run.Id,
                AuditParameters.Of(
                    ("generation", run.GenerationId),
                    ("safety", work.SafetyGenerationId),
                    ("reappended", database.Reappended.ToString(CultureInfo.InvariantCulture))))
            { Actor = actor }, cancellationToken);
            await maintenance.TurnOffAsync(actor, cancellationToken);
            Complete(work, current, FullRestoreStepStatus.Done, null);
            runs.Update(run.Id, r => r with { Status = FullRestoreStatus.Succeeded, Fraction = 1, FinishedAtUtc = clock.GetUtcNow() });
            LogCompleted(logger, run.Id, run.GenerationId, database.Reappended);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var problem = ex is StepFailedException ? ex.Message : ex.GetType().Name + ": " + ex.Message;
            LogFailed(logger, ex, run.Id, current);
            await FailAsync(work, actor, current, problem, CancellationToken.None);
        }
    }

    private async Task FailAsync(Work work, AuditActor actor, string step, string problem, CancellationToken cancellationToken)
    {
        Complete(work, step, FullRestoreStepStatus.Failed, problem);
        var safetyId = work.SafetyGenerationId ?? work.Run.SafetyGenerationId;
        var rolledBack = false;
        var consistent = !work.DatabaseTouched && !work.MediaTouched;
        if (!consistent && safetyId is not null)
        {
            try
            {
                await using var safety = await OpenAsync(safetyId, cancellationToken);
                // Before the later entries were joined, the copy taken before the restore has them; afterwards the live database does.
                await RestoreDatabaseAsync(work, safety, work.AuditJoined ? null : work.PreviousCopy, cancellationToken);
                await RestoreMediaAsync(work, safety, cancellationToken);
                rolledBack = consistent = true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogRollbackFailed(logger, ex, work.Run.Id, safetyId);
                problem += " / rollback: " + (ex is StepFailedException ? ex.Message : ex.GetType().Name + ": " + ex.Message);
            }
        }
        try
        {
            await auditLog.WriteAsync(new AuditRecord(
                AuditActions.FullRestoreFailed, AuditEntityTypes.FullRestore, work.Run.Id,
                AuditParameters.Of(
                    ("generation", work.Run.GenerationId),
                    ("step", step),
                    ("problem", problem.Length > 500 ? problem[..500] : problem),
                    ("rolledBack", rolledBack ? "yes" : consistent ? "not-needed" : "no")),
                AuditOutcome.Failure)
            { Actor = actor }, cancellationToken);
        }
        finally
        {
            if (consistent)
            {
                await maintenance.TurnOffAsync(actor, cancellationToken);
            }
            runs.Update(work.Run.Id, r => r with
            {
                Status = FullRestoreStatus.Failed,
                Problem = problem,
                RolledBack = rolledBack,
                FinishedAtUtc = clock.GetUtcNow(),
            });
            DeletePreviousCopy(work);
        }
    }

    /// <summary>
    /// After an interruption: the copy of the live database the stopped attempt took holds the later audit entries; use it
    /// when the live database has fewer entries (the stopped attempt replaced the database before joining them).
    /// </summary>
    private async Task FindPreviousCopyAsync(Work work, CancellationToken cancellationToken)
    {
        var copies = Directory.GetFiles(DataPath, $"full-restore-{work.Run.Id}-*.previous.db").OrderBy(File.GetLastWriteTimeUtc).ToList();
        if (copies.Count == 0)
        {
            work.AuditJoined = true;
            return;
        }
        work.PreviousCopy = copies[0];
        work.ExtraCopies.AddRange(copies.Skip(1));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        using var live = SqliteFullRestore.OpenLive(db.Database.GetConnectionString()!);
        using var copy = SqliteFullRestore.OpenFile(copies[0], readOnly: true);
        work.AuditJoined = SqliteFullRestore.AuditTail(live) >= SqliteFullRestore.AuditTail(copy);
    }

    private async Task<IBackupSnapshot> OpenAsync(string generationId, CancellationToken cancellationToken)
    {
        var opened = await snapshots.OpenAsync(generationId, cancellationToken);
        if (!opened.TryGetValue(out var snapshot))
        {
            throw new StepFailedException(opened.Message);
        }
        if (snapshot.DatabasePath is null)
        {
            await snapshot.DisposeAsync();
            throw new StepFailedException(FullRestoreMessages.Get("FullRestore.SqlServerNotAutomated"));
        }
        if (snapshot is IBackupMediaListing listing)
        {
            // Every part checked before anything live is touched: the media part too (it is opened lazily otherwise).
            try
            {
                await listing.ListMediaFilesAsync(cancellationToken);
            }
            catch (InvalidDataException ex)
            {
                await snapshot.DisposeAsync();
                throw new StepFailedException(ex.Message);
            }
        }
        return snapshot;
    }

    private sealed record DatabaseReport(string Tables, string Migrations, long Reappended);

    /// <summary>
    /// Replaces the live database with the snapshot's and joins the later audit entries. Audit writers of this process
    /// wait meanwhile. <paramref name="previousCopy"/>: the copy of the live database to take the later entries from
    /// (null: copy it now).
    /// </summary>
    private async Task<DatabaseReport> RestoreDatabaseAsync(Work work, IBackupSnapshot snapshot, string? previousCopy, CancellationToken cancellationToken)
    {
        string connectionString;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (!db.Database.IsSqlite())
            {
                throw new StepFailedException(FullRestoreMessages.Get("FullRestore.SqlServerNotAutomated"));
            }
            if (snapshot.Manifest.LastMigrationId is { } migration && !db.Database.GetMigrations().Contains(migration, StringComparer.Ordinal))
            {
                throw new StepFailedException(FullRestoreMessages.Format("FullRestore.NewerSchema", migration));
            }
            connectionString = db.Database.GetConnectionString()!;
        }

        await using var hold = await AuditLog.HoldWritersAsync(cancellationToken);
        using (var live = SqliteFullRestore.OpenLive(connectionString))
        {
            if (previousCopy is null)
            {
                previousCopy = Path.Combine(DataPath, $"full-restore-{work.Run.Id}-{Guid.NewGuid():N}.previous.db");
                using var copy = SqliteFullRestore.OpenFile(previousCopy, readOnly: false);
                SqliteFullRestore.CopyInto(live, copy);
                if (work.PreviousCopy is null)
                {
                    work.PreviousCopy = previousCopy;
                }
                else
                {
                    work.ExtraCopies.Add(previousCopy);
                }
            }
            using (var source = SqliteFullRestore.OpenFile(snapshot.DatabasePath!, readOnly: true))
            {
                work.DatabaseTouched = true;
                work.AuditJoined = false;
                SqliteFullRestore.CopyInto(source, live);
            }
            SqliteConnection.ClearAllPools();
            var integrity = SqliteFullRestore.IntegrityCheck(live);
            if (integrity != "ok")
            {
                throw new StepFailedException("integrity_check: " + integrity);
            }
            var differences = SqliteFullRestore.RowCountDifferences(live, snapshot.Manifest.RowCounts);
            if (differences.Count > 0)
            {
                throw new StepFailedException("row counts: " + string.Join("; ", differences.Take(5)));
            }
        }

        // Migrations bring an older backup up to this version (a no-op when it already is).
        int applied;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            applied = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            if (applied > 0)
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
        }

        long reappended;
        using (var live = SqliteFullRestore.OpenLive(connectionString))
        {
            reappended = SqliteFullRestore.ReappendAuditTrail(live, previousCopy)
                ?? throw new StepFailedException("the audit entries after the backup do not continue its chain");
            work.AuditJoined = true;
        }
        SqliteConnection.ClearAllPools();
        var rows = snapshot.Manifest.RowCounts.Values.Sum();
        return new DatabaseReport(
            string.Create(CultureInfo.InvariantCulture, $"{snapshot.Manifest.RowCounts.Count} tables, {rows} rows"),
            applied.ToString(CultureInfo.InvariantCulture),
            reappended);
    }

    /// <summary>Writes the snapshot's media files into a new folder beside the media folder, then swaps the two.</summary>
    private async Task<string> RestoreMediaAsync(Work work, IBackupSnapshot snapshot, CancellationToken cancellationToken)
    {
        var root = Path.Combine(DataPath, "media");
        var staging = Path.Combine(DataPath, $"media.restoring-{work.Run.Id}");
        var replaced = Path.Combine(DataPath, $"media.replaced-{work.Run.Id}");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
        Directory.CreateDirectory(staging);
        var files = snapshot is IBackupMediaListing listing ? await listing.ListMediaFilesAsync(cancellationToken) : await NamedMediaFilesAsync(cancellationToken);
        int restored = 0, missing = 0;
        foreach (var relative in files)
        {
            if (!IsSafeRelative(relative))
            {
                continue;
            }
            await using var content = await snapshot.OpenMediaFileAsync(relative, cancellationToken);
            if (content is null)
            {
                missing++;
                continue;
            }
            var target = Path.Combine(staging, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(output, cancellationToken);
                await output.FlushAsync(cancellationToken);
            }
            restored++;
        }
        work.MediaTouched = true;
        if (Directory.Exists(replaced))
        {
            Directory.Delete(replaced, recursive: true);
        }
        if (Directory.Exists(root))
        {
            Directory.Move(root, replaced);
        }
        Directory.Move(staging, root);
        if (Directory.Exists(replaced))
        {
            Directory.Delete(replaced, recursive: true);
        }
        return string.Create(CultureInfo.InvariantCulture, $"{restored} files, {missing} missing");
    }

    /// <summary>The files the restored database names: each media item's original and its thumbnail.</summary>
    private async Task<IReadOnlyList<string>> NamedMediaFilesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = await db.MediaItems.IgnoreQueryFilters().AsNoTracking().Select(m => m.Id).ToListAsync(cancellationToken);
        var size = media.Value.ThumbnailSize;
        return
        [
            .. ids.SelectMany(id =>
            {
                var name = id.ToString("N");
                return new[]
                {
                    $"{name[..2]}/{name[2..4]}/{name}",
                    string.Create(CultureInfo.InvariantCulture, $"thumbs/{name[..2]}/{name[2..4]}/{name}-{size}.webp"),
                };
            }),
        ];
    }

    private static bool IsSafeRelative(string relative) =>
        !string.IsNullOrWhiteSpace(relative) && !Path.IsPathRooted(relative)
        && !relative.Split('/', '\\').Any(part => part is ".." or "." or "");

    /// <summary>The database is whole, the audit chain verifies (which moves its anchor to the new tail) and the anchor matches it.</summary>
    private async Task<string> VerifyAsync(CancellationToken cancellationToken)
    {
        string integrity;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            using var live = SqliteFullRestore.OpenLive(db.Database.GetConnectionString()!);
            integrity = SqliteFullRestore.IntegrityCheck(live);
        }
        if (integrity != "ok")
        {
            throw new StepFailedException("integrity_check: " + integrity);
        }
        var chain = await auditReader.VerifyChainAsync(cancellationToken);
        if (!chain.IsIntact)
        {
            throw new StepFailedException(string.Create(CultureInfo.InvariantCulture, $"audit chain broken at {chain.FirstBrokenSequence} ({chain.Problem})"));
        }
        var anchor = await anchors.ReadAsync(cancellationToken);
        if (anchor is not null && (anchor.Sequence != chain.LastSequence || anchor.Hash != chain.LastHash))
        {
            throw new StepFailedException("the audit anchor does not match the chain's tail");
        }
        return string.Create(CultureInfo.InvariantCulture, $"integrity ok, {chain.EntriesChecked} audit entries verified");
    }

    private void Begin(Work work, string step)
    {
        var now = clock.GetUtcNow();
        runs.Update(work.Run.Id, r => r with
        {
            Steps = [.. r.Steps.Select(s => s.Code == step ? s with { Status = FullRestoreStepStatus.Running, StartedAtUtc = now } : s)],
            Fraction = FractionAt(step, 0),
        });
    }

    private void Report(Work work, string step, double fraction) =>
        runs.Update(work.Run.Id, r => r with { Fraction = FractionAt(step, fraction) });

    private async Task DoneAsync(Work work, AuditActor actor, string step, string detail, CancellationToken cancellationToken, FullRestoreStepStatus status = FullRestoreStepStatus.Done)
    {
        Complete(work, step, status, detail);
        await auditLog.WriteAsync(new AuditRecord(
            AuditActions.FullRestoreStepCompleted, AuditEntityTypes.FullRestore, work.Run.Id,
            AuditParameters.Of(("step", step), ("detail", detail)))
        { Actor = actor }, cancellationToken);
    }

    private void Complete(Work work, string step, FullRestoreStepStatus status, string? detail)
    {
        var now = clock.GetUtcNow();
        runs.Update(work.Run.Id, r => r with
        {
            Steps = [.. r.Steps.Select(s => s.Code == step ? s with { Status = status, StartedAtUtc = s.StartedAtUtc ?? now, FinishedAtUtc = now, Detail = detail } : s)],
            Fraction = status == FullRestoreStepStatus.Failed ? r.Fraction : FractionAt(step, 1),
        });
    }

    private static double FractionAt(string step, double within)
    {
        var index = FullRestoreSteps.All.ToList().IndexOf(step);
        return Math.Clamp((index + Math.Clamp(within, 0, 1)) / FullRestoreSteps.All.Count, 0, 1);
    }

    private static void DeletePreviousCopy(Work work)
    {
        foreach (var path in work.ExtraCopies.Append(work.PreviousCopy))
        {
            if (path is not null)
            {
                SqliteConnection.ClearAllPools();
                foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
                {
                    try
                    {
                        File.Delete(file);
                    }
                    catch (IOException)
                    {
                        // Left for the next restore to overwrite; it holds nothing the live database lacks.
                    }
                }
            }
        }
    }

    private sealed class Work(FullRestoreRun run)
    {
        public FullRestoreRun Run { get; } = run;
        public string? SafetyGenerationId { get; set; }
        public string? PreviousCopy { get; set; }
        public List<string> ExtraCopies { get; } = [];
        public bool DatabaseTouched { get; set; }
        public bool MediaTouched { get; set; }
        public bool AuditJoined { get; set; }
    }

    private sealed class StepFailedException(string message) : Exception(message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Full restore {RunId} of generation {Generation} completed; {Reappended} later audit entries kept.")]
    private static partial void LogCompleted(ILogger logger, string runId, string generation, long reappended);

    [LoggerMessage(Level = LogLevel.Error, Message = "Full restore {RunId} failed at step {Step}.")]
    private static partial void LogFailed(ILogger logger, Exception exception, string runId, string step);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Full restore {RunId}: putting back the safety backup {Safety} failed; maintenance mode stays on.")]
    private static partial void LogRollbackFailed(ILogger logger, Exception exception, string runId, string safety);
}
