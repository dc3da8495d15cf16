using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Infrastructure.Backups;
using Kuroco.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Backups;

/// <summary>
/// A plain backup on local disk (no compression, no encryption) writes its parts side by side in the generation's
/// temporary folder: the media archive beside the database's online backup, then the database's integrity_check, hash and
/// fsync side by side. Every part still verifies, and one failing part rolls back the whole generation.
/// </summary>
public sealed class PlainBackupTests
{
    [Fact]
    public async Task A_plain_local_backup_writes_its_parts_side_by_side_every_part_verifies_and_one_failing_part_leaves_no_generation()
    {
        using var factory = new KurocoAppFactory();
        factory.Settings["Backups:Compression"] = "None";
        factory.Settings["Backups:Encrypt"] = "false";
        _ = factory.Services;
        var media = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["aa/bb/aabb0000000000000000000000000001"] = System.Security.Cryptography.RandomNumberGenerator.GetBytes(200_000),
            ["cc/dd/ccdd0000000000000000000000000002"] = "a small file"u8.ToArray(),
        };
        foreach (var (name, bytes) in media)
        {
            var path = Path.Combine(factory.DataPath, "media", name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, bytes);
        }
        var steps = new List<BackupProgress>();

        var taken = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().BackUpAsync(
            BackupTrigger.Manual, new SynchronousProgress(steps.Add), CancellationToken.None));

        Assert.True(taken.Succeeded, taken.Message);
        var manifest = taken.Value!;
        Assert.Equal(["database", "jobs", "media"], manifest.Parts.Select(p => p.Kind).Where(k => k != BackupPartKinds.AuditAnchor));
        Assert.False(manifest.Encrypted);
        Assert.Equal("none", manifest.Compression);
        Assert.True(manifest.RowCounts["AspNetUsers"] >= 1);
        // Progress from parts running side by side still only moves forward, and ends with done.
        Assert.Equal(steps.Select(s => s.Fraction).Order(), steps.Select(s => s.Fraction));
        Assert.Equal(["snapshot", "database", "jobs", "media", "verify"], steps.Select(s => s.Step).Take(5));
        Assert.Equal("done", steps[^1].Step);
        // Stored plain: the database part is the SQLite file itself (its sizes and hashes are the ones of the stored bytes).
        var folder = Path.Combine(factory.DataPath, "backups", manifest.Id);
        foreach (var part in manifest.Parts)
        {
            var stored = await File.ReadAllBytesAsync(Path.Combine(folder, part.Name));
            Assert.Equal(part.Length, stored.Length);
            Assert.Equal(part.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stored)));
            Assert.Equal(part.Sha256, part.StoredSha256);
        }
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "database.db")};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM AspNetUsers";
            Assert.Equal(manifest.RowCounts["AspNetUsers"], (long)(await command.ExecuteScalarAsync())!);
        }
        var extracted = Path.Combine(factory.DataPath, "tmp", "extracted");
        await using (var archive = File.OpenRead(Path.Combine(folder, "media.tar")))
        {
            await MediaArchive.ExtractAsync(archive, extracted, CancellationToken.None);
        }
        foreach (var (name, bytes) in media)
        {
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(extracted, name)));
        }
        var verified = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().VerifyAsync(manifest.Id, CancellationToken.None));
        Assert.True(verified.Succeeded, verified.Message);
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(factory.DataPath, "backups"), ".tmp-*"));

        // The media part fails (its folder cannot be written) while the database's online backup runs beside it: the run
        // fails after both stopped, and neither a generation nor a temporary folder nor a work folder is left.
        var failed = await factory.WithScopeAsync(sp =>
        {
            var local = sp.GetRequiredService<LocalBackupStore>();
            var service = ActivatorUtilities.CreateInstance<BackupService>(sp, (IEnumerable<IBackupStore>)[new MediaFailingStore(local)]);
            return service.BackUpAsync(BackupTrigger.Manual, null, CancellationToken.None);
        });
        Assert.False(failed.Succeeded);
        Assert.Equal(new BackupFailure("error"), failed.ErrorData);
        var listed = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().ListAsync(CancellationToken.None));
        Assert.Equal([manifest.Id], listed.Select(g => g.Manifest.Id));
        Assert.Equal([manifest.Id], Directory.EnumerateDirectories(Path.Combine(factory.DataPath, "backups")).Select(Path.GetFileName));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(factory.DataPath, "tmp"), "backup-*"));
        var entry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.BackupFailed);
        Assert.Equal("error", AuditParameters.Deserialize(entry.Parameters)["code"]);
        Assert.Equal(AuditOutcome.Failure, entry.Outcome);

        // The lock is free and nothing is left in the way: the next run succeeds.
        var next = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, null, CancellationToken.None));
        Assert.True(next.Succeeded, next.Message);
    }

    /// <summary>A local store whose in-place media part points into a folder that does not exist (as a disk that refuses it).</summary>
    private sealed class MediaFailingStore(LocalBackupStore inner) : IBackupStore
    {
        public BackupLocation Location => inner.Location;
        public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);
        public async Task<IBackupUpload> BeginAsync(string generationId, CancellationToken cancellationToken) =>
            new FailingUpload(await inner.BeginAsync(generationId, cancellationToken));
        public Task<Stream> OpenReadAsync(string generationId, string objectName, CancellationToken cancellationToken) =>
            inner.OpenReadAsync(generationId, objectName, cancellationToken);
        public Task WriteSideObjectAsync(string generationId, string objectName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
            inner.WriteSideObjectAsync(generationId, objectName, content, cancellationToken);
        public Task<byte[]?> ReadSideObjectAsync(string generationId, string objectName, CancellationToken cancellationToken) =>
            inner.ReadSideObjectAsync(generationId, objectName, cancellationToken);
        public Task DeleteAsync(string generationId, CancellationToken cancellationToken) => inner.DeleteAsync(generationId, cancellationToken);
        public Task<int> CleanUpIncompleteAsync(CancellationToken cancellationToken) => inner.CleanUpIncompleteAsync(cancellationToken);

        private sealed class FailingUpload(IBackupUpload upload) : IBackupUpload, ILocalBackupUpload
        {
            public string PathFor(string objectName)
            {
                var path = ((ILocalBackupUpload)upload).PathFor(objectName);
                return objectName == BackupObjects.Media ? Path.Combine(Path.GetDirectoryName(path)!, "missing", objectName) : path;
            }
            public Task<Stream> CreateAsync(string objectName, CancellationToken cancellationToken) => upload.CreateAsync(objectName, cancellationToken);
            public Task<Stream> OpenReadAsync(string objectName, CancellationToken cancellationToken) => upload.OpenReadAsync(objectName, cancellationToken);
            public Task CommitAsync(CancellationToken cancellationToken) => upload.CommitAsync(cancellationToken);
            public ValueTask DisposeAsync() => upload.DisposeAsync();
        }
    }

    private sealed class SynchronousProgress(Action<BackupProgress> report) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value) => report(value);
    }
}
