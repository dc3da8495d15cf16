using Kuroco.Core.Backups;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Kuroco.Infrastructure.Backups;

/// <summary>A stored part could not be read back as written (checksum, authentication tag, truncation).</summary>
internal sealed class BackupIntegrityException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>How parts are encoded: compression, then (when <see cref="Key"/> is set) AES-GCM in chunks.</summary>
internal sealed record BackupCodecSettings(BackupCompression Compression, BackupKey? Key)
{
    /// <summary>Neither compressed nor encrypted: the stored bytes are the plain bytes (one hash serves both sides).</summary>
    public bool IsPlain => Compression == BackupCompression.None && Key is null;

    public string CompressionName => NameOf(Compression);

    /// <summary>The settings one part was written with: its own compression when the manifest names one for it.</summary>
    public BackupCodecSettings ForPart(BackupPart part) =>
        part.Compression is { } own ? this with { Compression = ParseCompression(own) } : this;

    public static string NameOf(BackupCompression compression) => compression switch
    {
        BackupCompression.GZip => "gzip",
        BackupCompression.Brotli => "brotli",
        _ => "none",
    };

    public static BackupCompression ParseCompression(string? name) => name switch
    {
        "gzip" => BackupCompression.GZip,
        "brotli" => BackupCompression.Brotli,
        "none" => BackupCompression.None,
        _ => throw new BackupIntegrityException($"unknown compression '{name}'"),
    };
}

/// <summary>Length and SHA-256 of the plain and of the stored bytes of one part.</summary>
/// <remarks><see cref="StoredSha256"/> is null when a read did not hash the stored bytes (an encrypted part: see <see cref="BackupCodec.DecodeAsync"/>).</remarks>
internal sealed record EncodedPart(long Length, string Sha256, long StoredLength, string? StoredSha256);

/// <summary>
/// Streams a part through compression and encryption (write) or back (read), hashing both sides on the way, so a part is
/// read from disk once and written once.
/// </summary>
internal static class BackupCodec
{
    public const int BufferSize = 1024 * 1024;

    /// <summary>
    /// Runs <paramref name="writePlain"/> against a stream that compresses, encrypts and writes into
    /// <paramref name="destination"/> (disposed at the end when <paramref name="disposeDestination"/>, also on failure).
    /// </summary>
    public static async Task<EncodedPart> EncodeAsync(
        Func<Stream, CancellationToken, Task> writePlain, Stream destination, BackupCodecSettings settings, CancellationToken cancellationToken,
        bool disposeDestination = false)
    {
        try
        {
            return await EncodeCoreAsync(writePlain, destination, settings, cancellationToken);
        }
        finally
        {
            if (disposeDestination)
            {
                await destination.DisposeAsync();
            }
        }
    }

    private static async Task<EncodedPart> EncodeCoreAsync(
        Func<Stream, CancellationToken, Task> writePlain, Stream destination, BackupCodecSettings settings, CancellationToken cancellationToken)
    {
        if (settings.IsPlain)
        {
            using var same = new HashingStream(destination, writing: true);
            await writePlain(same, cancellationToken);
            await same.FlushAsync(cancellationToken);
            var hash = same.Hash();
            return new EncodedPart(same.Bytes, hash, same.Bytes, hash);
        }
        var stored = new HashingStream(destination, writing: true);
        var encrypted = settings.Key is { } key ? new AesGcmChunkWriter(stored, key.Bytes) : (Stream)stored;
        var compressed = Compress(encrypted, settings.Compression);
        var plain = new HashingStream(compressed, writing: true);
        await writePlain(plain, cancellationToken);
        await plain.FlushAsync(cancellationToken);
        if (!ReferenceEquals(compressed, encrypted))
        {
            await compressed.DisposeAsync();
        }
        if (!ReferenceEquals(encrypted, stored))
        {
            await encrypted.DisposeAsync();
        }
        await stored.FlushAsync(cancellationToken);
        return new EncodedPart(plain.Bytes, plain.Hash(), stored.Bytes, stored.Hash());
    }

