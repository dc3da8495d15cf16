using System.Diagnostics;
using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Monitoring;
using Kuroco.Core.Sla;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Monitoring;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuroco.Bench;

/// <summary>
/// <c>sla</c>: the SLA month computation from 13 months of samples (target &lt; 200 ms for one month). Fills a temporary
/// monitoring store as compaction leaves it — the liveness signals as hourly aggregates beyond 90 days, minutely beyond
/// 7 days, raw every 15 s within; the availability minutes (never downsampled) for all 13 months with a few outages and
/// a silent stretch — then times ISlaService.GetMonthAsync (the real service: settings and maintenance windows from the
/// main SQLite database, minutes from the store, SlaCalculator) for the current month and each of the 12 past months,
/// and GetMonthsAsync(13) once, reporting wall and CPU time of each.
/// </summary>
public static class SlaLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        _ = args;
        var folder = Path.Combine(Path.GetTempPath(), "kuroco-bench-sla-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:DataPath"] = folder,
                ["Database:Provider"] = "Sqlite",
                ["Kuroco:Jobs:RunServer"] = "false",
                ["Monitoring:Enabled"] = "false",
                ["Monitoring:Probes:Enabled"] = "false",
            }).Build();
            var services = new ServiceCollection();
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
            services.AddMetrics();
            services.AddSingleton<IConfiguration>(configuration);
            services.AddInfrastructure(configuration, folder);
            services.AddScoped<IAuditContext, BenchAuditContext>();
            await using var provider = services.BuildServiceProvider();
            await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync();

            var store = provider.GetRequiredService<SqliteMonitoringSampleStore>();
            var now = DateTimeOffset.UtcNow;
            var fill = Stopwatch.StartNew();
            var since = await FillAsync(store, now);
            fill.Stop();
            var counts = await store.CountAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store filled in {fill.Elapsed.TotalSeconds:N1} s: {counts.Raw:N0} raw, {counts.Minute:N0} minute, {counts.Hour:N0} hour, {counts.Availability:N0} availability rows, {new FileInfo(store.FilePath).Length / 1048576.0:N1} MB"));

            await using var scope = provider.CreateAsyncScope();
            var sla = scope.ServiceProvider.GetRequiredService<ISlaService>();
            var zone = TimeZoneInfo.FindSystemTimeZoneById((await sla.GetSettingsAsync()).CompanyTimeZone);
            var (year, month) = SlaCalculator.MonthOf(now, zone);
            var current = new DateOnly(year, month, 1);
            // Warm-up: JIT, connection pools, EF's model.
            await sla.GetMonthAsync(current.AddMonths(-1).Year, current.AddMonths(-1).Month);

            using var process = Process.GetCurrentProcess();
            var worst = TimeSpan.Zero;
            for (var i = 0; i < 13; i++)
            {
                var m = current.AddMonths(-i);
                var (result, wall, cpu) = await TimeAsync(process, () => sla.GetMonthAsync(m.Year, m.Month));
                worst = wall > worst ? wall : worst;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{m:yyyy-MM}{(i == 0 ? " (current)" : "")}: wall {wall.TotalMilliseconds,6:N1} ms, CPU {cpu.TotalMilliseconds,6:N1} ms — {result.CountedMinutes:N0} counted, {result.DownMinutes} down, {result.AvailabilityPercent:N3} %"));
            }
            var (months, allWall, allCpu) = await TimeAsync(process, () => sla.GetMonthsAsync(13));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"GetMonthsAsync(13): wall {allWall.TotalMilliseconds:N1} ms, CPU {allCpu.TotalMilliseconds:N1} ms for {months.Count} months"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"slowest single month: {worst.TotalMilliseconds:N1} ms wall (target < 200 ms); monitoring since {since:yyyy-MM-dd HH:mm} UTC"));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is harmless.
            }
        }
    }

    private static async Task<(T Result, TimeSpan Wall, TimeSpan Cpu)> TimeAsync<T>(Process process, Func<Task<T>> action)
    {
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var result = await action();
        wall.Stop();
        process.Refresh();
        return (result, wall.Elapsed, process.TotalProcessorTime - cpuBefore);
    }

    /// <summary>13 months as compaction leaves them; returns when monitoring started.</summary>
    private static async Task<DateTimeOffset> FillAsync(SqliteMonitoringSampleStore store, DateTimeOffset now)
    {
        await store.CountAsync(); // creates the schema
        var since = new DateTimeOffset(now.UtcDateTime.AddMonths(-SqliteMonitoringSampleStore.MonthsKept).Date, TimeSpan.Zero);
        var random = new Random(14);
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store.FilePath }.ToString());
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();

        // Availability minutes: 4 probes a minute; about 20 down minutes a month in short outages, one silent hour.
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO availability_minute(minute, probes, app_down, db_down) VALUES ($m, 4, $a, $d)";
            var m = insert.Parameters.Add("$m", SqliteType.Integer);
            var a = insert.Parameters.Add("$a", SqliteType.Integer);
            var d = insert.Parameters.Add("$d", SqliteType.Integer);
            var total = (int)((now - since).Ticks / TimeSpan.TicksPerMinute);
            var silentFrom = total / 2;
            var outage = 0;
            for (var i = 0; i < total; i++)
            {
                if (i >= silentFrom && i < silentFrom + 60)
                {
                    continue;
                }
                if (outage == 0 && random.Next(11_000) == 0)
                {
                    outage = random.Next(2, 15);
                }
                var down = outage > 0;
                outage = Math.Max(0, outage - 1);
                m.Value = since.AddMinutes(i).UtcTicks;
                a.Value = down ? 4 : 0;
                d.Value = down && i % 2 == 0 ? 3 : 0;
                await insert.ExecuteNonQueryAsync();
            }
        }

        // The liveness signals' own samples at the resolution each age keeps.
        string[] signals = [MonitoringSignals.AppUp, MonitoringSignals.DatabaseUp, MonitoringSignals.DatabaseLatency];
        await InsertAggregatesAsync(connection, transaction, "samples_hour", signals, since, now - SqliteMonitoringSampleStore.MinutesKept, TimeSpan.FromHours(1), 240);
        await InsertAggregatesAsync(connection, transaction, "samples_minute", signals, now - SqliteMonitoringSampleStore.MinutesKept, now - SqliteMonitoringSampleStore.RawKept, TimeSpan.FromMinutes(1), 4);
        await using (var raw = connection.CreateCommand())
        {
            raw.Transaction = transaction;
            raw.CommandText = "INSERT INTO samples(signal, at, value) VALUES ($s, $at, $v)";
            var s = raw.Parameters.Add("$s", SqliteType.Text);
            var at = raw.Parameters.Add("$at", SqliteType.Integer);
            var v = raw.Parameters.Add("$v", SqliteType.Real);
            for (var t = now - SqliteMonitoringSampleStore.RawKept; t < now; t = t.AddSeconds(15))
            {
                foreach (var signal in signals)
                {
                    s.Value = signal;
                    at.Value = t.UtcTicks;
                    v.Value = signal == MonitoringSignals.DatabaseLatency ? 1 + random.NextDouble() : 1;
                    await raw.ExecuteNonQueryAsync();
                }
            }
        }
        await transaction.CommitAsync();
        await store.SetMonitoringSinceAsync(since);
        return since;
    }

    private static async Task InsertAggregatesAsync(SqliteConnection connection, SqliteTransaction transaction, string table, string[] signals,
        DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, int count)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT OR IGNORE INTO {table}(signal, at, min, avg, max, count) VALUES ($s, $at, $min, $avg, $max, $c)";
        var s = insert.Parameters.Add("$s", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var min = insert.Parameters.Add("$min", SqliteType.Real);
        var avg = insert.Parameters.Add("$avg", SqliteType.Real);
        var max = insert.Parameters.Add("$max", SqliteType.Real);
        insert.Parameters.AddWithValue("$c", count);
        var start = new DateTimeOffset(from.UtcTicks / bucket.Ticks * bucket.Ticks, TimeSpan.Zero);
        for (var t = start; t < to; t += bucket)
        {
            foreach (var signal in signals)
            {
                var latency = signal == MonitoringSignals.DatabaseLatency;
                s.Value = signal;
                at.Value = t.UtcTicks;
                min.Value = latency ? 0.8 : 1;
                avg.Value = latency ? 1.4 : 1;
                max.Value = latency ? 9.5 : 1;
                await insert.ExecuteNonQueryAsync();
            }
        }
    }

    private sealed class BenchAuditContext : IAuditContext
    {
        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(AuditActor.System);

        public AuditOrigin GetOrigin() => AuditOrigin.None;
    }
}
