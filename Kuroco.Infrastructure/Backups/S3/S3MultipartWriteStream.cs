using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Backups.S3;

/// <summary>
/// A write-only stream that uploads one object by multipart upload, buffering one part at a time (memory bounded by
/// Backups:S3:PartSizeMB): the first full part initiates the upload (with the server-side encryption header), each further
/// full part is uploaded as it fills, and disposing uploads the rest and completes it. An object smaller than one part is
/// put in one request. A failure aborts the multipart upload, so no half-object is ever completed.
/// </summary>
internal sealed partial class S3MultipartWriteStream(S3BackupStore store, string key, CancellationToken finishToken) : Stream
{
    private readonly int partSize = store.Settings.PartSizeBytes;
    private readonly List<PartETag> parts = [];

    // Grows up to one part, so a small object (the audit anchor) does not hold a whole part's memory.
    private byte[] buffer = new byte[Math.Min(store.Settings.PartSizeBytes, 64 * 1024)];
    private int filled;
    private long length;
    private string? uploadId;
    private bool finished;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !finished;
    public override long Length => length;
    public override long Position { get => length; set => throw new NotSupportedException(); }

    /// <summary>How many parts the object was sent in (1 for a single put).</summary>
    internal int PartCount => uploadId is null ? 1 : parts.Count;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) =>
        WriteAsync(buffer.ToArray(), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(finished, this);
        while (!source.IsEmpty)
        {
            var take = Math.Min(source.Length, buffer.Length - filled);
            source[..take].CopyTo(buffer.AsMemory(filled));
            filled += take;
            length += take;
            source = source[take..];
            if (filled == buffer.Length)
            {
                if (buffer.Length < partSize)
                {
                    Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, partSize));
                }
                else
                {
                    await UploadPartAsync(cancellationToken);
                }
            }
        }
    }

    public override void Flush()
    {
        // Parts go out when full; the rest when the stream is disposed.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await FinishAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            FinishAsync().GetAwaiter().GetResult();
        }
        base.Dispose(disposing);
    }

    private async Task FinishAsync()
    {
        if (finished)
        {
            return;
        }
        finished = true;
        if (uploadId is null)
        {
            await store.PutAsync(key, buffer.AsMemory(0, filled), finishToken);
            return;
        }
        try
        {
            if (filled > 0)
            {
                await SendPartAsync(finishToken);
            }
            var request = new CompleteMultipartUploadRequest
            {
                BucketName = store.Settings.Bucket,
                Key = key,
                UploadId = uploadId,
                PartETags = parts,
            };
            await store.CallAsync(() => store.Client.CompleteMultipartUploadAsync(request, finishToken), key);
        }
        catch
        {
            await AbortAsync();
            throw;
        }
    }

    private async Task UploadPartAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (uploadId is null)
            {
                var initiate = new InitiateMultipartUploadRequest
                {
                    BucketName = store.Settings.Bucket,
                    Key = key,
                    ContentType = "application/octet-stream",
                };
                store.AddEncryption(initiate);
                var response = await store.CallAsync(() => store.Client.InitiateMultipartUploadAsync(initiate, cancellationToken), key);
                uploadId = response.UploadId;
            }
            await SendPartAsync(cancellationToken);
        }
        catch
        {
            finished = true;
            await AbortAsync();
            throw;
        }
    }

    private async Task SendPartAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(buffer, 0, filled, writable: false);
        var number = parts.Count + 1;
        var request = new UploadPartRequest
        {
            BucketName = store.Settings.Bucket,
            Key = key,
            UploadId = uploadId,
            PartNumber = number,
            PartSize = filled,
            InputStream = body,
            UseChunkEncoding = false,
        };
        var response = await store.CallAsync(() => store.Client.UploadPartAsync(request, cancellationToken), key);
        parts.Add(new PartETag(number, response.ETag));
        filled = 0;
    }

    /// <summary>Best effort: the upload's owner deletes the generation anyway, and the store's clean-up aborts what is left.</summary>
    private async Task AbortAsync()
    {
        if (uploadId is null)
        {
            return;
        }
        try
        {
            await store.Client.AbortMultipartUploadAsync(store.Settings.Bucket, key, uploadId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogAbortFailed(store.Logger, key, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not abort the multipart upload of {Key} ({Error}); the next clean-up or the bucket's lifecycle rule removes it.")]
    private static partial void LogAbortFailed(ILogger logger, string key, string error);
}
