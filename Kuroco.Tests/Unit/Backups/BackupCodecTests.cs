using System.Security.Cryptography;
using System.Text;
using Kuroco.Core.Backups;
using Kuroco.Infrastructure.Backups;

namespace Kuroco.Tests.Unit.Backups;

/// <summary>
/// The part codec read back through the decode pipeline (read + decrypt | decompress | hash + write on separate threads):
/// every codec a generation can have been written with comes back byte for byte, and any damage to the stored object is
/// refused, also now that an encrypted part's stored bytes are authenticated by AES-GCM alone (no second SHA-256).
/// </summary>
public sealed class BackupCodecTests
{
    public static TheoryData<BackupCompression, bool> Codecs => new()
    {
        { BackupCompression.None, false },
        { BackupCompression.GZip, false },
        { BackupCompression.Brotli, false },
        { BackupCompression.None, true },
        { BackupCompression.GZip, true },
        { BackupCompression.Brotli, true },
    };

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task A_part_reads_back_through_the_pipeline_and_a_flipped_truncated_or_extended_stored_object_is_refused(BackupCompression compression, bool encrypted)
    {
        // About 3 MB of text that compresses to about half: more than one 1 MiB AES-GCM chunk either way.
        var plain = Encoding.ASCII.GetBytes(Convert.ToHexString(RandomNumberGenerator.GetBytes(1536 * 1024)));
        var settings = new BackupCodecSettings(compression, encrypted ? BackupKey.From(RandomNumberGenerator.GetBytes(32)) : null);
        using var written = new MemoryStream();
        var encoded = await BackupCodec.EncodeAsync((output, ct) => output.WriteAsync(plain, ct).AsTask(), written, settings, CancellationToken.None);
        var stored = written.ToArray();
        var part = new BackupPart("database.db", BackupPartKinds.Database, encoded.Length, encoded.Sha256, encoded.StoredLength, encoded.StoredSha256!);
        Assert.Equal(plain.Length, encoded.Length);
        Assert.Equal(stored.Length, encoded.StoredLength);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(plain)), encoded.Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(stored)), encoded.StoredSha256);

        // Into a file-like stream and to nowhere (a check): the same bytes, sizes and hashes.
        using (var back = new MemoryStream())
        {
            var read = await BackupCodec.DecodeAsync(new MemoryStream(stored), back, settings, CancellationToken.None);
            Assert.Equal(plain, back.ToArray());
            Assert.Equal(encoded.Sha256, read.Sha256);
            Assert.Equal(encoded.StoredLength, read.StoredLength);
            // An encrypted part's stored bytes are authenticated by AES-GCM, not hashed a second time.
            Assert.Equal(encrypted ? null : encoded.StoredSha256, read.StoredSha256);
        }
        await BackupPartReader.ReadAsync(new MemoryStream(stored), part, settings, Stream.Null, CancellationToken.None);

        foreach (var position in new[] { 0, 7, stored.Length / 3, stored.Length / 2, stored.Length - 20, stored.Length - 1 })
        {
            var damaged = (byte[])stored.Clone();
            damaged[position] ^= 0x01;
            var flipped = await Assert.ThrowsAsync<BackupIntegrityException>(() =>
                BackupPartReader.ReadAsync(new MemoryStream(damaged), part, settings, new MemoryStream(), CancellationToken.None));
            Assert.StartsWith("database.db: ", flipped.Message, StringComparison.Ordinal);
        }
        await Assert.ThrowsAsync<BackupIntegrityException>(() =>
            BackupPartReader.ReadAsync(new MemoryStream(stored[..^100]), part, settings, Stream.Null, CancellationToken.None));
        await Assert.ThrowsAsync<BackupIntegrityException>(() =>
            BackupPartReader.ReadAsync(new MemoryStream([.. stored, 0x00]), part, settings, Stream.Null, CancellationToken.None));
    }

    [Fact]
    public async Task A_pipeline_stage_hands_its_failure_to_the_reader_as_it_is_and_stops_its_producer_when_disposed()
    {
        await using (var failing = BackupPipelineStage.Start(async (output, ct) =>
        {
            await output.WriteAsync(new byte[10], ct);
            throw new BackupIntegrityException("chunk 3 failed authentication");
        }, CancellationToken.None))
        {
            var error = await Assert.ThrowsAsync<BackupIntegrityException>(() => failing.CopyToAsync(Stream.Null));
            Assert.Equal("chunk 3 failed authentication", error.Message);
        }

        // A reader that stops early (its own write failed): disposing cancels the producer and waits for it to end.
        var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var endless = BackupPipelineStage.Start(async (output, ct) =>
        {
            try
            {
                var block = new byte[64 * 1024];
                while (true)
                {
                    await output.WriteAsync(block, ct);
                }
            }
            finally
            {
                stopped.SetResult(true);
            }
        }, CancellationToken.None);
        var buffer = new byte[1024];
        Assert.True(await endless.ReadAsync(buffer) > 0);
        await endless.DisposeAsync();
        Assert.True(stopped.Task.IsCompleted);
    }
}
