using System.IO.Pipelines;

namespace Kuroco.Infrastructure.Backups;

/// <summary>
/// One stage of a decode pipeline: <c>produce</c> runs on the thread pool and writes into a bounded in-memory pipe (at most
/// a few MiB ahead), and this stream reads what it wrote, so two CPU-heavy steps (decrypt | decompress | hash and write)
/// run on two cores at once instead of one after the other. An exception of the producer is thrown, as it is, by the
/// reader's next read; disposing stops the producer and waits for it.
/// </summary>
internal sealed class BackupPipelineStage : Stream
{
    private static readonly PipeOptions Options = new(
        pauseWriterThreshold: 8 * 1024 * 1024, resumeWriterThreshold: 4 * 1024 * 1024, minimumSegmentSize: 1024 * 1024,
        useSynchronizationContext: false);

    private readonly Pipe pipe = new(Options);
    private readonly CancellationTokenSource stop;
    private readonly Stream reader;
    private readonly Task producer;
    private bool disposed;

    private BackupPipelineStage(Func<Stream, CancellationToken, Task> produce, CancellationToken cancellationToken)
    {
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        reader = pipe.Reader.AsStream(leaveOpen: true);
        var token = stop.Token;
        producer = Task.Run(async () =>
        {
            try
            {
                await using (var output = new StageOutput(pipe.Writer, token))
                {
                    await produce(output, token);
                }
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception ex)
            {
                await pipe.Writer.CompleteAsync(ex);
            }
        }, CancellationToken.None);
    }

    /// <summary>Starts <paramref name="produce"/> on another thread; read its output from the returned stream.</summary>
    public static BackupPipelineStage Start(Func<Stream, CancellationToken, Task> produce, CancellationToken cancellationToken) =>
        new(produce, cancellationToken);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count) => reader.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => reader.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        reader.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        reader.ReadAsync(buffer, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        if (!disposed)
        {
            disposed = true;
            // The reader is done (at the end, or failing): stop the producer if it still runs, and wait for it, so no
            // thread still reads the source or writes a buffer after the caller closed its files.
            await stop.CancelAsync();
            await pipe.Reader.CompleteAsync();
            await producer;
            await reader.DisposeAsync();
            stop.Dispose();
        }
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !disposed)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// The producer's side: writes into the pipe (waiting while the reader is a few MiB behind) and throws once the reader
    /// is gone or the stage is stopped, so a producer never goes on writing into a pipe nobody reads.
    /// </summary>
    private sealed class StageOutput(PipeWriter writer, CancellationToken token) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
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

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            token.ThrowIfCancellationRequested();
            var result = await writer.WriteAsync(buffer, token);
            if (result.IsCompleted || result.IsCanceled)
            {
                throw new OperationCanceledException("The reader of this pipeline stage has stopped.", token);
            }
        }
    }
}
