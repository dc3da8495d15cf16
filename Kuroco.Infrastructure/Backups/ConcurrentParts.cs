using Microsoft.Win32.SafeHandles;

namespace Kuroco.Infrastructure.Backups;

/// <summary>
/// Parts of one generation written side by side, each on a thread of its own (the SQLite calls and the file work block,
/// and must not hold the app's few pool threads for seconds). The first part to fail cancels the others; nothing returns
/// (neither <see cref="WhenAllAsync"/> nor <see cref="DisposeAsync"/>) before every started part has stopped, so no part
/// writes into the generation's temporary folder once the run unwinds and removes it.
/// </summary>
internal sealed class ConcurrentParts(CancellationToken cancellationToken) : IAsyncDisposable
{
    private readonly CancellationTokenSource failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    private readonly List<Task> started = [];

    /// <summary>Runs <paramref name="work"/> on its own thread with a token that is cancelled when any part fails.</summary>
    public Task<T> Start<T>(Func<CancellationToken, Task<T>> work)
    {
        var token = failure.Token;
        var task = Task.Factory.StartNew(async () =>
        {
            try
            {
                return await work(token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The other parts stop at their next check; the generation is rolled back as a whole.
                await failure.CancelAsync();
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        started.Add(task);
        return task;
    }

    /// <summary>Waits for every part; throws the first failure (a part's own, not the cancellation it caused in the others).</summary>
    public Task WhenAllAsync() => Task.WhenAll(started);

    /// <summary>
    /// The result of one part the run needs before it goes on. When that part was cancelled because another one failed,
    /// that other failure is thrown (after every part has stopped), not the cancellation.
    /// </summary>
    public async Task<T> ResultAsync<T>(Task<T> part)
    {
        try
        {
            return await part;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await WhenAllAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await failure.CancelAsync();
        await Task.WhenAll(started).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        failure.Dispose();
    }

    /// <summary>fsync of one written file (its bytes go to disk while the other parts still work).</summary>
    public static void FlushFile(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>
    /// The media archive of a plain local generation: written at <paramref name="path"/> (hashed on the way, flushed to disk
    /// behind the writer), then re-read once from storage and compared with what was written.
    /// </summary>
    public static EncodedPart WriteMedia(string mediaRoot, string path, CancellationToken cancellationToken)
    {
        EncodedPart written;
        using (var file = new FlushBehindFileStream(path))
        {
            using var hashing = new HashingStream(file, writing: true);
            MediaArchive.Write(mediaRoot, hashing, cancellationToken);
            hashing.Flush();
            file.Complete();
            var hash = hashing.Hash();
            written = new EncodedPart(hashing.Bytes, hash, hashing.Bytes, hash);
        }
        var reread = BackupCodec.HashFile(path, cancellationToken);
        if (reread.Length != written.Length || !string.Equals(reread.Sha256, written.Sha256, StringComparison.Ordinal))
        {
            throw new BackupIntegrityException($"{BackupObjects.Media} does not read back as it was written");
        }
        return written;
    }
}

/// <summary>
/// A new file written through a 1 MiB buffer whose bytes are flushed to disk behind the writer: every 64 MiB an fsync is
/// started on the pool (when the previous one has finished), so the disk writes while the CPU reads and hashes the next
/// files, and <see cref="Complete"/> (the part's fsync) finds little left to write.
/// </summary>
internal sealed class FlushBehindFileStream : Stream
{
    private readonly long flushEvery;
    private readonly SafeFileHandle handle;
    private readonly FileStream file;
    private long sinceFlush;
    private Task pending = Task.CompletedTask;

    public FlushBehindFileStream(string path, long flushEvery = 64L * 1024 * 1024)
    {
        this.flushEvery = flushEvery;
        handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        file = new FileStream(handle, FileAccess.Write, BackupCodec.BufferSize);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => file.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        file.Write(buffer);
        sinceFlush += buffer.Length;
        if (sinceFlush >= flushEvery && pending.IsCompleted)
        {
            // A failed flush fails the part here.
            pending.GetAwaiter().GetResult();
            file.Flush();
            pending = Task.Run(() => RandomAccess.FlushToDisk(handle));
            sinceFlush = 0;
            FlushesBehind++;
        }
    }

    /// <summary>How many fsyncs were started behind the writer so far.</summary>
    public int FlushesBehind { get; private set; }

    /// <summary>Writes what is buffered and returns once every byte of the file is on disk.</summary>
    public void Complete()
    {
        file.Flush();
        pending.GetAwaiter().GetResult();
        RandomAccess.FlushToDisk(handle);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Never close the handle under a running fsync.
            pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing).GetAwaiter().GetResult();
            file.Dispose();
            handle.Dispose();
        }
        base.Dispose(disposing);
    }
}
