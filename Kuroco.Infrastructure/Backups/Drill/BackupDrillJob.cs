using System.Diagnostics;
using System.Globalization;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Jobs;
using Kuroco.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Backups.Drill;

/// <summary>
/// The weekly restore drill: the newest generation is opened (decrypted to a temporary folder), its database copied into a
/// scratch SQLite file, <c>PRAGMA integrity_check</c>ed, its row counts compared with the manifest, and pending migrations
/// applied to it (an older backup can be brought up to date). The result goes to <c>drill.json</c> on every store and to
/// the table BackupDrills; the scratch file is always deleted; the drill is audited.
/// </summary>
public sealed partial class BackupDrillJob(
    IBackupService backups,
    IBackupSnapshotOpener opener,
    IEnumerable<IBackupStore> stores,
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditLog auditLog,
    TimeProvider clock,
    ILogger<BackupDrillJob> logger) : IRecurringJob
{
    public const string JobId = "backup-restore-drill";
    public const string SideObjectName = BackupObjects.Drill;

    /// <summary>Sunday 07:00 in the backup zone.</summary>
    public const string DefaultCron = "0 7 * * 0";

    public static void Register(IRecurringJobManager manager, string cron, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.AddOrUpdate<BackupDrillJob>(JobId, job => job.ExecuteAsync(CancellationToken.None), cron, new RecurringJobOptions { TimeZone = zone });
    }

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var newest = (await backups.ListAsync(cancellationToken)).FirstOrDefault();
        if (newest is null)
        {
            LogNothingToDrill(logger);
            return;
        }
        await DrillAsync(newest.Manifest.Id, cancellationToken);
    }

    /// <summary>Drills one generation and records the result.</summary>
    public async Task<BackupDrillResult> DrillAsync(string generationId, CancellationToken cancellationToken)
    {
        var ranAt = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        string? problem;
        try
        {
            problem = await CheckAsync(generationId, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SqliteException or InvalidOperationException or InvalidDataException or UnauthorizedAccessException)
        {
            problem = ex.Message;
        }
        if (problem is { Length: > BackupDrillRow.ProblemMaxLength })
        {
            problem = problem[..BackupDrillRow.ProblemMaxLength];
        }
        var result = new BackupDrillResult(generationId, ranAt, problem is null, watch.Elapsed, problem);
        await RecordAsync(result, cancellationToken);
        return result;
    }

    /// <summary>Null when the generation restores cleanly, else what went wrong.</summary>
    private async Task<string?> CheckAsync(string generationId, CancellationToken cancellationToken)
    {
        var opened = await opener.OpenAsync(generationId, cancellationToken);
        if (!opened.TryGetValue(out var snapshot))
        {
            return "open: " + opened.Message;
        }
        await using (snapshot)
        {
            if (snapshot is IBackupMediaListing listing)
            {
                try
                {
                    await listing.ListMediaFilesAsync(cancellationToken);
                }
                catch (InvalidDataException ex)
                {
                    return "open: " + ex.Message;
                }
            }
            if (snapshot.DatabasePath is not { } source)
            {
                return "database: the drill restores SQLite backups only (" + snapshot.Manifest.DatabaseProvider + ")";
            }
            var scratch = Path.Combine(Path.GetTempPath(), "kuroco-drill-" + Guid.NewGuid().ToString("N") + ".db");
            try
            {
                File.Copy(source, scratch);
                var connectionString = new SqliteConnectionStringBuilder { DataSource = scratch, Pooling = false }.ToString();
                var problem = await CheckDatabaseAsync(connectionString, snapshot.Manifest, cancellationToken);
                return problem ?? await MigrateAsync(connectionString, cancellationToken);
            }
            finally
            {
                DeleteScratch(scratch);
            }
        }
    }

    private static async Task<string?> CheckDatabaseAsync(string connectionString, BackupManifest manifest, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var integrity = connection.CreateCommand())
        {
            integrity.CommandText = "PRAGMA integrity_check";
            var verdict = Convert.ToString(await integrity.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            if (!string.Equals(verdict, "ok", StringComparison.Ordinal))
            {
                return "integrity_check: " + verdict;
            }
        }
        var tables = new HashSet<string>(StringComparer.Ordinal);
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }
        var mismatches = new List<string>();
        foreach (var (table, expected) in manifest.RowCounts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!tables.Contains(table))
            {
                mismatches.Add(string.Create(CultureInfo.InvariantCulture, $"{table}: missing (expected {expected})"));
                continue;
            }
            await using var count = connection.CreateCommand();
            // The name is one of the database's own tables (checked above), quoted as an identifier.
#pragma warning disable CA2100
            count.CommandText = "SELECT COUNT(*) FROM \"" + table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
#pragma warning restore CA2100
            var actual = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            if (actual != expected)
            {
                mismatches.Add(string.Create(CultureInfo.InvariantCulture, $"{table}: {actual} rows, manifest {expected}"));
            }
        }
        return mismatches.Count == 0 ? null : "row counts: " + string.Join("; ", mismatches);
    }

    /// <summary>Brings the scratch copy up to the app's migrations (nothing to do when the backup is current).</summary>
    private static async Task<string?> MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        var options = new DbContextOptionsBuilder<SqliteKurocoDbContext>()
            .UseSqlite(connectionString, sql => sql.MigrationsAssembly(typeof(KurocoDbContext).Assembly.FullName))
            .AddInterceptors(new SqliteConnectionInterceptor())
            // Only the migrations are applied here; the model built outside the app's container is not compared with them.
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning))
            .Options;
        await using var db = new SqliteKurocoDbContext(options);
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            return "migrate: " + ex.Message;
        }
        var pending = await db.Database.GetPendingMigrationsAsync(cancellationToken);
        return pending.Any() ? "migrate: still pending " + string.Join(", ", pending) : null;
    }

    private async Task RecordAsync(BackupDrillResult result, CancellationToken cancellationToken)
    {
        var json = BackupJson.Serialize(result);
        foreach (var store in stores)
        {
            try
            {
                await store.WriteSideObjectAsync(result.GenerationId, SideObjectName, json, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or DirectoryNotFoundException)
            {
                LogSideObjectFailed(logger, ex, result.GenerationId, store.Location);
            }
        }
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.Add(new BackupDrillRow
            {
                Id = Guid.NewGuid(),
                GenerationId = result.GenerationId,
                RanAtUtc = result.RanAtUtc.UtcDateTime,
                Passed = result.Passed,
                DurationMilliseconds = (long)result.Duration.TotalMilliseconds,
                Problem = result.Problem,
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        await auditLog.WriteAsync(new AuditRecord(
            result.Passed ? AuditActions.BackupDrillPassed : AuditActions.BackupDrillFailed,
            AuditEntityTypes.Backup,
            result.GenerationId,
            AuditParameters.Of(
                ("generation", result.GenerationId),
                ("ms", ((long)result.Duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)),
                ("problem", result.Problem)),
            result.Passed ? AuditOutcome.Success : AuditOutcome.Failure) { Actor = AuditActor.System }, cancellationToken);
    }

    private void DeleteScratch(string scratch)
    {
        foreach (var path in new[] { scratch, scratch + "-wal", scratch + "-shm", scratch + "-journal" })
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException ex)
            {
                LogScratchNotDeleted(logger, ex, path);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Restore drill: there is no backup generation to drill.")]
    private static partial void LogNothingToDrill(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Restore drill: could not write drill.json of {GenerationId} to the {Location} store.")]
    private static partial void LogSideObjectFailed(ILogger logger, Exception exception, string generationId, BackupLocation location);

    [LoggerMessage(Level = LogLevel.Error, Message = "Restore drill: the scratch file {Path} could not be deleted.")]
    private static partial void LogScratchNotDeleted(ILogger logger, Exception exception, string path);
}
