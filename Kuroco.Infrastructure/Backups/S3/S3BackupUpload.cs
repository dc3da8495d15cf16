using Kuroco.Core.Backups;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Backups.S3;

/// <summary>
/// A generation being written to S3: every object goes straight to <c>{prefix}{id}/</c>, except <c>manifest.json</c>,
/// which is kept in memory and put by <see cref="CommitAsync"/> as the last object (the generation's "rename into place").
/// Disposing without commit deletes what was written.
/// </summary>
internal sealed partial class S3BackupUpload(S3BackupStore store, string generationId) : IBackupUpload
{
    private readonly Lock gate = new();
    private readonly List<string> keys = [];
    private byte[]? manifest;
    private bool committed;
    private bool disposed;

    public Task<Stream> CreateAsync(string objectName, CancellationToken cancellationToken)
    {
        S3BackupStore.CheckObjectName(objectName);
        ObjectDisposedException.ThrowIf(disposed, this);
        if (committed)
        {
            throw new InvalidOperationException($"Backup generation {generationId} is already committed.");
        }
        if (objectName == S3BackupStore.ManifestName)
        {
            return Task.FromResult<Stream>(new ManifestStream(bytes => manifest = bytes));
        }
        var key = store.Key(generationId, objectName);
        lock (gate)
        {
            keys.Add(key);
        }
        return Task.FromResult<Stream>(new S3MultipartWriteStream(store, key, cancellationToken));
    }

    public Task<Stream> OpenReadAsync(string objectName, CancellationToken cancellationToken)
    {
        S3BackupStore.CheckObjectName(objectName);
        if (objectName == S3BackupStore.ManifestName)
        {
            return manifest is null
                ? throw new FileNotFoundException($"The manifest of backup generation {generationId} has not been written yet.", objectName)
                : Task.FromResult<Stream>(new MemoryStream(manifest, writable: false));
        }
        return store.OpenObjectAsync(store.Key(generationId, objectName), cancellationToken);
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (manifest is null)
        {
            throw new InvalidOperationException($"Backup generation {generationId} cannot be committed before its {S3BackupStore.ManifestName} is written.");
        }
        await store.PutAsync(store.Key(generationId, S3BackupStore.ManifestName), manifest, cancellationToken);
        committed = true;
        LogCommitted(store.Logger, generationId, store.Settings.Describe());
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        if (committed)
        {
            return;
        }
        string[] written;
        lock (gate)
        {
            written = [store.Key(generationId, S3BackupStore.ManifestName), .. keys];
        }
        // The manifest first (a commit whose answer was lost may have stored it): then the generation is never listed.
        foreach (var key in written)
        {
            try
            {
                await store.DeleteObjectAsync(key, CancellationToken.None);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
            {
                LogDiscardFailed(store.Logger, key, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup generation {GenerationId} committed to {Store}.")]
    private static partial void LogCommitted(ILogger logger, string generationId, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete {Key} of an uncommitted backup ({Error}); the next clean-up removes it.")]
    private static partial void LogDiscardFailed(ILogger logger, string key, string error);

    /// <summary>Keeps the manifest's bytes for the commit.</summary>
    private sealed class ManifestStream(Action<byte[]> written) : MemoryStream
    {
        private bool closed;

        protected override void Dispose(bool disposing)
        {
            if (disposing && !closed)
            {
                closed = true;
                written(ToArray());
            }
            base.Dispose(disposing);
        }
    }
}
