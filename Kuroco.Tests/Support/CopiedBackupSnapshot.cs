using Kuroco.Core.Backups;
using Kuroco.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Support;

/// <summary>
/// A "backup" of a test app in the shape the real snapshot opener gives (IBackupSnapshot): the live SQLite database copied
/// with the online backup API into a temporary folder, and the media files copied beside it. Paths in
/// <see cref="UnreadableMedia"/> fail to open (a damaged part), for the roll-back tests. Deleted on dispose.
/// </summary>
public sealed class CopiedBackupSnapshot : IBackupSnapshot
{
    private readonly string folder;

    private CopiedBackupSnapshot(string folder, BackupManifest manifest)
    {
        this.folder = folder;
        Manifest = manifest;
    }

    public BackupManifest Manifest { get; }

    public string? DatabasePath => Path.Combine(folder, "database.db");

    public string? JobStorePath => null;

    public string? AuditAnchorJson => null;

    /// <summary>Media paths (relative, "ab/cd/{id:N}") whose read fails as the real snapshot fails on a damaged media archive (InvalidDataException, found when the archive is first decrypted).</summary>
    public HashSet<string> UnreadableMedia { get; } = new(StringComparer.Ordinal);

    public static async Task<CopiedBackupSnapshot> TakeAsync(KurocoAppFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var folder = Path.Combine(Path.GetTempPath(), "kuroco-test-snapshots", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var lastMigration = await factory.WithScopeAsync(async sp =>
            (await sp.GetRequiredService<KurocoDbContext>().Database.GetAppliedMigrationsAsync()).LastOrDefault());
        using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(factory.DataPath, "kuroco.db"), Pooling = false }.ToString()))
        using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "database.db"), Pooling = false }.ToString()))
        {
            source.Open();
            target.Open();
            source.BackupDatabase(target);
        }
        var media = Path.Combine(factory.DataPath, "media");
        if (Directory.Exists(media))
        {
            foreach (var file in Directory.EnumerateFiles(media, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(media, file);
                if (relative.StartsWith("tmp", StringComparison.Ordinal) || relative.StartsWith("thumbs", StringComparison.Ordinal))
                {
                    continue;
                }
                var copy = Path.Combine(folder, "media", relative);
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }
        }
        var now = DateTimeOffset.UtcNow;
        var id = now.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..4];
        return new CopiedBackupSnapshot(folder, new BackupManifest(id, 1, BackupTrigger.Manual, now, now, "test", "Sqlite", lastMigration,
            new Dictionary<string, long>(), [], Encrypted: false, KeyId: null, Compression: "none"));
    }

    public Task<Stream?> OpenMediaFileAsync(string relativePath, CancellationToken cancellationToken)
    {
        if (UnreadableMedia.Contains(relativePath))
        {
            throw new InvalidDataException("The media archive failed its authentication (test).");
        }
        var path = Path.Combine(folder, "media", relativePath);
        return Task.FromResult<Stream?>(File.Exists(path) ? File.OpenRead(path) : null);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder.
        }
        return ValueTask.CompletedTask;
    }
}
