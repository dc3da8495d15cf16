using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Kuroco.Core.Backups;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Backups.S3;

/// <summary>
/// Generations in an S3-compatible bucket: the objects of generation <c>id</c> live under <c>{prefix}{id}/</c>, are written
/// by multipart upload (<see cref="S3MultipartWriteStream"/>), and <c>manifest.json</c> is put LAST at commit, so a
/// generation without it is never listed; leftovers of an interrupted run are removed by
/// <see cref="CleanUpIncompleteAsync"/> once they are older than <see cref="IncompleteAge"/>.
/// </summary>
public sealed partial class S3BackupStore(
    S3BackupClient s3,
    IOptions<S3BackupOptions> options,
    TimeProvider time,
    ILogger<S3BackupStore> logger) : IBackupStore
{
    public const string ManifestName = "manifest.json";

    /// <summary>Objects of an uncommitted generation younger than this may still be written by a running backup.</summary>
    public static readonly TimeSpan IncompleteAge = TimeSpan.FromHours(1);

    private readonly S3BackupOptions settings = options.Value;

    public BackupLocation Location => BackupLocation.S3;

    internal IAmazonS3 Client => s3.Client;

    internal S3BackupOptions Settings => settings;

    internal ILogger Logger => logger;

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var o in ListObjectsAsync(settings.NormalizedPrefix, cancellationToken))
        {
            if (SplitKey(o.Key) is ({ } id, ManifestName))
            {
                ids.Add(id);
            }
        }
        return ids;
    }

    public Task<IBackupUpload> BeginAsync(string generationId, CancellationToken cancellationToken)
    {
        CheckId(generationId);
        return Task.FromResult<IBackupUpload>(new S3BackupUpload(this, generationId));
    }

    public Task<Stream> OpenReadAsync(string generationId, string objectName, CancellationToken cancellationToken)
    {
        CheckId(generationId);
        CheckObjectName(objectName);
        return OpenObjectAsync(Key(generationId, objectName), cancellationToken);
    }

    public async Task WriteSideObjectAsync(string generationId, string objectName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        CheckId(generationId);
        CheckObjectName(objectName);
        if (objectName == ManifestName)
        {
            throw new ArgumentException("The manifest is written by the upload's commit, not as a side object.", nameof(objectName));
        }
        if (!await ExistsAsync(Key(generationId, ManifestName), cancellationToken))
        {
            throw new FileNotFoundException($"There is no committed backup generation {generationId} in {settings.Describe()}.");
        }
        await PutAsync(Key(generationId, objectName), content, cancellationToken);
    }

    public async Task<byte[]?> ReadSideObjectAsync(string generationId, string objectName, CancellationToken cancellationToken)
    {
        CheckId(generationId);
        CheckObjectName(objectName);
        try
        {
            await using var stream = await OpenObjectAsync(Key(generationId, objectName), cancellationToken);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string generationId, CancellationToken cancellationToken)
    {
        CheckId(generationId);
        // The manifest goes first: a delete cut short leaves an uncommitted generation, never a listed one with parts missing.
        await DeleteObjectAsync(Key(generationId, ManifestName), cancellationToken);
        var deleted = await DeleteAllUnderAsync(GenerationPrefix(generationId), cancellationToken);
        LogDeleted(logger, generationId, deleted + 1, settings.Describe());
    }

    public async Task<int> CleanUpIncompleteAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - IncompleteAge;
        var generations = new Dictionary<string, (bool Committed, DateTimeOffset Newest)>(StringComparer.Ordinal);
        await foreach (var o in ListObjectsAsync(settings.NormalizedPrefix, cancellationToken))
        {
            if (SplitKey(o.Key) is not ({ } id, { } name))
            {
                continue;
            }
            var modified = o.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue;
            generations.TryGetValue(id, out var seen);
            generations[id] = (seen.Committed || name == ManifestName, seen.Newest > modified ? seen.Newest : modified);
        }
        var removed = 0;
        foreach (var (id, state) in generations)
        {
            if (!state.Committed && state.Newest < cutoff)
            {
                var count = await DeleteAllUnderAsync(GenerationPrefix(id), cancellationToken);
                LogIncompleteRemoved(logger, id, count, settings.Describe());
                removed++;
            }
        }
        return removed + await AbortStaleMultipartUploadsAsync(cutoff, cancellationToken);
    }

    // ---- helpers shared with the upload ----

    internal string Key(string generationId, string objectName) => GenerationPrefix(generationId) + objectName;

    internal string GenerationPrefix(string generationId) => settings.NormalizedPrefix + generationId + "/";

    internal void AddEncryption(PutObjectRequest request)
    {
        switch (settings.ServerSideEncryptionMethod)
        {
            case S3BackupOptions.EncryptionAes256:
                request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256;
                break;
            case S3BackupOptions.EncryptionKms:
                request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
                request.ServerSideEncryptionKeyManagementServiceKeyId = NullIfEmpty(settings.KmsKeyId);
                break;
        }
    }

    internal void AddEncryption(InitiateMultipartUploadRequest request)
    {
        switch (settings.ServerSideEncryptionMethod)
        {
            case S3BackupOptions.EncryptionAes256:
                request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256;
                break;
            case S3BackupOptions.EncryptionKms:
                request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
                request.ServerSideEncryptionKeyManagementServiceKeyId = NullIfEmpty(settings.KmsKeyId);
                break;
        }
    }

    internal async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(content.ToArray(), writable: false);
        var request = new PutObjectRequest
        {
            BucketName = settings.Bucket,
            Key = key,
            InputStream = body,
            AutoCloseStream = false,
            ContentType = "application/octet-stream",
            UseChunkEncoding = false,
        };
        AddEncryption(request);
        await CallAsync(() => Client.PutObjectAsync(request, cancellationToken), key);
    }

    internal async Task<Stream> OpenObjectAsync(string key, CancellationToken cancellationToken)
    {
        var response = await CallAsync(() => Client.GetObjectAsync(settings.Bucket, key, cancellationToken), key);
        return new ResponseStream(response);
    }

    internal async Task DeleteObjectAsync(string key, CancellationToken cancellationToken) =>
        await CallAsync(() => Client.DeleteObjectAsync(settings.Bucket, key, cancellationToken), key);

    /// <summary>Deletes every object under a prefix, page by page (single deletes: GCS has no multi-object delete); returns how many.</summary>
    internal async Task<int> DeleteAllUnderAsync(string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var o in ListObjectsAsync(prefix, cancellationToken))
        {
            keys.Add(o.Key);
        }
        foreach (var key in keys)
        {
            await DeleteObjectAsync(key, cancellationToken);
        }
        return keys.Count;
    }

    /// <summary>Runs an SDK call, turning a missing object into <see cref="FileNotFoundException"/> and every other failure into a <see cref="S3BackupStoreException"/> that names the store but no secret.</summary>
    internal async Task<T> CallAsync<T>(Func<Task<T>> call, string? key)
    {
        try
        {
            return await call();
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "NoSuchKey" || (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode is not "NoSuchBucket" and not "NoSuchUpload"))
        {
            throw new FileNotFoundException($"No object {key} in {settings.Describe()}.", key, ex);
        }
        catch (AmazonS3Exception ex)
        {
            throw Translate(ex);
        }
        catch (AmazonServiceException ex) when (ex is not AmazonS3Exception)
        {
            throw Translate(ex);
        }
        catch (AmazonClientException ex)
        {
            throw new S3BackupStoreException(
                $"The S3 backup store {settings.Describe()} could not be used: {ex.GetType().Name} ({Redact(ex.Message)}). Check {S3BackupOptions.SectionName}.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new S3BackupStoreException(
                $"Cannot reach the S3 backup store {settings.Describe()}: {Redact(ex.Message)}. Check {S3BackupOptions.SectionName}:ServiceUrl and that the server is running.", ex);
        }
    }

    internal S3BackupStoreException Translate(AmazonServiceException ex)
    {
        var where = settings.Describe();
        var message = ex.ErrorCode switch
        {
            "NoSuchBucket" => $"The bucket \"{settings.Bucket}\" does not exist in the S3 backup store {where}: create it, or fix {S3BackupOptions.SectionName}:Bucket.",
            "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "InvalidToken" or "ExpiredToken" or "AuthorizationHeaderMalformed" =>
                $"The S3 backup store {where} refused the credentials ({ex.ErrorCode}): check {S3BackupOptions.SectionName}:AccessKey, SecretKey and Region.",
            "AccessDenied" or "AllAccessDisabled" =>
                $"The S3 backup store {where} denied access ({ex.ErrorCode}): the credentials need s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject and s3:AbortMultipartUpload on the bucket.",
            "KMS.NotFoundException" or "KMS.DisabledException" or "KMS.KMSInvalidStateException" =>
                $"The S3 backup store {where} could not use the KMS key ({ex.ErrorCode}): check {S3BackupOptions.SectionName}:KmsKeyId.",
            _ => $"The S3 backup store {where} failed ({(int)ex.StatusCode} {ex.ErrorCode}): {Redact(ex.Message)}",
        };
        return new S3BackupStoreException(message, ex);
    }

    private string Redact(string message) =>
        string.IsNullOrEmpty(settings.SecretKey) ? message : message.Replace(settings.SecretKey, "***", StringComparison.Ordinal);

    internal async IAsyncEnumerable<S3Object> ListObjectsAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = settings.Bucket, Prefix = prefix };
        while (true)
        {
            var response = await CallAsync(() => Client.ListObjectsV2Async(request, cancellationToken), null);
            foreach (var o in response.S3Objects ?? [])
            {
                yield return o;
            }
            if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken))
            {
                yield break;
            }
            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    private async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(() => Client.GetObjectMetadataAsync(settings.Bucket, key, cancellationToken), key);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Aborts multipart uploads under the prefix started before <paramref name="cutoff"/> (a killed run leaves them, and
    /// their parts are billed). Servers that do not list uploads (s3rver) are skipped; a bucket lifecycle rule
    /// "AbortIncompleteMultipartUpload" is the belt to these braces.
    /// </summary>
    private async Task<int> AbortStaleMultipartUploadsAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var aborted = 0;
        var request = new ListMultipartUploadsRequest { BucketName = settings.Bucket, Prefix = settings.NormalizedPrefix };
        while (true)
        {
            ListMultipartUploadsResponse response;
            try
            {
                response = await Client.ListMultipartUploadsAsync(request, cancellationToken);
            }
            catch (AmazonS3Exception ex) when (ex.ErrorCode is not "NoSuchBucket")
            {
                // Housekeeping only: a server that does not list uploads (s3rver: NotImplemented) or credentials without
                // s3:ListBucketMultipartUploads must not fail the backup.
                LogMultipartListingUnsupported(logger, settings.Describe(), ex.ErrorCode ?? ex.StatusCode.ToString());
                return aborted;
            }
            catch (AmazonServiceException ex)
            {
                throw Translate(ex);
            }
            foreach (var upload in response.MultipartUploads ?? [])
            {
                if (upload.Initiated is { } initiated && new DateTimeOffset(initiated.ToUniversalTime(), TimeSpan.Zero) < cutoff)
                {
                    try
                    {
                        await CallAsync(() => Client.AbortMultipartUploadAsync(settings.Bucket, upload.Key, upload.UploadId, cancellationToken), upload.Key);
                        LogMultipartAborted(logger, upload.Key, settings.Describe());
                        aborted++;
                    }
                    catch (IOException ex)
                    {
                        LogMultipartAbortFailed(logger, upload.Key, settings.Describe(), ex.Message);
                    }
                }
            }
            if (response.IsTruncated != true)
            {
                return aborted;
            }
            request.KeyMarker = response.NextKeyMarker;
            request.UploadIdMarker = response.NextUploadIdMarker;
        }
    }

    /// <summary>The generation id and object name of a key under the prefix, or nulls for anything else.</summary>
    private (string? Id, string? Name) SplitKey(string key)
    {
        var prefix = settings.NormalizedPrefix;
        if (!key.StartsWith(prefix, StringComparison.Ordinal))
        {
            return (null, null);
        }
        var rest = key[prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 || slash == rest.Length - 1 ? (null, null) : (rest[..slash], rest[(slash + 1)..]);
    }

    internal static void CheckId(string generationId)
    {
        if (string.IsNullOrEmpty(generationId) || generationId.Length > 100 || generationId is "." or ".."
            || !generationId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"\"{generationId}\" is not a backup generation id.", nameof(generationId));
        }
    }

    internal static void CheckObjectName(string objectName)
    {
        if (string.IsNullOrEmpty(objectName) || objectName.Length > 200
            || objectName.Split('/').Any(s => s is "" or "." or "..")
            || !objectName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
        {
            throw new ArgumentException($"\"{objectName}\" is not a backup object name.", nameof(objectName));
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup generation {GenerationId} deleted from {Store} ({Objects} objects).")]
    private static partial void LogDeleted(ILogger logger, string generationId, int objects, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed the uncommitted backup generation {GenerationId} ({Objects} objects) from {Store}: a run that never committed.")]
    private static partial void LogIncompleteRemoved(ILogger logger, string generationId, int objects, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Aborted a stale multipart upload of {Key} in {Store}.")]
    private static partial void LogMultipartAborted(ILogger logger, string key, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not abort the stale multipart upload of {Key} in {Store}: {Error}")]
    private static partial void LogMultipartAbortFailed(ILogger logger, string key, string store, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Store} does not list multipart uploads to this app ({ErrorCode}); stale uploads are left to the bucket's lifecycle rule.")]
    private static partial void LogMultipartListingUnsupported(ILogger logger, string store, string errorCode);

    /// <summary>An object's body that also releases the HTTP response when disposed.</summary>
    private sealed class ResponseStream(GetObjectResponse response) : Stream
    {
        private readonly Stream inner = response.ResponseStream;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => response.ContentLength;
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