    /// <summary>
    /// Reads a stored part to its end into <paramref name="plainDestination"/> (<see cref="Stream.Null"/> to only check), and
    /// throws <see cref="BackupIntegrityException"/> when the authentication fails or the data ends early.
    /// <para>
    /// <paramref name="pipelined"/> (a restore, where a person waits): the steps run as a pipeline on up to three threads
    /// (read + decrypt | decompress | hash + write), each at most a few MiB ahead of the next, so opening a large generation
    /// takes about as long as its slowest step (decompression) rather than their sum. Without it (the backup's own check,
    /// while the app serves requests) everything runs on one thread and leaves the other core to the app.
    /// </para>
    /// <para>
    /// An encrypted part's stored bytes are not SHA-256-hashed (<see cref="EncodedPart.StoredSha256"/> is null): AES-GCM
    /// already authenticates every chunk, its index and the final flag under the key, so any changed, dropped, reordered or
    /// appended stored byte fails; the plain SHA-256 (compared with the manifest) still ties the content to this
    /// generation. Unencrypted parts keep both hashes.
    /// </para>
    /// </summary>
    public static async Task<EncodedPart> DecodeAsync(
        Stream source, Stream plainDestination, BackupCodecSettings settings, CancellationToken cancellationToken, bool pipelined = false)
    {
        pipelined &= !ReferenceEquals(plainDestination, Stream.Null);
        if (settings.IsPlain)
        {
            using var same = new HashingStream(source, writing: false);
            if (pipelined)
            {
                // Read + hash on another thread, write here.
                await using var ahead = BackupPipelineStage.Start((output, token) => same.CopyToAsync(output, BufferSize, token), cancellationToken);
                await ahead.CopyToAsync(plainDestination, BufferSize, cancellationToken);
            }
            else if (ReferenceEquals(plainDestination, Stream.Null))
            {
                await DrainAsync(same, cancellationToken);
            }
            else
            {
                await same.CopyToAsync(plainDestination, BufferSize, cancellationToken);
            }
            var hash = same.Hash();
            return new EncodedPart(same.Bytes, hash, same.Bytes, hash);
        }
        using var stored = new HashingStream(source, writing: false, hash: settings.Key is null);
        using var decryptor = settings.Key is { } key ? new AesGcmChunkReader(stored, key.Bytes) : null;
        // Step 1: read and decrypt (AES-GCM checks each chunk; the reader fails on a truncated or extended part).
        await using var decryptStage = pipelined
            ? BackupPipelineStage.Start((output, token) => (decryptor ?? (Stream)stored).CopyToAsync(output, BufferSize, token), cancellationToken)
            : null;
        var decrypted = decryptStage ?? decryptor ?? (Stream)stored;
        // Step 2: decompress, then check that nothing follows the end of the compressed stream.
        async Task DecompressAsync(Stream output, CancellationToken token)
        {
            try
            {
                await using (var inflate = Decompress(decrypted, settings.Compression))
                {
                    await inflate.CopyToAsync(output, BufferSize, token);
                }
            }
            catch (InvalidDataException ex)
            {
                throw new BackupIntegrityException("the compressed data is damaged", ex);
            }
            catch (InvalidOperationException ex) when (settings.Compression == BackupCompression.Brotli)
            {
                // BrotliStream reports damaged input as "Decoder ran into invalid data" (InvalidOperationException).
                throw new BackupIntegrityException("the compressed data is damaged", ex);
            }
            // A compressed stream can end before the encrypted one has shown its final chunk: read to the end.
            var rest = new byte[4096];
            if (await decrypted.ReadAsync(rest, token) > 0)
            {
                throw new BackupIntegrityException("data after the end of the compressed stream");
            }
        }
        // Step 3: hash the plain bytes on their way into the destination.
        using var plain = new HashingStream(plainDestination, writing: true);
        if (settings.Compression == BackupCompression.None)
        {
            await decrypted.CopyToAsync(plain, BufferSize, cancellationToken);
        }
        else if (pipelined)
        {
            await using var decompressStage = BackupPipelineStage.Start(DecompressAsync, cancellationToken);
            await decompressStage.CopyToAsync(plain, BufferSize, cancellationToken);
        }
        else
        {
            await DecompressAsync(plain, cancellationToken);
        }
        await plain.FlushAsync(cancellationToken);
        return new EncodedPart(plain.Bytes, plain.Hash(), stored.Bytes, stored.HashOrNull());
    }

    /// <summary>Reads a stream to its end into one pooled buffer (a check that needs the bytes only for their hash).</summary>
    public static async Task DrainAsync(Stream source, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Size and SHA-256 of a file written in place (a plain part): one sequential read (from the page cache) on the calling
    /// thread (a part written on a thread of its own), 1 MiB at a time into one pooled buffer, checking
    /// <paramref name="cancellationToken"/> between reads.
    /// </summary>
    public static EncodedPart HashFile(string path, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        long length = 0;
        try
        {
            int read;
            while ((read = file.Read(buffer, 0, BufferSize)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sha256.AppendData(buffer, 0, read);
                length += read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        var hash = Convert.ToHexStringLower(sha256.GetHashAndReset());
        return new EncodedPart(length, hash, length, hash);
    }

    private static Stream Compress(Stream inner, BackupCompression compression) => compression switch
    {
        BackupCompression.GZip => new GZipStream(inner, CompressionLevel.Fastest, leaveOpen: true),
        BackupCompression.Brotli => new BrotliStream(inner, new BrotliCompressionOptions { Quality = 1 }, leaveOpen: true),
        _ => inner,
    };

    private static Stream Decompress(Stream inner, BackupCompression compression) => compression switch
    {
        BackupCompression.GZip => new GZipStream(inner, CompressionMode.Decompress, leaveOpen: true),
        BackupCompression.Brotli => new BrotliStream(inner, CompressionMode.Decompress, leaveOpen: true),
        _ => inner,
    };
}

/// <summary>A pass-through stream (one direction) that counts and SHA-256-hashes the bytes going through it.</summary>
/// <remarks>With <c>hash: false</c> it only counts (<see cref="HashOrNull"/> is then null).</remarks>
internal sealed class HashingStream(Stream inner, bool writing, bool hash = true) : Stream
{
    private readonly IncrementalHash? sha256 = hash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    private string? result;

    /// <summary>Bytes that went through so far.</summary>
    public long Bytes { get; private set; }

    public string Hash() => HashOrNull() ?? throw new InvalidOperationException("This stream only counts.");

    public string? HashOrNull() => sha256 is null ? null : result ??= Convert.ToHexStringLower(sha256.GetHashAndReset());

    public override bool CanRead => !writing;
    public override bool CanSeek => false;
    public override bool CanWrite => writing;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Bytes; set => throw new NotSupportedException(); }

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Count(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Count(buffer.Span[..read]);
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Count(buffer);
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Count(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    private void Count(ReadOnlySpan<byte> bytes)
    {
        sha256?.AppendData(bytes);
        Bytes += bytes.Length;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            sha256?.Dispose();
        }
        base.Dispose(disposing);
    }
}
