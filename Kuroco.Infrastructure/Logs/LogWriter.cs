using System.Threading.Channels;
using Kuroco.Core.Logs;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Logs;

/// <summary>
/// The queue between whoever logs and the log store: a bounded channel written with TryWrite only, so a
/// request never waits for the store and never fails because of it. A full queue drops the entry and counts it.
/// <see cref="LogWriterService"/> drains it.
/// </summary>
public sealed class LogWriter : ILogWriter
{
    private readonly Channel<LogEntry> channel;
    private long dropped;

    public LogWriter(IOptions<ServerLogOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        channel = Channel.CreateBounded<LogEntry>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public long Dropped => Interlocked.Read(ref dropped);

    internal ChannelReader<LogEntry> Reader => channel.Reader;

    public bool TryWrite(LogEntry entry)
    {
        if (entry is not null && channel.Writer.TryWrite(entry))
        {
            return true;
        }
        Interlocked.Increment(ref dropped);
        return false;
    }

    internal void CountDropped(int count) => Interlocked.Add(ref dropped, count);
}
