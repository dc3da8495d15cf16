using Kuroco.Core.Logs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Logs;

/// <summary>
/// Drains the log queue into the store in batches, one transaction per batch. A store failure is counted
/// and reported on the console logger (this category is never written to the store itself, so a broken
/// store cannot feed itself); it never stops the loop. On shutdown what is still queued is written.
/// </summary>
public sealed partial class LogWriterService(
    LogWriter writer,
    ILogStore store,
    IOptions<ServerLogOptions> options,
    ILogger<LogWriterService> logger,
    LogExportForwarder? forwarder = null) : BackgroundService
{
    private readonly int batchSize = options.Value.BatchSize;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<LogEntry>(batchSize);
        try
        {
            while (await writer.Reader.WaitToReadAsync(stoppingToken))
            {
                await WriteAvailableAsync(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: StopAsync writes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var batch = new List<LogEntry>(batchSize);
        while (!cancellationToken.IsCancellationRequested && writer.Reader.TryPeek(out _))
        {
            await WriteAvailableAsync(batch, cancellationToken);
        }
    }

    /// <summary>Writes what is queued, up to one batch at a time (tests and the bench call it directly).</summary>
    internal async Task WriteAvailableAsync(List<LogEntry> batch, CancellationToken cancellationToken)
    {
        batch.Clear();
        while (batch.Count < batchSize && writer.Reader.TryRead(out var entry))
        {
            batch.Add(entry);
        }
        if (batch.Count == 0)
        {
            return;
        }
        forwarder?.Forward(batch);
        try
        {
            await store.AppendAsync(batch, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            writer.CountDropped(batch.Count);
            LogStoreFailed(logger, batch.Count, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The server-log store refused a batch of {Count} entries; they are lost.")]
    private static partial void LogStoreFailed(ILogger logger, int count, Exception exception);
}
