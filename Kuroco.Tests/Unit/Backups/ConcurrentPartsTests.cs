using System.Security.Cryptography;
using Kuroco.Infrastructure.Backups;

namespace Kuroco.Tests.Unit.Backups;

/// <summary>
/// The plain local backup writes its parts side by side: one failing part stops the others and the run sees the failure
/// only once all have stopped; the media archive is flushed to disk behind its writer and still holds every byte, in the
/// same archive as the one-by-one writer produces.
/// </summary>
public sealed class ConcurrentPartsTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kuroco-tests", "parts-" + Guid.NewGuid().ToString("N"));

    public ConcurrentPartsTests() => Directory.CreateDirectory(folder);

    [Fact]
    public async Task A_failing_part_cancels_the_others_and_its_failure_is_thrown_only_after_every_part_has_stopped()
    {
        var stoppedAt = DateTime.MaxValue;
        var concurrent = new ConcurrentParts(CancellationToken.None);
        var waiting = concurrent.Start(async token =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
                return 0;
            }
            finally
            {
                // Still working a little after the cancellation (as a copy finishing its current step).
                Thread.Sleep(200);
                stoppedAt = DateTime.UtcNow;
            }
        });
        var failing = concurrent.Start<int>(async token =>
        {
            await Task.Delay(50, token);
            throw new IOException("disk full");
        });

        var thrown = await Assert.ThrowsAsync<IOException>(concurrent.WhenAllAsync);
        var seenAt = DateTime.UtcNow;

        Assert.Equal("disk full", thrown.Message);
        Assert.True(waiting.IsCanceled);
        Assert.True(failing.IsFaulted);
        Assert.True(stoppedAt <= seenAt, "the failure was seen before the other part had stopped");
        await concurrent.DisposeAsync();
    }

    [Fact]
    public async Task The_media_archive_flushed_behind_its_writer_is_the_same_archive_as_the_one_by_one_writer_makes_and_is_checked_on_re_read()
    {
        var media = Path.Combine(folder, "media");
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["ab/cd/one"] = RandomNumberGenerator.GetBytes(300_000),
            ["ab/ef/two"] = RandomNumberGenerator.GetBytes(5),
            ["cd/three"] = RandomNumberGenerator.GetBytes(150_001),
            ["tmp/upload-in-progress"] = RandomNumberGenerator.GetBytes(10),
        };
        foreach (var (name, bytes) in files)
        {
            var path = Path.Combine(media, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, bytes);
            // Later than the write, so reading the file does not move it (relatime) and both archives carry the same times.
            File.SetLastAccessTimeUtc(path, DateTime.UtcNow.AddHours(1));
        }

        // A small flush interval: several fsyncs run behind the writer while it goes on.
        var behind = Path.Combine(folder, "behind.tar");
        int flushes;
        using (var file = new FlushBehindFileStream(behind, flushEvery: 64 * 1024))
        {
            using var hashing = new HashingStream(file, writing: true);
            Assert.Equal(3, MediaArchive.Write(media, hashing, CancellationToken.None));
            hashing.Flush();
            file.Complete();
            flushes = file.FlushesBehind;
        }
        Assert.InRange(flushes, 1, 20);
        var oneByOne = new MemoryStream();
        Assert.Equal(3, await MediaArchive.WriteAsync(media, oneByOne, CancellationToken.None));
        Assert.Equal(oneByOne.ToArray(), await File.ReadAllBytesAsync(behind));

        var part = ConcurrentParts.WriteMedia(media, Path.Combine(folder, "media.tar"), CancellationToken.None);
        Assert.Equal(oneByOne.Length, part.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(oneByOne.ToArray())), part.Sha256);
        Assert.Equal(part.Sha256, part.StoredSha256);
        var extracted = Path.Combine(folder, "extracted");
        await using (var archive = File.OpenRead(Path.Combine(folder, "media.tar")))
        {
            await MediaArchive.ExtractAsync(archive, extracted, CancellationToken.None);
        }
        foreach (var (name, bytes) in files.Where(f => !f.Key.StartsWith("tmp/", StringComparison.Ordinal)))
        {
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(extracted, name)));
        }
        Assert.False(Directory.Exists(Path.Combine(extracted, "tmp")));
        // A part is never written over: a second archive at the same path is refused.
        Assert.Throws<IOException>(() => ConcurrentParts.WriteMedia(media, Path.Combine(folder, "media.tar"), CancellationToken.None));
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
