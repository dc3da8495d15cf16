using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3.Model;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Backups;
using Kuroco.Infrastructure.Backups.Alarm;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Kuroco.Infrastructure.Backups.S3;
using Kuroco.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Kuroco.Tests.Integration.Backups;

/// <summary>The S3 backup store against a real S3-compatible server (s3rver on 127.0.0.1, see <see cref="S3ServerFixture"/>).</summary>
[Collection(S3ServerCollection.Name)]
public sealed class S3BackupStoreTests(S3ServerFixture server)
{
    [Fact]
    public async Task A_generation_round_trips_through_the_server_by_multipart_upload_with_the_encryption_header_and_is_deleted_whole()
    {
        var prefix = "round-trip-" + Guid.NewGuid().ToString("N")[..8] + "/";
        using var client = new S3BackupClient(MsOptions.Create(server.Options(prefix, o => o.ServerSideEncryption = "AES256")));
        var requests = new List<(string Operation, string? Key, string? Encryption)>();
        client.BeforeRequest += (_, e) =>
        {
            if (e is WebServiceRequestEventArgs args)
            {
                var key = args.Request switch
                {
                    PutObjectRequest r => r.Key,
                    InitiateMultipartUploadRequest r => r.Key,
                    UploadPartRequest r => r.Key,
                    CompleteMultipartUploadRequest r => r.Key,
                    _ => null,
                };
                args.Headers.TryGetValue("x-amz-server-side-encryption", out var sse);
                lock (requests)
                {
                    requests.Add((args.Request.GetType().Name, key, sse));
                }
            }
        };
        var store = Store(client, prefix, o => o.ServerSideEncryption = "AES256");
        var id = "20261206T170000Z-" + Guid.NewGuid().ToString("N")[..4];
        // One part of 5 MiB plus a bit: two multipart parts; the anchor is one small put.
        var database = RandomNumberGenerator.GetBytes(S3BackupOptions.MinPartSizeMB * 1024 * 1024 + 300_000);
        var anchor = Encoding.UTF8.GetBytes("{\"hash\":\"abc\"}");
        var manifest = Encoding.UTF8.GetBytes("{\"id\":\"" + id + "\"}");

        await using (var upload = await store.BeginAsync(id, default))
        {
            await WriteAsync(upload, "database.db", database, chunk: 100_000);
            await WriteAsync(upload, "audit-anchor.json", anchor, chunk: 5);
            await WriteAsync(upload, "manifest.json", manifest, chunk: 1000);

            Assert.DoesNotContain(id, await store.ListAsync(default));
            Assert.Equal(database, await ReadAllAsync(await upload.OpenReadAsync("database.db", default)));
            Assert.Equal(manifest, await ReadAllAsync(await upload.OpenReadAsync("manifest.json", default)));
            Assert.DoesNotContain(await KeysAsync(client, prefix), k => k.EndsWith("manifest.json", StringComparison.Ordinal));

            await upload.CommitAsync(default);
        }

        Assert.Equal([id], await store.ListAsync(default));
        Assert.Equal(database, await ReadAllAsync(await store.OpenReadAsync(id, "database.db", default)));
        Assert.Equal(anchor, await ReadAllAsync(await store.OpenReadAsync(id, "audit-anchor.json", default)));
        Assert.Equal(manifest, await ReadAllAsync(await store.OpenReadAsync(id, "manifest.json", default)));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync(id, "media.tar", default));

