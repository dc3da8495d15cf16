using System.Diagnostics;
using System.Globalization;
using Kuroco.Core.Logs;
using Kuroco.Infrastructure.Logs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kuroco.Bench;

/// <summary>
/// <c>serverlogs [ENTRIES]</c>: the server-log store and writer in a temporary folder.
/// 1. store append throughput (batches of 500, one transaction each), entries/s;
/// 2. end to end: 2 producers TryWrite while the writer service drains into the file, entries/s and drops;
/// 3. the caller's cost of one TryWrite (what a request pays) with the real store and with a store that takes
///    200 ms per batch: it must stay about the same (a slow store fills the queue and drops, it never blocks).
/// </summary>
public static class ServerLogLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var entries = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        var folder = Path.Combine(Path.GetTempPath(), "kuroco-bench-logs-" + Guid.NewGuid().ToString("N"));
        try
        {
            await AppendThroughputAsync(Path.Combine(folder, "append.db"), entries);
            await EndToEndAsync(Path.Combine(folder, "burst.db"), entries, retry: false);
            await EndToEndAsync(Path.Combine(folder, "sustained.db"), entries, retry: true);
            await CallerCostAsync(Path.Combine(folder, "fast.db"), slow: false);
            await CallerCostAsync(Path.Combine(folder, "slow.db"), slow: true);
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ApplicationLogEntry Entry(int i) => new(
        DateTimeOffset.UtcNow, "Information", "Kuroco.Bench.ServerLogs",
        string.Create(CultureInfo.InvariantCulture, $"Request {i} finished in {i % 97} ms for /content/items/{i % 5000}"),
        null, "4bf92f3577b34da6a3ce929d0e0e4736", "editor@example.com");

    private static async Task AppendThroughputAsync(string path, int entries)
    {
        var store = new SqliteLogStore(path);
        await store.AppendAsync([Entry(-1)]);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < entries; i += 500)
        {
            await store.AppendAsync([.. Enumerable.Range(i, Math.Min(500, entries - i)).Select(Entry)]);
        }
        watch.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"store append: {entries:N0} entries in {watch.Elapsed.TotalSeconds:F2} s = {entries / watch.Elapsed.TotalSeconds:N0} entries/s"));
    }

    private static async Task EndToEndAsync(string path, int entries, bool retry)
    {
        var store = new SqliteLogStore(path);
        await store.AppendAsync([Entry(-1)]);
        var options = Options.Create(new ServerLogOptions());
        var writer = new LogWriter(options);
        var service = new LogWriterService(writer, store, options, NullLogger<LogWriterService>.Instance);
        await service.StartAsync(CancellationToken.None);
        var watch = Stopwatch.StartNew();
        var accepted = 0L;
        await Task.WhenAll(Enumerable.Range(0, 2).Select(p => Task.Run(() =>
        {
            for (var i = p; i < entries; i += 2)
            {
                var entry = Entry(i);
                while (!writer.TryWrite(entry) && retry)
                {
                    // Sustained: the producer waits for room (a real caller never does; this measures the writer).
                    Thread.Sleep(0);
                }
                Interlocked.Increment(ref accepted);
            }
        })));
        var produced = watch.Elapsed;
        await service.StopAsync(CancellationToken.None);
        watch.Stop();
        var stored = await store.CountAsync(LogKind.Application) - 1;
        var counts = retry
            ? string.Create(CultureInfo.InvariantCulture, $"{writer.Dropped:N0} refused writes retried")
            : string.Create(CultureInfo.InvariantCulture, $"{accepted - writer.Dropped:N0} accepted, {writer.Dropped:N0} dropped");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(retry ? "sustained" : "burst")} (2 producers, queue {options.Value.QueueCapacity:N0}, batches {options.Value.BatchSize}): {entries:N0} offered in {produced.TotalSeconds:F2} s, {counts}, {stored:N0} stored after {watch.Elapsed.TotalSeconds:F2} s = {stored / watch.Elapsed.TotalSeconds:N0} entries/s written"));
    }

    private static async Task CallerCostAsync(string path, bool slow)
    {
        ILogStore store = new SqliteLogStore(path);
        if (slow)
        {
            store = new SlowStore(store, TimeSpan.FromMilliseconds(200));
        }
        var options = Options.Create(new ServerLogOptions());
        var writer = new LogWriter(options);
        var service = new LogWriterService(writer, store, options, NullLogger<LogWriterService>.Instance);
        await service.StartAsync(CancellationToken.None);
        // A request-like pace: 20 entries, then a short pause, for 5 s; each TryWrite is timed.
        var samples = new List<double>(200_000);
        var until = Stopwatch.StartNew();
        var i = 0;
        while (until.Elapsed < TimeSpan.FromSeconds(5))
        {
            for (var k = 0; k < 20; k++)
            {
                var entry = Entry(i++);
                var start = Stopwatch.GetTimestamp();
                writer.TryWrite(entry);
                samples.Add((Stopwatch.GetTimestamp() - start) * 1_000_000.0 / Stopwatch.Frequency);
            }
            await Task.Delay(1);
        }
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await service.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        samples.Sort();
        double P(double q) => samples[(int)Math.Min(samples.Count - 1, q * samples.Count)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"caller cost, {(slow ? "store taking 200 ms per batch" : "real store")}: {samples.Count:N0} writes, p50 {P(0.5):F3} µs, p99 {P(0.99):F3} µs, max {samples[^1]:F1} µs, {writer.Dropped:N0} dropped"));
    }

    private sealed class SlowStore(ILogStore inner, TimeSpan delay) : ILogStore
    {
        public async Task AppendAsync(IReadOnlyList<LogEntry> entries, CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, cancellationToken);
            await inner.AppendAsync(entries, cancellationToken);
        }

        public Task<LogPage> ReadAsync(LogQuery query, CancellationToken cancellationToken = default) => inner.ReadAsync(query, cancellationToken);

        public IAsyncEnumerable<StoredLogEntry> StreamAsync(LogQuery query, CancellationToken cancellationToken = default) => inner.StreamAsync(query, cancellationToken);

        public Task<int> PurgeBatchAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken = default) => inner.PurgeBatchAsync(cutoff, batchSize, cancellationToken);

        public Task<int?> GetRetentionMonthsAsync(CancellationToken cancellationToken = default) => inner.GetRetentionMonthsAsync(cancellationToken);

        public Task SetRetentionMonthsAsync(int months, CancellationToken cancellationToken = default) => inner.SetRetentionMonthsAsync(months, cancellationToken);
    }
}
