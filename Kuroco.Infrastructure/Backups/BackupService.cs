using System.Globalization;
using System.Reflection;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Backups;

/// <summary>What a failed backup carries for its caller: a code ("running", "verification", "error").</summary>
public sealed record BackupFailure(string Code);

/// <summary>
/// Takes a generation: a consistent copy of every part, each streamed through compression and AES-GCM into every
/// configured store under a temporary name, checked (re-read, checksums, integrity), then committed, then retention.
/// </summary>
internal sealed partial class BackupService(
    IEnumerable<IBackupStore> stores,
    BackupSources sources,
    BackupLock gate,
    BackupKeyStore keys,
    BackupPartReader partReader,
    IBackupRetentionPolicy retention,
    IOptions<BackupOptions> options,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<BackupService> logger) : IBackupService
{
    public static string AppVersion { get; } =
        typeof(BackupService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    /// <summary>Where the cross-process lock file lives: the local backups folder.</summary>
    private string LockFolder => options.Value.ResolveLocalPath(sources.DataPath);

    public async Task<Result<BackupManifest>> BackUpAsync(BackupTrigger trigger, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        var targets = stores.ToList();
        if (targets.Count == 0)
        {
            return Result<BackupManifest>.Conflict(BackupMessages.Get("Backup.NoStore"), new BackupFailure("no-store"));
        }
        using var held = gate.TryAcquire(LockFolder);
        if (held is null)
        {
            return Result<BackupManifest>.Conflict(BackupMessages.Get("Backup.AlreadyRunning"), new BackupFailure("running"));
        }
        var started = clock.GetUtcNow();
        var id = BackupGenerationId.New(started);
        await audit.WriteAsync(new AuditRecord(AuditActions.BackupStarted, AuditEntityTypes.Backup, id,
            AuditParameters.Of(("trigger", trigger.ToString()))), cancellationToken);
        try
        {
            var (manifest, deleted, stored) = await RunAsync(id, trigger, started, targets, progress, cancellationToken);
            await audit.WriteAsync(new AuditRecord(AuditActions.BackupCompleted, AuditEntityTypes.Backup, id, AuditParameters.Of(
                ("trigger", trigger.ToString()),
                ("bytes", manifest.StoredBytes.ToString(CultureInfo.InvariantCulture)),
                ("seconds", ((long)Math.Ceiling(manifest.Duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture)),
                ("locations", string.Join(",", stored)),
                ("deleted", deleted.Count == 0 ? "-" : string.Join(",", deleted)))), CancellationToken.None);
            return Result.Ok(manifest);
        }
        catch (Exception ex) when (ex is BackupIntegrityException or BackupKeyMismatchException or IOException or UnauthorizedAccessException
            or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException or Microsoft.Data.SqlClient.SqlException or OperationCanceledException)
        {
            var code = ex switch
            {
                BackupIntegrityException => "verification",
                OperationCanceledException => "cancelled",
                _ => "error",
            };
            LogFailed(logger, ex, id, code);
            await audit.WriteAsync(new AuditRecord(AuditActions.BackupFailed, AuditEntityTypes.Backup, id, AuditParameters.Of(
                ("trigger", trigger.ToString()), ("code", code), ("error", ex.GetType().Name + ": " + ex.Message)), AuditOutcome.Failure),
                CancellationToken.None);
            if (ex is OperationCanceledException)
            {
                throw;
            }
            return Result<BackupManifest>.Conflict(BackupMessages.Format("Backup.Failed", ex.Message), new BackupFailure(code));
        }
    }

    private async Task<(BackupManifest Manifest, IReadOnlyList<string> Deleted, IReadOnlyList<BackupLocation> Stored)> RunAsync(
        string id, BackupTrigger trigger, DateTimeOffset started, List<IBackupStore> targets, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(sources.DataPath, "tmp");
        CleanUpWorkFolders(scratch);
        var work = Path.Combine(scratch, "backup-" + id);
        Directory.CreateDirectory(work);
        var uploads = new List<(IBackupStore Store, IBackupUpload Upload)>();
        try
        {
            var settings = new BackupCodecSettings(options.Value.Compression, options.Value.Encrypt ? keys.GetKey() : null);
            // Backups:DatabaseCompression: the database part may be kept otherwise (uncompressed: a scoped restore opens it
            // without decompressing the whole copy); the manifest names it on that part.
            var databaseSettings = options.Value.DatabaseCompression is { } own && own != settings.Compression ? settings with { Compression = own } : settings;
            var databaseCompression = ReferenceEquals(databaseSettings, settings) ? null : databaseSettings.CompressionName;
            foreach (var store in targets)
            {
                try
                {
                    await store.CleanUpIncompleteAsync(cancellationToken);
                    uploads.Add((store, await store.BeginAsync(id, cancellationToken)));
                }
                catch (Exception ex) when (targets.Count > 1 && IsStoreFailure(ex))
                {
                    // Storage=Both with S3 down: the night is still kept on the other store; this one is reported.
                    await StoreFailedAsync(id, store, ex, progress);
                }
            }
            if (uploads.Count == 0)
            {
                throw new IOException("No storage target could be reached.");
            }
            var (primaryStore, primary) = uploads[0];
            // Stored plain on local disk: the parts are written in place (the online backup straight into the generation's
            // temporary folder, no second copy), side by side, each re-read once (its hash or its check) as soon as written.
            var inPlace = settings.IsPlain && databaseSettings.IsPlain ? primary as ILocalBackupUpload : null;
            var parts = new List<Task<BackupPart>>();
            var checkedInPlace = new HashSet<string>(StringComparer.Ordinal);

            progress?.Report(new BackupProgress("snapshot", 0.02));
            var sqlite = await sources.IsSqliteAsync(cancellationToken);
            DatabaseCopy database;
            if (inPlace is not null && sqlite)
            {
                database = await WriteInPlaceSideBySideAsync(inPlace, id, parts, progress, cancellationToken);
                checkedInPlace.UnionWith(parts.Select(p => p.Result.Name));
            }
            else
            {
                database = await WriteOneByOneAsync(primary, work, id, settings, databaseSettings, databaseCompression, parts, progress, cancellationToken);
            }

            if (File.Exists(sources.AuditAnchorFile))
            {
                // The anchor is replaced by rename, never rewritten in place: a copy is one consistent version of it.
                var anchor = Path.Combine(work, "anchor.json");
                File.Copy(sources.AuditAnchorFile, anchor);
                parts.Add(Task.FromResult(await WriteFileAsync(primary, BackupObjects.AuditAnchor, BackupPartKinds.AuditAnchor, anchor, settings, cancellationToken)));
            }

            var manifest = new BackupManifest(id, BackupJson.FormatVersion, trigger, started, clock.GetUtcNow(), AppVersion, database.Provider,
                database.LastMigrationId, database.RowCounts, await Task.WhenAll(parts), settings.Key is not null, settings.Key?.Id, settings.CompressionName);

            // The first store must verify and commit, or the run fails; every other one is a copy of it, and one that fails
            // (S3 down mid-way) is reported and left out while the generation stays committed where it verified.
            progress?.Report(new BackupProgress("verify", 0.8));
            await VerifyUploadAsync(primary, manifest, settings, checkedInPlace, cancellationToken);
            await WriteManifestAsync(primary, manifest, cancellationToken);
            await primary.CommitAsync(cancellationToken);
            var stored = new List<IBackupStore> { primaryStore };
            for (var i = 1; i < uploads.Count; i++)
            {
                progress?.Report(new BackupProgress("upload", 0.85));
                var (store, upload) = uploads[i];
                try
                {
                    foreach (var part in manifest.Parts)
                    {
                        // From the committed generation (the primary's upload folder has been renamed into place).
                        await using var from = await primaryStore.OpenReadAsync(id, part.Name, cancellationToken);
                        await using var to = await upload.CreateAsync(part.Name, cancellationToken);
                        await from.CopyToAsync(to, BackupCodec.BufferSize, cancellationToken);
                    }
                    await VerifyUploadAsync(upload, manifest, settings, new HashSet<string>(StringComparer.Ordinal), cancellationToken);
                    await WriteManifestAsync(upload, manifest, cancellationToken);
                    await upload.CommitAsync(cancellationToken);
                    stored.Add(store);
                }
                catch (Exception ex) when (IsStoreFailure(ex))
                {
                    await StoreFailedAsync(id, store, ex, progress);
                }
            }
            await RecordVerificationAsync(stored, id,
                new BackupVerification(clock.GetUtcNow(), Passed: true, BackupVerification.ByBackup, null, null), cancellationToken);

            progress?.Report(new BackupProgress("retention", 0.95));
            var deleted = await ApplyRetentionAsync(id, stored, progress, cancellationToken);
            progress?.Report(new BackupProgress("done", 1));
            return (manifest, deleted, [.. stored.Select(s => s.Location)]);
        }
        finally
        {
            foreach (var (_, upload) in uploads)
            {
                await upload.DisposeAsync();
            }
            TryDeleteFolder(work);
        }
    }

    /// <summary>
    /// Local and plain with SQLite: the parts side by side (<see cref="ConcurrentParts"/>), written in place in the
    /// generation's temporary folder. The media archive (hashed while written, flushed behind the writer, re-read once and
    /// compared) runs from the start beside the database's online backup; once that is taken (with its row counts), its
    /// integrity_check then its hash (its one re-read) run beside its fsync and the job store's copy. A failure in any part
    /// fails the run after every part has stopped; the upload (the whole temporary folder) is then removed.
    /// </summary>
    private async Task<DatabaseCopy> WriteInPlaceSideBySideAsync(
        ILocalBackupUpload inPlace, string id, List<Task<BackupPart>> parts, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        await using var concurrent = new ConcurrentParts(cancellationToken);
        var mediaPath = inPlace.PathFor(BackupObjects.Media);
        var media = concurrent.Start(token => Task.FromResult(Part(BackupObjects.Media, BackupPartKinds.Media, ConcurrentParts.WriteMedia(sources.MediaRoot, mediaPath, token))));
        var databasePath = inPlace.PathFor(BackupObjects.SqliteDatabase);
        var database = await concurrent.ResultAsync(concurrent.Start(token => sources.CopyDatabaseAsync(databasePath, id, token)));
        progress?.Report(new BackupProgress("database", 0.15));
        // The copy's fsync (the disk writes it meanwhile), and its integrity_check then its hash (its one re-read) on one
        // more thread: the media part keeps the other core, and a writer of the app competes with two busy threads, not more.
        var hashed = concurrent.Start(async token =>
        {
            await CheckIntegrityAsync(database.Path, token);
            return Part(database.ObjectName, BackupPartKinds.Database, BackupCodec.HashFile(database.Path, token));
        });
        _ = concurrent.Start(_ =>
        {
            ConcurrentParts.FlushFile(database.Path);
            return Task.FromResult(true);
        });
        Task<BackupPart>? jobsPart = null;
        progress?.Report(new BackupProgress("jobs", 0.35));
        if (File.Exists(sources.JobStoreFile))
        {
            var jobsPath = inPlace.PathFor(BackupObjects.JobStore);
            jobsPart = concurrent.Start(async token =>
            {
                await SqliteSnapshots.BackUpAsync(SqliteSnapshots.ForFile(sources.JobStoreFile, readOnly: false), jobsPath, token);
                return Part(BackupObjects.JobStore, BackupPartKinds.JobStore, BackupCodec.HashFile(jobsPath, token));
            });
        }
        progress?.Report(new BackupProgress("media", 0.4));
        await concurrent.WhenAllAsync();
        parts.Add(hashed);
        if (jobsPart is not null)
        {
            parts.Add(jobsPart);
        }
        parts.Add(media);
        return database;
    }

    /// <summary>
    /// Every other case (encoded, or SQL Server, or S3 only): one part after the other, each streamed from a copy in the
    /// work folder through the codec into the store (hashed on the way; re-read by the verify step).
    /// </summary>
    private async Task<DatabaseCopy> WriteOneByOneAsync(
        IBackupUpload primary, string work, string id, BackupCodecSettings settings, BackupCodecSettings databaseSettings,
        string? databaseCompression, List<Task<BackupPart>> parts, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        var database = await sources.CopyDatabaseAsync(Path.Combine(work, BackupObjects.SqliteDatabase), id, cancellationToken);
        progress?.Report(new BackupProgress("database", 0.15));
        if (database.Provider == "Sqlite")
        {
            await CheckIntegrityAsync(database.Path, cancellationToken);
        }
        var written = await WriteFileAsync(primary, database.ObjectName, BackupPartKinds.Database, database.Path, databaseSettings, cancellationToken);
        parts.Add(Task.FromResult(written with { Compression = databaseCompression }));
        TryDelete(database.Path);

        progress?.Report(new BackupProgress("jobs", 0.35));
        if (database.Provider == "Sqlite" && File.Exists(sources.JobStoreFile))
        {
            var jobs = Path.Combine(work, BackupObjects.JobStore);
            await SqliteSnapshots.BackUpAsync(SqliteSnapshots.ForFile(sources.JobStoreFile, readOnly: false), jobs, cancellationToken);
            parts.Add(Task.FromResult(await WriteFileAsync(primary, BackupObjects.JobStore, BackupPartKinds.JobStore, jobs, settings, cancellationToken)));
        }

        progress?.Report(new BackupProgress("media", 0.4));
        var media = await BackupCodec.EncodeAsync(
            (plain, ct) => MediaArchive.WriteAsync(sources.MediaRoot, plain, ct), await primary.CreateAsync(BackupObjects.Media, cancellationToken),
            settings, cancellationToken, disposeDestination: true);
        parts.Add(Task.FromResult(Part(BackupObjects.Media, BackupPartKinds.Media, media)));
        return database;
    }

    private static async Task CheckIntegrityAsync(string path, CancellationToken cancellationToken)
    {
        var integrity = await SqliteSnapshots.IntegrityCheckAsync(path, cancellationToken);
        if (integrity != "ok")
        {
            throw new BackupIntegrityException("the live database fails PRAGMA integrity_check: " + integrity);
        }
    }

    /// <summary>What counts as one storage target failing (unreachable, refused, full, a bad read-back), not as a bug.</summary>
    private static bool IsStoreFailure(Exception ex) =>
        ex is IOException or BackupIntegrityException or UnauthorizedAccessException or TimeoutException;

    private async Task StoreFailedAsync(string id, IBackupStore store, Exception ex, IProgress<BackupProgress>? progress)
    {
        LogStoreFailed(logger, ex, id, store.Location);
        (progress as IBackupStoreFailureObserver)?.StoreFailed(store.Location, ex.Message);
        await audit.WriteAsync(new AuditRecord(AuditActions.BackupStoreFailed, AuditEntityTypes.Backup, id, AuditParameters.Of(
            ("store", store.Location.ToString()), ("error", ex.GetType().Name + ": " + ex.Message)), AuditOutcome.Failure), CancellationToken.None);
    }

    private static async Task WriteManifestAsync(IBackupUpload upload, BackupManifest manifest, CancellationToken cancellationToken)
    {
        var json = BackupJson.Serialize(manifest);
        await using (var stream = await upload.CreateAsync(BackupObjects.Manifest, cancellationToken))
        {
            await stream.WriteAsync(json, cancellationToken);
        }
        await using var back = await upload.OpenReadAsync(BackupObjects.Manifest, cancellationToken);
        var reread = await BackupPartReader.ReadManifestAsync(back, cancellationToken);
        if (reread.Id != manifest.Id || reread.Parts.Count != manifest.Parts.Count)
        {
            throw new BackupIntegrityException("manifest.json reads back differently");
        }
    }

    /// <summary>Stores <c>verify.json</c> beside the manifest in each store; a store that cannot take it only loses the note.</summary>
    private async Task RecordVerificationAsync(IEnumerable<IBackupStore> where, string id, BackupVerification verification, CancellationToken cancellationToken)
    {
        var json = BackupJson.Serialize(verification);
        foreach (var store in where)
        {
            try
            {
                await store.WriteSideObjectAsync(id, BackupObjects.Verification, json, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogVerificationNotStored(logger, ex, id, store.Location);
            }
        }
    }

    /// <summary>
    /// Re-reads every object written once (from the page cache when local) and decodes it (decrypt, decompress) comparing
    /// sizes and SHA-256 of both sides with the manifest. Parts in <paramref name="checkedInPlace"/> were written in place
    /// and re-read once already as soon as written (the database copy: integrity_check, the row counts and its hash on
    /// that very file; the job store: its hash; the media archive: its re-read against the hash taken while writing), so
    /// they are not read a second time.
    /// </summary>
    private static async Task VerifyUploadAsync(
        IBackupUpload upload, BackupManifest manifest, BackupCodecSettings settings, IReadOnlySet<string> checkedInPlace, CancellationToken cancellationToken)
    {
        foreach (var part in manifest.Parts.Where(p => !checkedInPlace.Contains(p.Name)))
        {
            await using var stored = await upload.OpenReadAsync(part.Name, cancellationToken);
            await BackupPartReader.ReadAsync(stored, part, settings, Stream.Null, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<string>> ApplyRetentionAsync(
        string newId, List<IBackupStore> targets, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        var keep = await retention.GetRetentionAsync(cancellationToken);
        var deleted = new List<string>();
        foreach (var store in targets)
        {
            try
            {
                await ApplyRetentionAsync(store, newId, keep, deleted, cancellationToken);
            }
            catch (Exception ex) when (targets.Count > 1 && IsStoreFailure(ex))
            {
                await StoreFailedAsync(newId, store, ex, progress);
            }
        }
        return deleted;
    }

    private static async Task ApplyRetentionAsync(IBackupStore store, string newId, int keep, List<string> deleted, CancellationToken cancellationToken)
    {
        {
            var ids = (await store.ListAsync(cancellationToken)).Where(BackupGenerationId.IsValid).OrderDescending(StringComparer.Ordinal).ToList();
            if (!ids.Contains(newId, StringComparer.Ordinal))
            {
                // The verified generation is not visible here: delete nothing.
                return;
            }
            // Under the backup lock every other committed generation was started before this one (ids of one second
            // do not sort by time: their suffix is random), so the new one counts first and the rest by id.
            var older = ids.Where(old => !string.Equals(old, newId, StringComparison.Ordinal));
            foreach (var old in older.Skip(Math.Max(1, keep) - 1).ToList())
            {
                await store.DeleteAsync(old, cancellationToken);
                deleted.Add(store.Location + ":" + old);
            }
        }
    }

    private static async Task<BackupPart> WriteFileAsync(IBackupUpload upload, string name, string kind, string path, BackupCodecSettings settings, CancellationToken cancellationToken)
    {
        var encoded = await BackupCodec.EncodeAsync(
            (plain, ct) => CopyFileAsync(path, plain, ct), await upload.CreateAsync(name, cancellationToken), settings, cancellationToken, disposeDestination: true);
        return Part(name, kind, encoded);
    }

    private static async Task CopyFileAsync(string path, Stream destination, CancellationToken cancellationToken)
    {
        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, BackupCodec.BufferSize, FileOptions.SequentialScan);
        await source.CopyToAsync(destination, BackupCodec.BufferSize, cancellationToken);
    }

    private static BackupPart Part(string name, string kind, EncodedPart encoded) =>
        new(name, kind, encoded.Length, encoded.Sha256, encoded.StoredLength,
            encoded.StoredSha256 ?? throw new InvalidOperationException("A written part always has its stored SHA-256."));

    public async Task<IReadOnlyList<BackupGeneration>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (BackupManifest Manifest, List<BackupLocation> Locations, BackupDrillResult? Drill, BackupVerification? Verified)>(
            StringComparer.Ordinal);
        foreach (var store in stores)
        {
            IReadOnlyList<string> ids;
            try
            {
                ids = await store.ListAsync(cancellationToken);
            }
            catch (IOException ex)
            {
                // One unreachable store (S3 down) must not hide the generations of the others.
                LogStoreUnreachable(logger, ex, store.Location);
                continue;
            }
            foreach (var id in ids.Where(BackupGenerationId.IsValid))
            {
                var verified = await ReadVerificationAsync(store, id, cancellationToken);
                if (found.TryGetValue(id, out var known))
                {
                    known.Locations.Add(store.Location);
                    found[id] = known with { Verified = Worse(known.Verified, verified) };
                    continue;
                }
                BackupManifest manifest;
                try
                {
                    await using var stream = await store.OpenReadAsync(id, BackupObjects.Manifest, cancellationToken);
                    manifest = await BackupPartReader.ReadManifestAsync(stream, cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or BackupIntegrityException)
                {
                    LogUnreadable(logger, ex, id);
                    continue;
                }
                var drillJson = await store.ReadSideObjectAsync(id, BackupObjects.Drill, cancellationToken);
                var drill = drillJson is null ? null : System.Text.Json.JsonSerializer.Deserialize<BackupDrillResult>(drillJson, BackupJson.Options);
                found[id] = (manifest, [store.Location], drill, verified);
            }
        }
        return [.. found.Values.OrderByDescending(g => g.Manifest.Id, StringComparer.Ordinal)
            .Select(g => new BackupGeneration(g.Manifest, g.Locations, g.Drill, g.Verified))];
    }

    /// <summary>The stored verify.json of a generation in one store, or null (none yet, or unreadable).</summary>
    private async Task<BackupVerification?> ReadVerificationAsync(IBackupStore store, string id, CancellationToken cancellationToken)
    {
        try
        {
            var json = await store.ReadSideObjectAsync(id, BackupObjects.Verification, cancellationToken);
            return json is null ? null : System.Text.Json.JsonSerializer.Deserialize<BackupVerification>(json, BackupJson.Options);
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException)
        {
            LogUnreadable(logger, ex, id);
            return null;
        }
    }

    /// <summary>Of two stores' notes: a failure wins (the generation is damaged somewhere), then the newer one.</summary>
    private static BackupVerification? Worse(BackupVerification? a, BackupVerification? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }
        if (a.Passed != b.Passed)
        {
            return a.Passed ? b : a;
        }
        return a.VerifiedAtUtc >= b.VerifiedAtUtc ? a : b;
    }

    public async Task<Result> VerifyAsync(string generationId, CancellationToken cancellationToken)
    {
        if (!BackupGenerationId.IsValid(generationId))
        {
            return Result.NotFound(BackupMessages.Get("Backup.NotFound"));
        }
        var checkedAny = false;
        Result outcome = Result.Success;
        foreach (var store in stores)
        {
            if (!(await store.ListAsync(cancellationToken)).Contains(generationId, StringComparer.Ordinal))
            {
                continue;
            }
            checkedAny = true;
            var scratch = Path.Combine(sources.DataPath, "tmp", "verify-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(scratch);
            string? current = null;
            Result result;
            try
            {
                await using var manifestStream = await store.OpenReadAsync(generationId, BackupObjects.Manifest, cancellationToken);
                var manifest = await BackupPartReader.ReadManifestAsync(manifestStream, cancellationToken);
                var settings = partReader.SettingsFor(manifest);
                foreach (var part in manifest.Parts)
                {
                    current = part.Name;
                    await using var stored = await store.OpenReadAsync(generationId, part.Name, cancellationToken);
                    if (part.Kind == BackupPartKinds.Database && manifest.DatabaseProvider == "Sqlite")
                    {
                        var path = Path.Combine(scratch, BackupObjects.SqliteDatabase);
                        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BackupCodec.BufferSize))
                        {
                            await BackupPartReader.ReadAsync(stored, part, settings, file, cancellationToken);
                        }
                        await CheckDatabaseCopyAsync(path, manifest, cancellationToken);
                    }
                    else
                    {
                        await BackupPartReader.ReadAsync(stored, part, settings, Stream.Null, cancellationToken);
                    }
                }
                result = Result.Success;
                await RecordVerificationAsync([store], generationId,
                    new BackupVerification(clock.GetUtcNow(), Passed: true, BackupVerification.ByVerify, null, null), cancellationToken);
            }
            catch (BackupKeyMismatchException ex)
            {
                // The key is not the generation's fault: nothing is recorded about its checksums.
                return Result.Conflict(BackupMessages.Format("Backup.WrongKey", ex.GenerationKeyId, ex.ConfiguredKeyId));
            }
            catch (BackupIntegrityException ex)
            {
                result = Result.Conflict(BackupMessages.Format("Backup.Corrupt", store.Location + ": " + ex.Message));
                await RecordVerificationAsync([store], generationId,
                    new BackupVerification(clock.GetUtcNow(), Passed: false, BackupVerification.ByVerify, current, ex.Message), cancellationToken);
            }
            finally
            {
                TryDeleteFolder(scratch);
            }
            if (!result.Succeeded && outcome.Succeeded)
            {
                outcome = result;
            }
        }
        return checkedAny ? outcome : Result.NotFound(BackupMessages.Get("Backup.NotFound"));
    }

    /// <summary>PRAGMA integrity_check and the row count of every table against the manifest.</summary>
    internal static async Task CheckDatabaseCopyAsync(string path, BackupManifest manifest, CancellationToken cancellationToken)
    {
        var integrity = await SqliteSnapshots.IntegrityCheckAsync(path, cancellationToken);
        if (integrity != "ok")
        {
            throw new BackupIntegrityException("the database copy fails PRAGMA integrity_check: " + integrity);
        }
        var counts = await SqliteSnapshots.CountRowsAsync(path, cancellationToken);
        var differing = counts.Keys.Union(manifest.RowCounts.Keys, StringComparer.Ordinal)
            .Where(t => counts.GetValueOrDefault(t, -1) != manifest.RowCounts.GetValueOrDefault(t, -1)).ToList();
        if (differing.Count > 0)
        {
            throw new BackupIntegrityException("row counts differ from the manifest in " + string.Join(", ", differing.Take(5)));
        }
    }

    private static void CleanUpWorkFolders(string scratch)
    {
        if (!Directory.Exists(scratch))
        {
            return;
        }
        // Only called under the backup lock: any backup-* folder is a leftover of a run that died.
        foreach (var folder in Directory.EnumerateDirectories(scratch, "backup-*"))
        {
            TryDeleteFolder(folder);
        }
    }

    internal static void TryDeleteFolder(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Backup {GenerationId} could not be stored in {Location}; it is kept in the other storage.")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string generationId, BackupLocation location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The verification note of backup {GenerationId} could not be stored in {Location}.")]
    private static partial void LogVerificationNotStored(ILogger logger, Exception exception, string generationId, BackupLocation location);

    [LoggerMessage(Level = LogLevel.Error, Message = "Backup {GenerationId} failed ({Code}).")]
    private static partial void LogFailed(ILogger logger, Exception exception, string generationId, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backup generation {GenerationId} has an unreadable manifest; it is not listed.")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string generationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backup storage {Location} could not be listed; its generations are not shown")]
    private static partial void LogStoreUnreachable(ILogger logger, Exception exception, BackupLocation location);
}

/// <summary>How many generations to keep (the stored setting, else Backups:Retention).</summary>
internal interface IBackupRetentionPolicy
{
    Task<int> GetRetentionAsync(CancellationToken cancellationToken);
}
