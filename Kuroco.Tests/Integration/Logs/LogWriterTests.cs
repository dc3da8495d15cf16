using System.Diagnostics;
using Kuroco.Core.Logs;
using Kuroco.Infrastructure.Logs;
using Kuroco.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kuroco.Tests.Integration.Logs;

/// <summary>The writer never blocks or throws into the caller; the service drains in batches and flushes on shutdown.</summary>
public sealed class LogWriterTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kuroco-tests", "logs-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_full_queue_drops_and_counts_without_blocking()
    {
        var writer = new LogWriter(Options.Create(new ServerLogOptions { QueueCapacity = 100 }));

        var watch = Stopwatch.StartNew();
        var accepted = Enumerable.Range(0, 1_000).Count(i => writer.TryWrite(Entry(i)));
        watch.Stop();

        Assert.Equal(100, accepted);
        Assert.Equal(900, writer.Dropped);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"1,000 writes took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_failing_store_never_throws_into_the_caller_and_counts_the_lost_batch()
    {
        var writer = new LogWriter(Options.Create(new ServerLogOptions { QueueCapacity = 100, BatchSize = 10 }));
        var service = new LogWriterService(writer, new ThrowingStore(), Options.Create(new ServerLogOptions { BatchSize = 10 }), NullLogger<LogWriterService>.Instance);
        for (var i = 0; i < 15; i++)
        {
            Assert.True(writer.TryWrite(Entry(i)));
        }

        await service.WriteAvailableAsync([], CancellationToken.None);
        await service.WriteAvailableAsync([], CancellationToken.None);

        Assert.Equal(15, writer.Dropped);
    }

    [Fact]
    public async Task The_service_writes_in_batches_and_flushes_what_is_queued_on_shutdown()
    {
        var store = new SqliteLogStore(Path.Combine(folder, "server-logs.db"));
        var options = Options.Create(new ServerLogOptions { QueueCapacity = 10_000, BatchSize = 100 });
        var writer = new LogWriter(options);
        var service = new LogWriterService(writer, store, options, NullLogger<LogWriterService>.Instance);
        await service.StartAsync(CancellationToken.None);
        for (var i = 0; i < 50; i++)
        {
            writer.TryWrite(Entry(i));
        }
        await Eventually.GetAsync(() => store.CountAsync(LogKind.Job), n => n == 50, "the first entries are written");

        for (var i = 50; i < 1_050; i++)
        {
            writer.TryWrite(Entry(i));
        }
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(1_050, await store.CountAsync(LogKind.Job));
        Assert.Equal(0, writer.Dropped);
    }

    private static JobLogEntry Entry(int i) => new(T0, i.ToString(System.Globalization.CultureInfo.InvariantCulture), "TestJob.Run", "Succeeded", 1, null);

    private sealed class ThrowingStore : ILogStore
    {
        public Task AppendAsync(IReadOnlyList<LogEntry> entries, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("disk full");

        public Task<LogPage> ReadAsync(LogQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<StoredLogEntry> StreamAsync(LogQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<int> PurgeBatchAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<int?> GetRetentionMonthsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task SetRetentionMonthsAsync(int months, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
