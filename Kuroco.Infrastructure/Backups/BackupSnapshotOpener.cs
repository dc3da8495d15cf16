using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Kuroco.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Backups;

/// <summary>
/// Opens a committed generation into <c>{DataPath}/tmp/restore-{random}/</c>: every part but the media archive decrypted,
/// decompressed and checked against the manifest (a damaged part fails the open), each decoded as a pipeline on up to
/// three threads (<see cref="BackupCodec.DecodeAsync"/>). The media archive is decrypted, checked
/// and extracted on first use (<see cref="IBackupMediaListing"/>, <see cref="IBackupSnapshot.OpenMediaFileAsync"/>), so
/// a scoped restore of members reads only the database. The folder is deleted on
/// <see cref="IAsyncDisposable.DisposeAsync"/> and when opening fails.
/// </summary>
internal sealed class BackupSnapshotOpener(IEnumerable<IBackupStore> stores, BackupPartReader partReader, IOptions<StorageOptions> storage) : IBackupSnapshotOpener
{
    public async Task<Result<IBackupSnapshot>> OpenAsync(string generationId, CancellationToken cancellationToken)
    {
        if (!BackupGenerationId.IsValid(generationId))
        {
            return Result<IBackupSnapshot>.NotFound(BackupMessages.Get("Backup.NotFound"));
        }
        // The local copy first: it is the fastest to read.
        IBackupStore? store = null;
        foreach (var candidate in stores.OrderBy(s => s.Location == BackupLocation.Local ? 0 : 1))
        {
            if ((await candidate.ListAsync(cancellationToken)).Contains(generationId, StringComparer.Ordinal))
            {
                store = candidate;
                break;
            }
        }
        if (store is null)
        {
            return Result<IBackupSnapshot>.NotFound(BackupMessages.Get("Backup.NotFound"));
        }
        var folder = Path.Combine(storage.Value.DataPath, "tmp", "restore-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var snapshot = await ExtractAsync(store, generationId, folder, cancellationToken);
            return Result.Ok<IBackupSnapshot>(snapshot);
        }
        catch (BackupKeyMismatchException ex)
        {
            BackupService.TryDeleteFolder(folder);
            return Result<IBackupSnapshot>.Conflict(BackupMessages.Format("Backup.WrongKey", ex.GenerationKeyId, ex.ConfiguredKeyId));
        }
        catch (BackupIntegrityException ex)
        {
            BackupService.TryDeleteFolder(folder);
            return Result<IBackupSnapshot>.Conflict(BackupMessages.Format("Backup.Corrupt", ex.Message));
        }
        catch
        {
            BackupService.TryDeleteFolder(folder);
            throw;
        }
    }

