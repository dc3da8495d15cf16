using System.Diagnostics;
using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Monitoring;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Monitoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuroco.Bench;

/// <summary>
/// <c>monitoring [ROUNDS] [RULES]</c>: the sampler's overhead. Runs ROUNDS sampling rounds back to back (default 300) with
/// the real services in a temporary folder (health checks of the SQLite database, job storage, mail and backup storage;
/// process, machine and disk figures; the request metrics; the store append; the alert evaluation of RULES enabled rules,
/// default 10) and reports this process's CPU time per round, and what that is as a share of one core at one round every
/// 15 s (target &lt; 1 %). The HTTP probes are off (no server in this process); the figure for them is a separate line:
/// three loopback GETs measured against a tiny local listener.
/// </summary>
public static class MonitoringLoad
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        var ruleCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var folder = Path.Combine(Path.GetTempPath(), "kuroco-bench-monitoring-" + Guid.NewGuid().ToString("N"));
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
            await using (var scope = provider.CreateAsyncScope())
            {
                var rules = scope.ServiceProvider.GetRequiredService<IAlertRuleService>();
                for (var i = 0; i < ruleCount; i++)
                {
                    var (signal, _) = MonitoringSignalCatalog.All[i % MonitoringSignalCatalog.All.Count];
                    await rules.CreateAsync(new AlertRuleInput($"Rule {i}", signal, AlertComparison.GreaterThan, double.MaxValue / 2, 5, AlertSeverity.Warning, true));
                }
            }
            var loop = provider.GetRequiredService<MonitoringSamplerService>();

            // Warm-up: JIT, connection pools, the health-check and EF caches.
            for (var i = 0; i < 20; i++)
            {
                await loop.RunRoundAsync(CancellationToken.None);
            }
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            for (var i = 0; i < rounds; i++)
            {
                await loop.RunRoundAsync(CancellationToken.None);
            }
            wall.Stop();
            process.Refresh();
            var cpuPerRound = (process.TotalProcessorTime - cpuBefore) / rounds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{rounds} rounds, {ruleCount} rules: CPU {cpuPerRound.TotalMilliseconds:N2} ms per round, wall {wall.Elapsed.TotalMilliseconds / rounds:N2} ms per round"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"at one round every {Interval.TotalSeconds:N0} s: {cpuPerRound / Interval * 100:N3} % of one core (target < 1 %)"));
            var store = provider.GetRequiredService<SqliteMonitoringSampleStore>();
            var counts = await store.CountAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store: {counts.Raw:N0} raw samples, {new FileInfo(store.FilePath).Length / 1024.0:N0} KiB ({new FileInfo(store.FilePath).Length / (double)Math.Max(1, counts.Raw):N0} bytes per sample before compaction)"));
            await ProbeCostAsync();
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open; the temporary folder is cleaned later.
            }
        }
    }

    /// <summary>The probes' share: three GETs per round over loopback to a minimal listener (the app's own pages cost what they cost anyway).</summary>
    private static async Task ProbeCostAsync()
    {
        using var listener = new System.Net.HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serve = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                try
                {
                    var context = await listener.GetContextAsync();
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
                catch (Exception ex) when (ex is System.Net.HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
            }
        });
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var target = new Uri($"http://127.0.0.1:{port}/");
        for (var i = 0; i < 50; i++)
        {
            (await client.GetAsync(target)).Dispose();
        }
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.TotalProcessorTime;
        const int rounds = 300;
        for (var i = 0; i < rounds * 3; i++)
        {
            (await client.GetAsync(target)).Dispose();
        }
        process.Refresh();
        var perRound = (process.TotalProcessorTime - before) / rounds;
        listener.Stop();
        await serve;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"probes (3 loopback GETs, client and a minimal server): CPU {perRound.TotalMilliseconds:N2} ms per round = {perRound / Interval * 100:N3} % of one core at 15 s"));
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }

    private sealed class BenchAuditContext : IAuditContext
    {
        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(AuditActor.System);

        public AuditOrigin GetOrigin() => AuditOrigin.None;
    }
}
