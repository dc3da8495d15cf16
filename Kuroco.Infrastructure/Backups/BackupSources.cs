using System.Data;
using System.Globalization;
using Kuroco.Infrastructure.Data;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Backups;

/// <summary>A consistent copy of the database in the work folder.</summary>
internal sealed record DatabaseCopy(string Provider, string ObjectName, string Path, IReadOnlyDictionary<string, long> RowCounts, string? LastMigrationId);

/// <summary>Where the live data is, and how each part's consistent copy is taken.</summary>
internal sealed class BackupSources(IDbContextFactory<KurocoDbContext> contexts, IOptions<StorageOptions> storage, IOptions<BackupOptions> options)
{
    public string DataPath => storage.Value.DataPath;

    public string MediaRoot => Path.Combine(DataPath, "media");

    public string AuditAnchorFile => Path.Combine(storage.Value.ResolveAuditAnchorPath(), "anchor.json");

    /// <summary>The Hangfire SQLite job store (see DependencyInjection.AddJobs); SQL Server keeps jobs inside the database.</summary>
    public string JobStoreFile => Path.Combine(DataPath, "jobs.db");

    /// <summary>Whether the app's database is SQLite (the copy is then a file this process writes).</summary>
    public async Task<bool> IsSqliteAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return db.Database.IsSqlite();
    }

    /// <summary>
    /// SQLite: the online backup into <paramref name="sqlitePath"/> (the work folder, or the generation's own temporary
    /// folder when the part is stored plain), with its row counts and last migration. SQL Server: see <see cref="CopySqlServerAsync"/>.
    /// </summary>
    public async Task<DatabaseCopy> CopyDatabaseAsync(string sqlitePath, string generationId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            var path = sqlitePath;
            await SqliteSnapshots.BackUpAsync(db.Database.GetConnectionString()!, path, cancellationToken);
            var counts = await SqliteSnapshots.CountRowsAsync(path, cancellationToken);
            var last = await SqliteSnapshots.LastMigrationAsync(path, cancellationToken);
            return new DatabaseCopy("Sqlite", BackupObjects.SqliteDatabase, path, counts, last);
        }
        return await CopySqlServerAsync(db, generationId, cancellationToken);
    }

    /// <summary>
    /// SQL Server: <c>BACKUP DATABASE @database TO DISK = @path WITH COPY_ONLY, CHECKSUM, INIT</c> into
    /// <c>Backups:SqlServerBackupPath</c> (a folder the server writes and this app reads), then
    /// <c>RESTORE VERIFYONLY … WITH CHECKSUM</c>. COPY_ONLY leaves the server's own backup chain untouched. Row counts come
    /// from sys.partitions at the same moment (the backup file itself is not opened here). Not exercised by the tests:
    /// there is no SQL Server on the test machines.
    /// </summary>
    private async Task<DatabaseCopy> CopySqlServerAsync(KurocoDbContext db, string generationId, CancellationToken cancellationToken)
    {
        var folder = options.Value.SqlServerBackupPath;
        if (string.IsNullOrWhiteSpace(folder))
        {
            throw new InvalidOperationException(Kuroco.Core.Backups.BackupMessages.Get("Backup.SqlServerPathMissing"));
        }
        var path = Path.Combine(folder, "kuroco-" + BackupGenerationId.Check(generationId) + ".bak");
        var connection = (SqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using (var backup = connection.CreateCommand())
        {
            backup.CommandTimeout = 0;
            backup.CommandText = "BACKUP DATABASE @database TO DISK = @path WITH COPY_ONLY, CHECKSUM, INIT";
            backup.Parameters.Add(new SqlParameter("@database", SqlDbType.NVarChar, 128) { Value = connection.Database });
            backup.Parameters.Add(new SqlParameter("@path", SqlDbType.NVarChar, 400) { Value = path });
            await backup.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var verify = connection.CreateCommand())
        {
            verify.CommandTimeout = 0;
            verify.CommandText = "RESTORE VERIFYONLY FROM DISK = @path WITH CHECKSUM";
            verify.Parameters.Add(new SqlParameter("@path", SqlDbType.NVarChar, 400) { Value = path });
            await verify.ExecuteNonQueryAsync(cancellationToken);
        }
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT s.name + '.' + t.name, SUM(p.rows) FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id " +
                "JOIN sys.partitions p ON p.object_id = t.object_id AND p.index_id IN (0, 1) GROUP BY s.name, t.name";
            await using var reader = await count.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                counts[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            }
        }
        var migrations = await db.Database.GetAppliedMigrationsAsync(cancellationToken);
        return new DatabaseCopy("SqlServer", BackupObjects.SqlServerDatabase, path, counts, migrations.LastOrDefault());
    }
}