        Assert.Null(await store.ReadSideObjectAsync(id, "drill.json", default));
        await store.WriteSideObjectAsync(id, "drill.json", Encoding.UTF8.GetBytes("{\"passed\":false}"), default);
        await store.WriteSideObjectAsync(id, "drill.json", Encoding.UTF8.GetBytes("{\"passed\":true}"), default);
        Assert.Equal("{\"passed\":true}", Encoding.UTF8.GetString((await store.ReadSideObjectAsync(id, "drill.json", default))!));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.WriteSideObjectAsync("20200101T000000Z-none", "drill.json", new byte[] { 1 }, default));

        // The database went by multipart (initiate, two parts, complete), the small objects by one put each; the
        // server-side encryption header was on every initiate and put (s3rver accepts and ignores it, so the request is what we can check).
        var databaseKey = prefix + id + "/database.db";
        Assert.Single(requests, r => r.Operation == nameof(InitiateMultipartUploadRequest) && r.Key == databaseKey);
        Assert.Equal(2, requests.Count(r => r.Operation == nameof(UploadPartRequest) && r.Key == databaseKey));
        Assert.Single(requests, r => r.Operation == nameof(CompleteMultipartUploadRequest) && r.Key == databaseKey);
        var writes = requests.Where(r => r.Operation is nameof(PutObjectRequest) or nameof(InitiateMultipartUploadRequest)).ToList();
        Assert.Equal(5, writes.Count); // database (initiate), anchor, manifest at commit, drill.json twice
        Assert.All(writes, r => Assert.Equal("AES256", r.Encryption));

        await store.DeleteAsync(id, default);
        Assert.Empty(await store.ListAsync(default));
        Assert.Empty(await KeysAsync(client, prefix));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync(id, "database.db", default));
    }

    [Fact]
    public async Task An_uncommitted_generation_is_never_listed_is_removed_on_dispose_and_a_killed_run_is_cleaned_up_after_an_hour()
    {
        var prefix = "incomplete-" + Guid.NewGuid().ToString("N")[..8] + "/";
        using var client = new S3BackupClient(MsOptions.Create(server.Options(prefix)));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = Store(client, prefix, clock);

        // A committed generation, which no clean-up touches.
        await using (var kept = await store.BeginAsync("20261201T170000Z-kept", default))
        {
            await WriteAsync(kept, "database.db", [1, 2, 3], chunk: 10);
            await WriteAsync(kept, "manifest.json", [4], chunk: 10);
            await kept.CommitAsync(default);
        }

        // Disposed without commit (a failed verification): its objects go at once, the manifest never appeared.
        await using (var failed = await store.BeginAsync("20261202T170000Z-fail", default))
        {
            await WriteAsync(failed, "database.db", RandomNumberGenerator.GetBytes(1000), chunk: 100);
            await WriteAsync(failed, "manifest.json", [5], chunk: 10);
            Assert.Contains(prefix + "20261202T170000Z-fail/database.db", await KeysAsync(client, prefix));
        }
        Assert.DoesNotContain(await KeysAsync(client, prefix), k => k.Contains("-fail/", StringComparison.Ordinal));

        // A run killed mid-way: parts written, the upload never disposed nor committed.
        var killed = await store.BeginAsync("20261203T170000Z-kill", default);
        await WriteAsync(killed, "database.db", RandomNumberGenerator.GetBytes(1000), chunk: 100);
        await WriteAsync(killed, "jobs.db", RandomNumberGenerator.GetBytes(10), chunk: 100);
        Assert.Equal(["20261201T170000Z-kept"], await store.ListAsync(default));

        Assert.Equal(0, await store.CleanUpIncompleteAsync(default)); // younger than an hour: maybe a backup still running
        Assert.Contains(prefix + "20261203T170000Z-kill/jobs.db", await KeysAsync(client, prefix));

        clock.Advance(S3BackupStore.IncompleteAge + TimeSpan.FromMinutes(5));
        Assert.Equal(1, await store.CleanUpIncompleteAsync(default));
        Assert.Equal(
            [prefix + "20261201T170000Z-kept/database.db", prefix + "20261201T170000Z-kept/manifest.json"],
            (await KeysAsync(client, prefix)).Order(StringComparer.Ordinal));
        Assert.Equal(["20261201T170000Z-kept"], await store.ListAsync(default));
        Assert.Equal(0, await store.CleanUpIncompleteAsync(default));
    }

    [Fact]
    public async Task A_missing_bucket_and_wrong_credentials_fail_with_a_message_naming_the_setting_but_not_the_secret()
    {
        const string Secret = "not-the-S3RVER-secret-1234567890";
        using var missing = new S3BackupClient(MsOptions.Create(server.Options("p/", o => o.Bucket = "no-such-bucket")));
        var noBucket = await Assert.ThrowsAsync<S3BackupStoreException>(() => Store(missing, "p/", o => o.Bucket = "no-such-bucket").ListAsync(default));
        Assert.Contains("\"no-such-bucket\" does not exist", noBucket.Message, StringComparison.Ordinal);
        Assert.Contains("Backups:S3:Bucket", noBucket.Message, StringComparison.Ordinal);

        using var wrong = new S3BackupClient(MsOptions.Create(server.Options("p/", o => (o.AccessKey, o.SecretKey) = ("WRONGKEY", Secret))));
        var refused = await Assert.ThrowsAsync<S3BackupStoreException>(async () =>
        {
            await using var upload = await Store(wrong, "p/", o => (o.AccessKey, o.SecretKey) = ("WRONGKEY", Secret)).BeginAsync("20261204T170000Z-auth", default);
            await WriteAsync(upload, "database.db", [1], chunk: 1);
        });
        Assert.Contains("refused the credentials", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Backups:S3:AccessKey, SecretKey", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, refused.ToString(), StringComparison.Ordinal);

        using var down = new S3BackupClient(MsOptions.Create(server.Options("p/", o => o.ServiceUrl = "http://127.0.0.1:9/")));
        var unreachable = await Assert.ThrowsAsync<S3BackupStoreException>(() => Store(down, "p/", o => o.ServiceUrl = "http://127.0.0.1:9/").ListAsync(default));
        Assert.Contains("http://127.0.0.1:9/", unreachable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_backup_with_storage_S3_commits_to_the_bucket_only_verifies_and_opens_back_from_it()
    {
        var prefix = "engine-" + Guid.NewGuid().ToString("N")[..8] + "/";
        using var factory = new KurocoAppFactory();
        factory.Settings["Backups:Storage"] = "S3";
        factory.Settings["Backups:S3:ServiceUrl"] = server.ServiceUrl.ToString();
        factory.Settings["Backups:S3:Bucket"] = S3ServerFixture.Bucket;
        factory.Settings["Backups:S3:Prefix"] = prefix;
        factory.Settings["Backups:S3:AccessKey"] = S3ServerFixture.AccessKey;
        factory.Settings["Backups:S3:SecretKey"] = S3ServerFixture.SecretKey;
        factory.Settings["Backups:S3:ServerSideEncryption"] = "AES256";

        Assert.Equal([BackupLocation.S3], factory.Services.GetServices<IBackupStore>().Select(s => s.Location));
        var result = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, null, CancellationToken.None));

        Assert.True(result.Succeeded, result.Message);
        var manifest = result.Value!;
        using var client = new S3BackupClient(MsOptions.Create(server.Options(prefix)));
        var keys = await KeysAsync(client, prefix);
        Assert.Equal(
            manifest.Parts.Select(p => prefix + manifest.Id + "/" + p.Name).Append(prefix + manifest.Id + "/manifest.json")
                .Append(prefix + manifest.Id + "/verify.json").Order(StringComparer.Ordinal),
            keys.Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(factory.DataPath, "backups", manifest.Id)), "Storage=S3 wrote a local generation.");
        // Encrypted before it left the machine: the stored database object is not a readable SQLite file.
        var stored = await ReadAllAsync((await client.Client.GetObjectAsync(S3ServerFixture.Bucket, prefix + manifest.Id + "/database.db")).ResponseStream);
        Assert.Equal(-1, stored.AsSpan().IndexOf("SQLite format 3"u8));

        var listed = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().ListAsync(CancellationToken.None));
        Assert.Equal([BackupLocation.S3], Assert.Single(listed, g => g.Manifest.Id == manifest.Id).Locations);
        var verified = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().VerifyAsync(manifest.Id, CancellationToken.None));
        Assert.True(verified.Succeeded, verified.Message);

        await using var scope = factory.Services.CreateAsyncScope();
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

    [Fact]
    public async Task With_storage_Both_a_plain_backup_commits_to_both_and_with_S3_down_the_night_is_kept_locally_reported_audited_and_alarmed()
    {
        // S3 up, parts stored plain (written in place locally, then copied to the bucket): both stores commit and verify.
        var prefix = "both-" + Guid.NewGuid().ToString("N")[..8] + "/";
        using (var up = BothFactory(server.ServiceUrl.ToString(), prefix))
        {
            var taken = await up.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, null, CancellationToken.None));
            Assert.True(taken.Succeeded, taken.Message);
            var id = taken.Value!.Id;
            var generation = Assert.Single(await up.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().ListAsync(CancellationToken.None)));
            Assert.DoesNotContain(await up.AuditEntriesAsync(), e => e.Action == AuditActions.BackupStoreFailed && Fail(AuditText.English(e)));
            Assert.Equal([BackupLocation.Local, BackupLocation.S3], generation.Locations);
            Assert.True(generation.LastVerification is { Passed: true, Source: BackupVerification.ByBackup }, generation.LastVerification?.ToString());
            // Plain: the stored database is the SQLite file itself, in both stores, and nothing else was left in the folder.
            using var client = new S3BackupClient(MsOptions.Create(server.Options(prefix)));
            var inBucket = await ReadAllAsync((await client.Client.GetObjectAsync(S3ServerFixture.Bucket, prefix + id + "/database.db")).ResponseStream);
            Assert.Equal(0, inBucket.AsSpan().IndexOf("SQLite format 3"u8));
            Assert.Equal(inBucket, await File.ReadAllBytesAsync(Path.Combine(up.DataPath, "backups", id, "database.db")));
            var files = Directory.EnumerateFiles(Path.Combine(up.DataPath, "backups", id)).Select(f => Path.GetFileName(f)!).ToHashSet(StringComparer.Ordinal);
            Assert.Subset(files, new HashSet<string>(["database.db", "jobs.db", "manifest.json", "media.tar", "verify.json"], StringComparer.Ordinal));
            Assert.DoesNotContain(files, f => f.Contains("-journal", StringComparison.Ordinal) || f.Contains("-wal", StringComparison.Ordinal));
            Assert.Contains(prefix + id + "/verify.json", await KeysAsync(client, prefix));
            var verified = await up.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().VerifyAsync(id, CancellationToken.None));
            Assert.True(verified.Succeeded, verified.Message);
        }

        // S3 down (a closed port): the nightly run still commits the local generation, and reports S3's failure.
        using var down = BothFactory("http://127.0.0.1:9/", prefix);
        var operatorEmail = $"operator-{Guid.NewGuid():N}@test.local";
        await down.CreateStaffAsync(operatorEmail, StaffRoles.Operator);
        await down.WithScopeAsync(sp => sp.GetRequiredService<BackupJob>().NightlyAsync(CancellationToken.None));

        var run = Assert.Single(await down.WithScopeAsync(sp => sp.GetRequiredService<IBackupRunReader>().RecentAsync(5, CancellationToken.None)));
        Assert.Equal(BackupRunStatus.Succeeded, run.Status);
        Assert.Equal("partial:S3", run.ErrorCode);
        Assert.StartsWith("S3: ", run.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:9/", run.ErrorMessage, StringComparison.Ordinal);
        var kept = Assert.Single(await down.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().ListAsync(CancellationToken.None)));
        Assert.Equal(run.GenerationId, kept.Manifest.Id);
        Assert.Equal([BackupLocation.Local], kept.Locations);
        Assert.True(kept.LastVerification?.Passed);

        var entries = (await down.AuditEntriesAsync()).Where(e => e.EntityId == run.GenerationId).ToList();
        var failedStore = Assert.Single(entries, e => e.Action == AuditActions.BackupStoreFailed);
        Assert.Contains("could not be stored in S3", AuditText.English(failedStore), StringComparison.Ordinal);
        Assert.Contains("S3", AuditText.Japanese(failedStore), StringComparison.Ordinal);
        Assert.Contains("stored in Local;", AuditText.English(Assert.Single(entries, e => e.Action == AuditActions.BackupCompleted)), StringComparison.Ordinal);

        // The nightly alarm counts it as a failure of that store, and mails the Operators naming it.
        var attempt = BackupAlarmJob.ToAttempt(run);
        Assert.Equal(BackupAttemptState.Partial, attempt.State);
        var window = new BackupWindow(new TimeOnly(0, 0), new TimeOnly(23, 59), TimeZoneInfo.Utc);
        var alarm = BackupAlarmRule.Evaluate(window, DateOnly.FromDateTime(attempt.StartedAtUtc.UtcDateTime), [attempt]);
        Assert.Equal(BackupAlarmKind.StoreFailed, alarm?.Kind);
        Assert.Equal("S3", alarm!.Stores);
        Assert.Equal(1, await down.WithScopeAsync(sp => sp.GetRequiredService<BackupAlarmMailer>().SendAsync(alarm, CancellationToken.None)));
        var mail = await down.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().OutboxMessages.AsNoTracking()
            .SingleAsync(m => m.ToAddress == operatorEmail));
        Assert.Contains("storage target", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("storing it in S3 failed", mail.Body, StringComparison.Ordinal);
    }

    private static bool Fail(string text) => throw new Xunit.Sdk.XunitException(text);

    private KurocoAppFactory BothFactory(string serviceUrl, string prefix)
    {
        var factory = new KurocoAppFactory();
        factory.Settings["Backups:Storage"] = "Both";
        factory.Settings["Backups:Compression"] = "None";
        factory.Settings["Backups:Encrypt"] = "false";
        factory.Settings["Backups:S3:ServiceUrl"] = serviceUrl;
        factory.Settings["Backups:S3:Bucket"] = S3ServerFixture.Bucket;
        factory.Settings["Backups:S3:Prefix"] = prefix;
        factory.Settings["Backups:S3:AccessKey"] = S3ServerFixture.AccessKey;
        factory.Settings["Backups:S3:SecretKey"] = S3ServerFixture.SecretKey;
        return factory;
    }

    private S3BackupStore Store(S3BackupClient client, string prefix, TimeProvider? time = null) =>
        new(client, MsOptions.Create(server.Options(prefix)), time ?? TimeProvider.System, NullLogger<S3BackupStore>.Instance);

    private S3BackupStore Store(S3BackupClient client, string prefix, Action<S3BackupOptions> configure) =>
        new(client, MsOptions.Create(server.Options(prefix, configure)), TimeProvider.System, NullLogger<S3BackupStore>.Instance);

    private static async Task WriteAsync(IBackupUpload upload, string name, byte[] content, int chunk)
    {
        await using var stream = await upload.CreateAsync(name, default);
        for (var i = 0; i < content.Length; i += chunk)
        {
            await stream.WriteAsync(content.AsMemory(i, Math.Min(chunk, content.Length - i)));
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            return buffer.ToArray();
        }
    }

    private static async Task<List<string>> KeysAsync(S3BackupClient client, string prefix)
    {
        var response = await client.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3ServerFixture.Bucket, Prefix = prefix });
        return [.. (response.S3Objects ?? []).Select(o => o.Key)];
    }
}
