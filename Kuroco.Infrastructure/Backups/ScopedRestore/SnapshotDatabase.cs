using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Kuroco.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Kuroco.Infrastructure.Backups.ScopedRestore;

/// <summary>
/// The backup's SQLite copy opened through the app's own model (<see cref="SqliteKurocoDbContext"/>), so records are read
/// with the same mapping as live. Opened read-only when its last migration equals live's; a backup from an older schema is
/// copied to a temporary file and migrated there first (the snapshot's file is never written); a backup from a newer
/// version is refused. Disposing deletes the temporary copy.
/// </summary>
internal sealed class SnapshotDatabase : IAsyncDisposable
{
    private readonly string? temporaryCopy;

    private SnapshotDatabase(SqliteKurocoDbContext context, string? temporaryCopy)
    {
        Context = context;
        this.temporaryCopy = temporaryCopy;
    }

    public SqliteKurocoDbContext Context { get; }

    public static async Task<Result<SnapshotDatabase>> OpenAsync(IBackupSnapshot snapshot, KurocoDbContext live, CancellationToken cancellationToken)
    {
        if (snapshot.DatabasePath is not { } path || !File.Exists(path))
        {
            return Result<SnapshotDatabase>.Failure(ErrorKind.Validation, ScopedRestoreMessages.Get("Restore.NoDatabase"));
        }
        var known = live.Database.GetMigrations().ToList();
        var liveLast = (await live.Database.GetAppliedMigrationsAsync(cancellationToken)).LastOrDefault();
        var readOnly = Create(path, SqliteOpenMode.ReadOnly);
        var backupLast = (await readOnly.Database.GetAppliedMigrationsAsync(cancellationToken)).LastOrDefault();
        if (string.Equals(backupLast, liveLast, StringComparison.Ordinal))
        {
            return Result.Ok(new SnapshotDatabase(readOnly, null));
        }
        await readOnly.DisposeAsync();
        if (backupLast is not null && !known.Contains(backupLast, StringComparer.Ordinal))
        {
            return Result<SnapshotDatabase>.Failure(ErrorKind.Validation, ScopedRestoreMessages.Format("Restore.NewerSchema", backupLast));
        }
        // An older backup: migrate a private copy to live's schema (the snapshot's own file stays as it was).
        var copy = Path.Combine(Path.GetTempPath(), "kuroco-scoped-restore-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            File.Copy(path, copy);
            await using (var writable = Create(copy, SqliteOpenMode.ReadWrite))
            {
                await writable.Database.MigrateAsync(liveLast, cancellationToken);
            }
            SqliteConnection.ClearAllPools();
            return Result.Ok(new SnapshotDatabase(Create(copy, SqliteOpenMode.ReadOnly), copy));
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException or IOException)
        {
            SqliteConnection.ClearAllPools();
            File.Delete(copy);
            return Result<SnapshotDatabase>.Failure(ErrorKind.Validation, ScopedRestoreMessages.Format("Restore.MigrationFailed", e.Message));
        }
    }

    private static SqliteKurocoDbContext Create(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString();
        var options = new DbContextOptionsBuilder<SqliteKurocoDbContext>()
            .UseSqlite(connection, sql => sql.MigrationsAssembly(typeof(KurocoDbContext).Assembly.FullName))
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .Options;
        return new SqliteKurocoDbContext(options);
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        if (temporaryCopy is not null)
        {
            File.Delete(temporaryCopy);
        }
    }
}
