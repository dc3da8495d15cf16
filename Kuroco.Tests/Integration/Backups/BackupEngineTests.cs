using System.Text;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Kuroco.Infrastructure.Backups;
using Kuroco.Tests.Support;
using Microsoft.Data.Sqlite;
using Kuroco.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuroco.Tests.Integration.Backups;

/// <summary>The backup engine on the real app's data folder (real SQLite files, real media folder, local store).</summary>
public sealed class BackupEngineTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly byte[] MediaBytes = Encoding.UTF8.GetBytes("media file content 0123456789");

    private string MediaRelative => "ab/cd/abcd0000000000000000000000000001";

    private async Task<Result<BackupManifest>> BackUpAsync(IProgress<BackupProgress>? progress = null) =>
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, progress, CancellationToken.None));

    private async Task<BackupVerification?> LastVerificationAsync(string id) =>
        (await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().ListAsync(CancellationToken.None)))
            .Single(g => g.Manifest.Id == id).LastVerification;

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

    [Fact]
    public async Task A_backup_taken_while_a_writer_commits_to_two_tables_is_a_consistent_snapshot()
    {
        _ = factory.Services;
        var live = SqliteConnectionString();
        await ExecuteAsync(live, "CREATE TABLE IF NOT EXISTS BackupTestOrders (Id INTEGER PRIMARY KEY, Payload TEXT NOT NULL);" +
            "CREATE TABLE IF NOT EXISTS BackupTestLines (Id INTEGER PRIMARY KEY, OrderId INTEGER NOT NULL, Payload TEXT NOT NULL);");
        using var stop = new CancellationTokenSource();
        var committed = 0;
        var writer = Task.Run(async () =>
        {
            await using var connection = new SqliteConnection(live);
            await connection.OpenAsync();
            await ExecuteAsync(connection, "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;");
            while (!stop.IsCancellationRequested)
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO BackupTestOrders (Payload) VALUES (randomblob(200));" +
                    "INSERT INTO BackupTestLines (OrderId, Payload) VALUES (last_insert_rowid(), randomblob(200));";
                await command.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
                Interlocked.Increment(ref committed);
            }
        });
        await Eventually.GetAsync(() => Task.FromResult(Volatile.Read(ref committed)), n => n > 50, "the writer commits");

        var result = await BackUpAsync();
        var during = Volatile.Read(ref committed);
        await Eventually.GetAsync(() => Task.FromResult(Volatile.Read(ref committed)), n => n > during + 20, "the writer goes on after the backup");
        await stop.CancelAsync();
        await writer;

        Assert.True(result.Succeeded, result.Message);
        var counts = result.Value!.RowCounts;
        Assert.True(counts["BackupTestOrders"] > 50);
        Assert.Equal(counts["BackupTestOrders"], counts["BackupTestLines"]);
        // VerifyAsync decrypts the stored copy, runs PRAGMA integrity_check on it and compares every table's rows with the manifest.
        Assert.True((await VerifyAsync(result.Value.Id)).Succeeded);
    }

    [Fact]
    public async Task A_flipped_byte_in_any_stored_part_is_caught_by_verify_and_by_the_opener_the_outcome_is_kept_and_a_wrong_key_fails_clearly()
    {
        _ = factory.Services;
        var mediaFile = Path.Combine(factory.DataPath, "media", MediaRelative);
        Directory.CreateDirectory(Path.GetDirectoryName(mediaFile)!);
        await File.WriteAllBytesAsync(mediaFile, MediaBytes);
        var first = (await factory.AuditEntriesAsync()).OrderBy(e => e.Sequence).First();
        await factory.Services.GetRequiredService<IAuditAnchorStore>().WriteAsync(new AuditAnchor(first.Sequence, first.Hash, DateTime.UtcNow));
        var result = await BackUpAsync();
        Assert.True(result.Succeeded, result.Message);
        var manifest = result.Value!;
        var folder = Path.Combine(factory.DataPath, "backups", manifest.Id);
        Assert.Contains(manifest.Parts, p => p.Kind == BackupPartKinds.AuditAnchor);
        // The backup's own check before commit is kept beside the manifest (verify.json), so the list shows it without re-reading.
        Assert.True(await LastVerificationAsync(manifest.Id) is { Passed: true, Source: BackupVerification.ByBackup, FailedPart: null });

        foreach (var part in manifest.Parts)
        {
            var path = Path.Combine(folder, part.Name);
            var original = await File.ReadAllBytesAsync(path);
            var damaged = (byte[])original.Clone();
            damaged[damaged.Length / 2] ^= 0x01;
            await File.WriteAllBytesAsync(path, damaged);
            try
            {
                var verified = await VerifyAsync(manifest.Id);
                Assert.Equal(ErrorKind.Conflict, verified.Error);
                Assert.Contains(part.Name, verified.Message, StringComparison.Ordinal);
                var recorded = await LastVerificationAsync(manifest.Id);
                Assert.True(recorded is { Passed: false, Source: BackupVerification.ByVerify }, recorded?.ToString());
                Assert.Equal(part.Name, recorded!.FailedPart);
                await using var scope = factory.Services.CreateAsyncScope();
                var opened = await scope.ServiceProvider.GetRequiredService<IBackupSnapshotOpener>().OpenAsync(manifest.Id, CancellationToken.None);
                if (part.Kind == BackupPartKinds.Media)
                {
                    // The media archive is opened on first use (a scoped restore of members never reads it): damaged, it fails then.
                    await using var snapshot = opened.Value!;
                    var media = await Assert.ThrowsAsync<InvalidDataException>(() => ((IBackupMediaListing)snapshot).ListMediaFilesAsync(CancellationToken.None));
                    Assert.Contains(part.Name, media.Message, StringComparison.Ordinal);
                    await Assert.ThrowsAsync<InvalidDataException>(() => snapshot.OpenMediaFileAsync(MediaRelative, CancellationToken.None));
                }
                else
                {
                    Assert.Equal(ErrorKind.Conflict, opened.Error);
                }
            }
            finally
            {
                await File.WriteAllBytesAsync(path, original);
            }
        }
        Assert.True((await VerifyAsync(manifest.Id)).Succeeded);
        Assert.True(await LastVerificationAsync(manifest.Id) is { Passed: true, Source: BackupVerification.ByVerify, FailedPart: null });
        // A failed open leaves no decrypted copy behind.
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(factory.DataPath, "tmp"), "restore-*"));

        // Another key (as when the key file was lost and a new one generated): refused with both key ids, nothing decrypted.
        var otherKey = new BackupKeyStore(
            Options.Create(new BackupOptions { EncryptionKey = Convert.ToBase64String(new byte[32]) }),
            factory.Services.GetRequiredService<IOptions<StorageOptions>>());
        var opener = new BackupSnapshotOpener(factory.Services.GetServices<IBackupStore>(), new BackupPartReader(otherKey),
            factory.Services.GetRequiredService<IOptions<StorageOptions>>());
        var refused = await opener.OpenAsync(manifest.Id, CancellationToken.None);
        Assert.Equal(ErrorKind.Conflict, refused.Error);
        Assert.Contains(manifest.KeyId!, refused.Message, StringComparison.Ordinal);
        Assert.Contains(otherKey.GetKey().Id, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_kept_uncompressed_by_DatabaseCompression_None_is_still_encrypted_opens_back_and_a_flipped_byte_in_it_is_caught()
    {
        var options = factory.Services.GetRequiredService<IOptions<BackupOptions>>().Value;
        options.DatabaseCompression = BackupCompression.None;
        Result<BackupManifest> result;
        try
        {
            result = await BackUpAsync();
        }
        finally
        {
            options.DatabaseCompression = null;
        }
        Assert.True(result.Succeeded, result.Message);
        var manifest = result.Value!;
        Assert.Equal("brotli", manifest.Compression);
        Assert.True(manifest.Encrypted);
        var database = Assert.Single(manifest.Parts, p => p.Kind == BackupPartKinds.Database);
        Assert.Equal("none", database.Compression);
        Assert.All(manifest.Parts.Where(p => p.Kind != BackupPartKinds.Database), p => Assert.Null(p.Compression));
        // Only the AES-GCM framing is added: the 12-byte header and 21 bytes per 1 MiB chunk.
        var chunks = Math.Max(1, (database.Length + AesGcmChunkFormat.ChunkSize - 1) / AesGcmChunkFormat.ChunkSize);
        Assert.Equal(database.Length + AesGcmChunkFormat.HeaderSize + (chunks * 21), database.StoredLength);
        var path = Path.Combine(factory.DataPath, "backups", manifest.Id, database.Name);
        var original = await File.ReadAllBytesAsync(path);
        Assert.Equal(-1, original.AsSpan().IndexOf("SQLite format 3"u8));
        Assert.Equal(-1, original.AsSpan().IndexOf(Encoding.UTF8.GetBytes(KurocoAppFactory.AdminEmail)));
        // The manifest names the part's own compression; the others say nothing (the generation's).
        var json = await File.ReadAllTextAsync(Path.Combine(factory.DataPath, "backups", manifest.Id, "manifest.json"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(json, "\"compression\": \"none\""));

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var opened = await scope.ServiceProvider.GetRequiredService<IBackupSnapshotOpener>().OpenAsync(manifest.Id, CancellationToken.None);
            Assert.True(opened.Succeeded, opened.Message);
            await using var snapshot = opened.Value!;
            await using var connection = new SqliteConnection($"Data Source={snapshot.DatabasePath};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM AspNetUsers WHERE Email = $email";
            command.Parameters.AddWithValue("$email", KurocoAppFactory.AdminEmail);
            Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
        }

        var damaged = (byte[])original.Clone();
        damaged[damaged.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, damaged);
        try
        {
            var verified = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().VerifyAsync(manifest.Id, CancellationToken.None));
            Assert.Equal(ErrorKind.Conflict, verified.Error);
            Assert.Contains(database.Name, verified.Message, StringComparison.Ordinal);
            await using var scope = factory.Services.CreateAsyncScope();
            var opened = await scope.ServiceProvider.GetRequiredService<IBackupSnapshotOpener>().OpenAsync(manifest.Id, CancellationToken.None);
            Assert.Equal(ErrorKind.Conflict, opened.Error);
            Assert.Contains(database.Name, opened.Message, StringComparison.Ordinal);
        }
        finally
        {
            await File.WriteAllBytesAsync(path, original);
        }
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(factory.DataPath, "tmp"), "restore-*"));
    }

    [Fact]
    public async Task Retention_removes_older_generations_only_after_a_newer_one_verified()
    {
        _ = factory.Services;
        Assert.True((await BackUpAsync()).Succeeded);
        var settings = await factory.WithScopeAsync(async sp => await sp.GetRequiredService<IBackupSettingsStore>().GetAsync());
        var original = settings.Retention;
        settings.Retention = 1;
        Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupSettingsStore>().SaveAsync(settings))).Succeeded);
        try
        {
            var before = await GenerationIdsAsync();
            Assert.NotEmpty(before);

            // The newest run writes a damaged object: its verification fails, it is never committed, and nothing older goes.
            var failed = await factory.WithScopeAsync(sp =>
            {
                var local = sp.GetRequiredService<LocalBackupStore>();
                var service = ActivatorUtilities.CreateInstance<BackupService>(sp, (IEnumerable<IBackupStore>)[new DamagingStore(local)]);
                return service.BackUpAsync(BackupTrigger.Manual, null, CancellationToken.None);
            });
            Assert.Equal(new BackupFailure("verification"), failed.ErrorData);
            Assert.Equal(before, await GenerationIdsAsync());
            Assert.Empty(Directory.EnumerateDirectories(Path.Combine(factory.DataPath, "backups"), ".tmp-*"));
            var entries = await factory.AuditEntriesAsync();
            Assert.Contains(entries, e => e.Action == AuditActions.BackupFailed);

            // A good run verifies, commits, and only then removes the generations beyond the newest one.
            var good = await BackUpAsync();
            Assert.True(good.Succeeded, good.Message);
            Assert.Equal([good.Value!.Id], await GenerationIdsAsync());
        }
        finally
        {
            settings.Retention = original;
            await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupSettingsStore>().SaveAsync(settings));
        }
    }

    [Fact]
    public async Task Back_up_now_records_a_run_refuses_a_second_one_and_the_job_reports_progress_and_outcome()
    {
        _ = factory.Services;
        var started = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupRunner>().StartNowAsync(CancellationToken.None));
        Assert.True(started.Succeeded, started.Message);
        var second = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupRunner>().StartNowAsync(CancellationToken.None));
        Assert.Equal(ErrorKind.Conflict, second.Error);

        var run = await Eventually.GetAsync(
            () => factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupRunReader>().GetAsync(started.Value, CancellationToken.None)),
            r => r is { IsActive: false }, "the backup job finishes", TimeSpan.FromSeconds(60));
        Assert.Equal(BackupRunStatus.Succeeded, run!.Status);
        Assert.Equal(BackupTrigger.Manual, run.Trigger);
        Assert.Equal(("done", 1.0), (run.Step, run.Fraction));
        Assert.NotNull(run.Duration);
        Assert.Contains(run.GenerationId, await GenerationIdsAsync());
        var recent = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupRunReader>().RecentAsync(10, CancellationToken.None));
        Assert.Equal(started.Value, recent[0].Id);
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.BackupRequested);
    }

    [Fact]
    public async Task Saving_the_schedule_validates_it_and_moves_the_nightly_job_to_the_new_time_and_zone()
    {
        _ = factory.Services;
        var store = (IServiceProvider sp) => sp.GetRequiredService<IBackupSettingsStore>();
        var settings = await factory.WithScopeAsync(async sp => await store(sp).GetAsync());
        Assert.Equal((new TimeOnly(2, 0), new TimeOnly(6, 0), "Asia/Tokyo"), (settings.WindowStart, settings.WindowEnd, settings.TimeZoneId));
        Assert.Equal("0 2 * * *", NightlyJob().Cron);

        var invalid = settings.Clone();
        invalid.Retention = 0;
        invalid.TimeZoneId = "Mars/Olympus";
        using (new CultureScope("ja-JP"))
        {
            var refused = await factory.WithScopeAsync(sp => store(sp).SaveAsync(invalid));
            Assert.Equal(ErrorKind.Validation, refused.Error);
            Assert.Equal(["Retention", "TimeZoneId"], refused.FieldErrors.Select(f => f.Field).Order());
            Assert.Contains("保持する世代数", refused.Message, StringComparison.Ordinal);
        }

        var changed = settings.Clone();
        changed.WindowStart = new TimeOnly(3, 30);
        changed.WindowEnd = new TimeOnly(5, 0);
        changed.TimeZoneId = "UTC";
        try
        {
            Assert.True((await factory.WithScopeAsync(sp => store(sp).SaveAsync(changed))).Succeeded);
            var job = NightlyJob();
            Assert.Equal(("30 3 * * *", "UTC"), (job.Cron, job.TimeZoneId));
            var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.BackupSettingsChanged);
            Assert.Contains("Window start", AuditText.English(entry), StringComparison.Ordinal);
        }
        finally
        {
            await factory.WithScopeAsync(sp => store(sp).SaveAsync(settings));
        }
    }

    private Hangfire.Storage.RecurringJobDto NightlyJob()
    {
        using var connection = factory.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
        return Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).Single(j => j.Id == BackupSchedule.NightlyJobId);
    }

    private Task<Result> VerifyAsync(string id) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().VerifyAsync(id, CancellationToken.None));

    private async Task<List<string>> GenerationIdsAsync() =>
        [.. (await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().ListAsync(CancellationToken.None))).Select(g => g.Manifest.Id)];

    private string SqliteConnectionString() => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(factory.DataPath, "kuroco.db"),
        Pooling = false,
    }.ToString();

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, sql);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A local store whose uploads flip one byte of the media object as it is written (a failing disk).</summary>
    private sealed class DamagingStore(LocalBackupStore inner) : IBackupStore
    {
        public BackupLocation Location => inner.Location;
        public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);
        public async Task<IBackupUpload> BeginAsync(string generationId, CancellationToken cancellationToken) =>
            new DamagingUpload(await inner.BeginAsync(generationId, cancellationToken));
        public Task<Stream> OpenReadAsync(string generationId, string objectName, CancellationToken cancellationToken) =>
            inner.OpenReadAsync(generationId, objectName, cancellationToken);
        public Task WriteSideObjectAsync(string generationId, string objectName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
            inner.WriteSideObjectAsync(generationId, objectName, content, cancellationToken);
        public Task<byte[]?> ReadSideObjectAsync(string generationId, string objectName, CancellationToken cancellationToken) =>
            inner.ReadSideObjectAsync(generationId, objectName, cancellationToken);
        public Task DeleteAsync(string generationId, CancellationToken cancellationToken) => inner.DeleteAsync(generationId, cancellationToken);
        public Task<int> CleanUpIncompleteAsync(CancellationToken cancellationToken) => inner.CleanUpIncompleteAsync(cancellationToken);

        private sealed class DamagingUpload(IBackupUpload upload) : IBackupUpload
        {
            public async Task<Stream> CreateAsync(string objectName, CancellationToken cancellationToken)
            {
                var stream = await upload.CreateAsync(objectName, cancellationToken);
                return objectName == "media.tar" ? new FlipFirstByte(stream) : stream;
            }
            public Task<Stream> OpenReadAsync(string objectName, CancellationToken cancellationToken) => upload.OpenReadAsync(objectName, cancellationToken);
            public Task CommitAsync(CancellationToken cancellationToken) => upload.CommitAsync(cancellationToken);
            public ValueTask DisposeAsync() => upload.DisposeAsync();
        }

        private sealed class FlipFirstByte(Stream inner) : Stream
        {
            private bool flipped;
            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => inner.Length;
            public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
            public override void Flush() => inner.Flush();
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count)
            {
                var copy = buffer.AsSpan(offset, count).ToArray();
                if (!flipped && copy.Length > 20)
                {
                    copy[20] ^= 0xFF;
                    flipped = true;
                }
                inner.Write(copy);
            }
            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                }
                base.Dispose(disposing);
            }
        }
    }

    private sealed class SynchronousProgress(Action<BackupProgress> report) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value) => report(value);
    }
}
