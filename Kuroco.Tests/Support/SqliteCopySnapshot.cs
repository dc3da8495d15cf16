using System.Collections.Concurrent;
using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Microsoft.Data.Sqlite;

namespace Kuroco.Tests.Support;

/// <summary>
/// A backup snapshot made the way a real one is read: a consistent copy of the app's SQLite database
/// (<see cref="SqliteConnection.BackupDatabase(SqliteConnection)"/>) in a temporary file that is deleted on dispose. For
/// the restore-request jobs until the backup engine's opener is on main; it is a real database file, not a stub.
/// </summary>
public sealed class SqliteCopySnapshot : IBackupSnapshot
{
    private SqliteCopySnapshot(BackupManifest manifest, string path)
    {
        Manifest = manifest;
        DatabasePath = path;
    }

    public BackupManifest Manifest { get; }

    public string? DatabasePath { get; }

    public string? JobStorePath => null;

    public string? AuditAnchorJson => null;

    public bool Disposed { get; private set; }

    /// <summary>Copies the database behind <paramref name="connectionString"/> into a new temporary file.</summary>
    public static SqliteCopySnapshot Take(string connectionString, string generationId)
    {
        var path = Path.Combine(Path.GetTempPath(), "kuroco-snapshot-" + Guid.NewGuid().ToString("N") + ".db");
        using (var source = new SqliteConnection(connectionString))
        using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            source.Open();
            target.Open();
            source.BackupDatabase(target);
        }
        var now = DateTimeOffset.UtcNow;
        var manifest = new BackupManifest(generationId, 1, BackupTrigger.Manual, now, now, "test", "Sqlite", null,
            new Dictionary<string, long>(), [new BackupPart("database.db", BackupPartKinds.Database, new FileInfo(path).Length, "", 0, "")], false, null, "none");
        return new SqliteCopySnapshot(manifest, path);
    }

    public Task<Stream?> OpenMediaFileAsync(string relativePath, CancellationToken cancellationToken) => Task.FromResult<Stream?>(null);

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(DatabasePath!);
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

/// <summary>Opens generations taken with <see cref="Take"/> (a fresh copy file each time, as the real opener decrypts one).</summary>
public sealed class SqliteCopySnapshotOpener : IBackupSnapshotOpener
{
    private readonly ConcurrentDictionary<string, string> sources = new(StringComparer.Ordinal);

    public ConcurrentBag<SqliteCopySnapshot> Opened { get; } = [];

    /// <summary>A generation of the database as it is now: a copy kept under <paramref name="generationId"/>.</summary>
    public void Take(string connectionString, string generationId)
    {
        var snapshot = SqliteCopySnapshot.Take(connectionString, generationId);
        var kept = Path.Combine(Path.GetTempPath(), "kuroco-generation-" + Guid.NewGuid().ToString("N") + ".db");
        File.Copy(snapshot.DatabasePath!, kept);
        snapshot.DisposeAsync().AsTask().GetAwaiter().GetResult();
        sources[generationId] = kept;
    }

    public Task<Result<IBackupSnapshot>> OpenAsync(string generationId, CancellationToken cancellationToken)
    {
        if (!sources.TryGetValue(generationId, out var path))
        {
            return Task.FromResult(Result<IBackupSnapshot>.NotFound("No generation " + generationId + "."));
        }
        var snapshot = SqliteCopySnapshot.Take(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString(), generationId);
        Opened.Add(snapshot);
        return Task.FromResult(Result.Ok<IBackupSnapshot>(snapshot));
    }
}
