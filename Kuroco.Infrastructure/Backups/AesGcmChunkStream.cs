using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Kuroco.Infrastructure.Backups;

/// <summary>
/// The encrypted part format: a 12-byte header ("KBK1" and an 8-byte random prefix), then chunks of at most 1 MiB, each
/// <c>[flag:1][length:4 LE][ciphertext][tag:16]</c>. The nonce is the prefix and the chunk counter (big-endian); the
/// associated data is the header, the chunk index and the final flag, so a reordered, dropped, appended or truncated
/// chunk fails authentication or is reported as truncated.
/// </summary>
internal static class AesGcmChunkFormat
{
    public const int ChunkSize = 1024 * 1024;
    public const int TagSize = 16;
    public const int PrefixSize = 8;
    public const int HeaderSize = 4 + PrefixSize;
    public const int ChunkHeaderSize = 5;
    public static ReadOnlySpan<byte> Magic => "KBK1"u8;

    public static void Nonce(ReadOnlySpan<byte> header, long index, Span<byte> nonce)
    {
        header.Slice(4, PrefixSize).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[PrefixSize..], checked((uint)index));
    }

    public static byte[] AssociatedData(ReadOnlySpan<byte> header, long index, bool final)
    {
        var data = new byte[HeaderSize + 9];
        header.CopyTo(data);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(HeaderSize), index);
        data[^1] = final ? (byte)1 : (byte)0;
        return data;
    }
}

/// <summary>Encrypts what is written to it; dispose to write the final chunk.</summary>
internal sealed class AesGcmChunkWriter : Stream
{
    private readonly Stream inner;
    private readonly AesGcm aes;
    private readonly byte[] header = new byte[AesGcmChunkFormat.HeaderSize];
    private readonly byte[] buffer = new byte[AesGcmChunkFormat.ChunkSize];
    private readonly byte[] output = new byte[AesGcmChunkFormat.ChunkHeaderSize + AesGcmChunkFormat.ChunkSize + AesGcmChunkFormat.TagSize];
    private int filled;
    private long index;
    private bool headerWritten;
    private bool finished;

    public AesGcmChunkWriter(Stream inner, byte[] key)
    {
        this.inner = inner;
        aes = new AesGcm(key, AesGcmChunkFormat.TagSize);
        AesGcmChunkFormat.Magic.CopyTo(header);
        RandomNumberGenerator.Fill(header.AsSpan(4));
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !finished;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(finished, this);
        while (data.Length > 0)
        {
            if (filled == buffer.Length)
            {
                // Only now is it known that this chunk is not the last one.
                await EmitAsync(final: false, cancellationToken);
            }
            var take = Math.Min(data.Length, buffer.Length - filled);
            data.Span[..take].CopyTo(buffer.AsSpan(filled));
            filled += take;
            data = data[take..];
        }
    }

    private async ValueTask EmitAsync(bool final, CancellationToken cancellationToken)
    {
        if (!headerWritten)
        {
            await inner.WriteAsync(header, cancellationToken);
            headerWritten = true;
        }
        Span<byte> nonce = stackalloc byte[12];
        AesGcmChunkFormat.Nonce(header, index, nonce);
        output[0] = final ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(output.AsSpan(1), filled);
        var cipher = output.AsSpan(AesGcmChunkFormat.ChunkHeaderSize, filled);
        var tag = output.AsSpan(AesGcmChunkFormat.ChunkHeaderSize + filled, AesGcmChunkFormat.TagSize);
        aes.Encrypt(nonce, buffer.AsSpan(0, filled), cipher, tag, AesGcmChunkFormat.AssociatedData(header, index, final));
        await inner.WriteAsync(output.AsMemory(0, AesGcmChunkFormat.ChunkHeaderSize + filled + AesGcmChunkFormat.TagSize), cancellationToken);
        index++;
        filled = 0;
    }

    public override async ValueTask DisposeAsync()
    {
        if (!finished)
        {
            await EmitAsync(final: true, CancellationToken.None);
            finished = true;
            aes.Dispose();
        }
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !finished)
        {
            EmitAsync(final: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            finished = true;
            aes.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>Decrypts and authenticates chunk by chunk; throws <see cref="BackupIntegrityException"/> on any tampering.</summary>
internal sealed class AesGcmChunkReader(Stream inner, byte[] key) : Stream
{
    private readonly AesGcm aes = new(key, AesGcmChunkFormat.TagSize);
    private readonly byte[] header = new byte[AesGcmChunkFormat.HeaderSize];
    private readonly byte[] cipher = new byte[AesGcmChunkFormat.ChunkSize + AesGcmChunkFormat.TagSize];
    private readonly byte[] plain = new byte[AesGcmChunkFormat.ChunkSize];
    private int available;
    private int position;
    private long index;
    private bool started;
    private bool ended;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (position == available)
        {
            if (ended)
            {
                return 0;
            }
            await NextChunkAsync(cancellationToken);
        }
        var take = Math.Min(destination.Length, available - position);
        plain.AsSpan(position, take).CopyTo(destination.Span);
        position += take;
        return take;
    }

    private async Task NextChunkAsync(CancellationToken cancellationToken)
    {
        if (!started)
        {
            await ReadExactlyOrThrowAsync(header, cancellationToken);
            if (!header.AsSpan(0, 4).SequenceEqual(AesGcmChunkFormat.Magic))
            {
                throw new BackupIntegrityException("not an encrypted backup part (bad header)");
            }
            started = true;
        }
        var chunkHeader = new byte[AesGcmChunkFormat.ChunkHeaderSize];
        await ReadExactlyOrThrowAsync(chunkHeader, cancellationToken);
        var final = chunkHeader[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new BackupIntegrityException($"chunk {index}: bad flag"),
        };
        var length = BinaryPrimitives.ReadInt32LittleEndian(chunkHeader.AsSpan(1));
        if (length is < 0 or > AesGcmChunkFormat.ChunkSize)
        {
            throw new BackupIntegrityException($"chunk {index}: bad length");
        }
        await ReadExactlyOrThrowAsync(cipher.AsMemory(0, length + AesGcmChunkFormat.TagSize), cancellationToken);
        var nonce = new byte[12];
        AesGcmChunkFormat.Nonce(header, index, nonce);
        try
        {
            aes.Decrypt(nonce, cipher.AsSpan(0, length), cipher.AsSpan(length, AesGcmChunkFormat.TagSize), plain.AsSpan(0, length),
                AesGcmChunkFormat.AssociatedData(header, index, final));
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new BackupIntegrityException($"chunk {index} failed authentication (damaged, reordered or a different key)", ex);
        }
        available = length;
        position = 0;
        index++;
        if (final)
        {
            var probe = new byte[1];
            if (await inner.ReadAsync(probe, cancellationToken) != 0)
            {
                throw new BackupIntegrityException("data after the final chunk");
            }
            ended = true;
        }
    }

    private async Task ReadExactlyOrThrowAsync(Memory<byte> target, CancellationToken cancellationToken)
    {
        try
        {
            await inner.ReadExactlyAsync(target, cancellationToken);
        }
        catch (EndOfStreamException ex)
        {
            throw new BackupIntegrityException("the encrypted part is truncated", ex);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            aes.Dispose();
        }
        base.Dispose(disposing);
    }
}