    private async Task<BackupSnapshot> ExtractAsync(IBackupStore store, string generationId, string folder, CancellationToken cancellationToken)
    {
        BackupManifest manifest;
        await using (var stream = await store.OpenReadAsync(generationId, BackupObjects.Manifest, cancellationToken))
        {
            manifest = await BackupPartReader.ReadManifestAsync(stream, cancellationToken);
        }
        var settings = partReader.SettingsFor(manifest);
        string? database = null, jobs = null, anchor = null;
        var media = Path.Combine(folder, "media");
        BackupPart? mediaPart = null;
        foreach (var part in manifest.Parts)
        {
            if (part.Kind == BackupPartKinds.Media)
            {
                mediaPart = part;
                continue;
            }
            var target = Path.Combine(folder, BackupGenerationId.CheckObjectName(part.Name));
            await using (var stored = await store.OpenReadAsync(generationId, part.Name, cancellationToken))
            await using (var file = new FileStream(target, DecodedFile(FileMode.CreateNew, part)))
            {
                await BackupPartReader.ReadAsync(stored, part, settings, file, cancellationToken, pipelined: true);
            }
            switch (part.Kind)
            {
                case BackupPartKinds.Database when manifest.DatabaseProvider == "Sqlite":
                    database = target;
                    break;
                case BackupPartKinds.JobStore:
                    jobs = target;
                    break;
                case BackupPartKinds.AuditAnchor:
                    anchor = await File.ReadAllTextAsync(target, cancellationToken);
                    break;
                default:
                    break;
            }
        }
        Func<CancellationToken, Task>? extractMedia = mediaPart is null ? null : async ct =>
        {
            var target = Path.Combine(folder, BackupGenerationId.CheckObjectName(mediaPart.Name));
            try
            {
                await using (var stored = await store.OpenReadAsync(generationId, mediaPart.Name, ct))
                await using (var file = new FileStream(target, DecodedFile(FileMode.Create, mediaPart)))
                {
                    await BackupPartReader.ReadAsync(stored, mediaPart, settings, file, ct, pipelined: true);
                }
                await using (var tar = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, BackupCodec.BufferSize, FileOptions.SequentialScan))
                {
                    await MediaArchive.ExtractAsync(tar, media, ct);
                }
            }
            catch (BackupIntegrityException ex)
            {
                BackupService.TryDeleteFolder(media);
                throw new InvalidDataException(BackupMessages.Format("Backup.Corrupt", ex.Message), ex);
            }
            finally
            {
                File.Delete(target);
            }
        };
        return new BackupSnapshot(manifest, folder, database, jobs, anchor, media, extractMedia);
    }

    /// <summary>
    /// A decoded part's file, its size reserved up front (one extent instead of growing it 1 MiB at a time; the manifest's
    /// size is checked against the content anyway, so a wrong one only costs the reservation).
    /// </summary>
    private static FileStreamOptions DecodedFile(FileMode mode, BackupPart part) => new()
    {
        Mode = mode,
        Access = FileAccess.Write,
        Share = FileShare.None,
        BufferSize = BackupCodec.BufferSize,
        PreallocationSize = Math.Clamp(part.Length, 0, 64L * 1024 * 1024 * 1024),
    };

    private sealed class BackupSnapshot(
        BackupManifest manifest, string folder, string? databasePath, string? jobStorePath, string? anchor, string mediaRoot,
        Func<CancellationToken, Task>? extractMedia)
        : IBackupSnapshot, IBackupMediaListing
    {
        private readonly SemaphoreSlim mediaGate = new(1, 1);
        private Func<CancellationToken, Task>? pendingMedia = extractMedia;
        private IReadOnlyList<string>? mediaFiles;

        /// <summary>Decrypts, checks and extracts the media archive once, on first use.</summary>
        private async Task EnsureMediaAsync(CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref pendingMedia) is null)
            {
                return;
            }
            await mediaGate.WaitAsync(cancellationToken);
            try
            {
                if (pendingMedia is { } extract)
                {
                    await extract(cancellationToken);
                    pendingMedia = null;
                }
            }
            finally
            {
                mediaGate.Release();
            }
        }
        public BackupManifest Manifest => manifest;

        public string? DatabasePath => databasePath;

        public string? JobStorePath => jobStorePath;

        public string? AuditAnchorJson => anchor;

        /// <summary>Every file the media archive held (relative, '/' separated, ordinal order), as extracted.</summary>
        public async Task<IReadOnlyList<string>> ListMediaFilesAsync(CancellationToken cancellationToken)
        {
            await EnsureMediaAsync(cancellationToken);
            return mediaFiles ??= Directory.Exists(mediaRoot)
                ? [.. Directory.EnumerateFiles(mediaRoot, "*", SearchOption.AllDirectories)
                    .Select(path => Path.GetRelativePath(mediaRoot, path).Replace(Path.DirectorySeparatorChar, '/'))
                    .Order(StringComparer.Ordinal)]
                : [];
        }

        public async Task<Stream?> OpenMediaFileAsync(string relativePath, CancellationToken cancellationToken)
        {
            await EnsureMediaAsync(cancellationToken);
            var path = MediaArchive.SafePath(Path.GetFullPath(mediaRoot) + Path.DirectorySeparatorChar, relativePath?.Replace('\\', '/'));
            return path is not null && File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read) : null;
        }

        public ValueTask DisposeAsync()
        {
            // Connections the caller opened on the copies must be closed (and not pooled) by now.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            BackupService.TryDeleteFolder(folder);
            mediaGate.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
