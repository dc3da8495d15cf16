using System.Text;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Kuroco.Infrastructure.Backups;
using Kuroco.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Backups;

/// <summary>The backup engine on the real app's data folder (real SQLite files, real media folder, local store).</summary>
public sealed class BackupEngineTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly byte[] MediaBytes = Encoding.UTF8.GetBytes("media file content 0123456789");

    private string MediaRelative => "ab/cd/abcd0000000000000000000000000001";

    private async Task<Result<BackupManifest>> BackUpAsync(IProgress<BackupProgress>? progress = null) =>
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, progress, CancellationToken.None));

    [Fact]
    public async Task A_backup_holds_every_part_encrypted_is_listed_and_opens_back_into_a_temporary_folder()
    {
        _ = factory.Services;
        var mediaFile = Path.Combine(factory.DataPath, "media", MediaRelative);
        Directory.CreateDirectory(Path.GetDirectoryName(mediaFile)!);
        await File.WriteAllBytesAsync(mediaFile, MediaBytes);
        var steps = new List<string>();

        var result = await BackUpAsync(new SynchronousProgress(p => steps.Add(p.Step)));

        Assert.True(result.Succeeded, result.Message);
        var manifest = result.Value!;
        Assert.Equal(["database", "jobs", "media"], manifest.Parts.Select(p => p.Kind).Where(k => k != BackupPartKinds.AuditAnchor));
        Assert.True(manifest.Encrypted);
        Assert.Equal(8, manifest.KeyId!.Length);
        Assert.True(manifest.RowCounts["AspNetUsers"] >= 1);
        Assert.NotNull(manifest.LastMigrationId);
        Assert.Contains("verify", steps);
        Assert.Equal("done", steps[^1]);

        // Committed under its id with a manifest; the key lives in the data folder, never beside the backup.
        var folder = Path.Combine(factory.DataPath, "backups", manifest.Id);
        Assert.True(File.Exists(Path.Combine(folder, "manifest.json")));
        Assert.True(File.Exists(Path.Combine(factory.DataPath, "keys", "backup.key")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(factory.DataPath, "backups"), "*.key", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(factory.DataPath, "backups"), ".tmp-*"));
        // Encrypted at rest: the administrator's email (in the database) does not appear in the stored part.
        var stored = await File.ReadAllBytesAsync(Path.Combine(folder, "database.db"));
        Assert.Equal(-1, stored.AsSpan().IndexOf(Encoding.UTF8.GetBytes(KurocoAppFactory.AdminEmail)));
        Assert.Equal(-1, stored.AsSpan().IndexOf("SQLite format 3"u8));

        var listed = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().ListAsync(CancellationToken.None));
        var generation = Assert.Single(listed, g => g.Manifest.Id == manifest.Id);
        Assert.Equal([BackupLocation.Local], generation.Locations);
        Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().VerifyAsync(manifest.Id, CancellationToken.None))).Succeeded);

        var audit = (await factory.AuditEntriesAsync()).Where(e => e.EntityId == manifest.Id).Select(e => e.Action).ToList();
        Assert.Equal([AuditActions.BackupStarted, AuditActions.BackupCompleted], audit);

        string tempFolder;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var opened = await scope.ServiceProvider.GetRequiredService<IBackupSnapshotOpener>().OpenAsync(manifest.Id, CancellationToken.None);
            Assert.True(opened.Succeeded, opened.Message);
            await using var snapshot = opened.Value!;
            tempFolder = Path.GetDirectoryName(snapshot.DatabasePath)!;
            Assert.StartsWith(Path.Combine(factory.DataPath, "tmp", "restore-"), tempFolder, StringComparison.Ordinal);
            await using (var connection = new SqliteConnection($"Data Source={snapshot.DatabasePath};Mode=ReadOnly;Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM AspNetUsers WHERE Email = $email";
                command.Parameters.AddWithValue("$email", KurocoAppFactory.AdminEmail);
                Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
            }
            Assert.True(File.Exists(snapshot.JobStorePath));
            await using (var media = await snapshot.OpenMediaFileAsync(MediaRelative, CancellationToken.None))
            {
                Assert.NotNull(media);
                using var copy = new MemoryStream();
                await media!.CopyToAsync(copy);
                Assert.Equal(MediaBytes, copy.ToArray());
            }
            Assert.Null(await snapshot.OpenMediaFileAsync("../../kuroco.db", CancellationToken.None));
            Assert.Null(await snapshot.OpenMediaFileAsync("ab/cd/missing", CancellationToken.None));
        }
        Assert.False(Directory.Exists(tempFolder));
    }

    [Fact]
    public async Task A_second_backup_while_one_runs_is_refused_with_a_conflict()
    {
        var backupLock = factory.Services.GetRequiredService<BackupLock>();
        using (backupLock.TryAcquire(Path.Combine(factory.DataPath, "backups")))
        {
            var refused = await BackUpAsync();
            Assert.Equal(ErrorKind.Conflict, refused.Error);
            Assert.Equal(new BackupFailure("running"), refused.ErrorData);
        }
    }

    private sealed class SynchronousProgress(Action<BackupProgress> report) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value) => report(value);
    }
}
