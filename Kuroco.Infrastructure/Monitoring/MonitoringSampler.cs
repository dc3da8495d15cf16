using System.Diagnostics;
using System.Globalization;
using Kuroco.Core.Monitoring;
using Kuroco.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Monitoring;

/// <summary>
/// One sampling round: the registered health checks of the dependencies (liveness and latency), the HTTP probes through
/// the app's own address, process and machine figures, and the server's request metrics since the previous round.
/// A failing part records "down" (or nothing, for a figure that cannot be read); it never throws.
/// </summary>
public sealed partial class MonitoringSampler(
    HealthCheckService health,
    IHttpClientFactory httpClients,
    HttpServerMetrics http,
    IOptions<MonitoringOptions> options,
    IOptions<StorageOptions> storage,
    TimeProvider clock,
    ILogger<MonitoringSampler> logger,
    IServer? server = null)
{
    public const string ProbeClientName = "Kuroco.Monitoring.Probes";

    private static readonly HashSet<string> CheckedDependencies =
        new(["database", "jobs", MailProviderHealthCheck.Name, BackupStorageHealthCheck.Name], StringComparer.Ordinal);

    private readonly Lock cpuGate = new();
    private TimeSpan lastCpu = CurrentCpu();
    private long lastCpuTimestamp = Stopwatch.GetTimestamp();

    /// <summary>Takes one round of samples, all stamped with the round's time.</summary>
    public async Task<IReadOnlyList<MonitoringSample>> SampleAsync(CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        var samples = new List<MonitoringSample>(20);
        void Add(string signal, double value) => samples.Add(new MonitoringSample(signal, at, value));

        await SampleDependenciesAsync(Add, cancellationToken);
        var settings = options.Value.Probes;
        if (settings.Enabled && ProbeBase() is { } baseAddress)
        {
            var console = await ProbeAsync(baseAddress, settings.ConsolePath, cancellationToken);
            Add(MonitoringSignals.AppUp, console.Up ? 1 : 0);
            Add(MonitoringSignals.ProbeConsole, console.Milliseconds);
            var api = await ProbeAsync(baseAddress, settings.ApiPath, cancellationToken);
            Add(MonitoringSignals.ProbeDeliveryApi, api.Milliseconds);
            var ready = await ProbeAsync(baseAddress, settings.HealthPath, cancellationToken);
            Add(MonitoringSignals.ProbeHealth, ready.Milliseconds);
        }
        else
        {
            // No probe: the process that samples is up.
            Add(MonitoringSignals.AppUp, 1);
        }
        SampleProcess(Add);
        var metrics = http.TakeSnapshot();
        Add(MonitoringSignals.RequestRate, Math.Round(metrics.RequestsPerSecond, 3));
        Add(MonitoringSignals.ErrorRate, Math.Round(metrics.ErrorsPerSecond, 3));
        if (metrics.P95Milliseconds is { } p95)
        {
            Add(MonitoringSignals.LatencyP95, Math.Round(p95, 1));
        }
        return samples;
    }

    private async Task SampleDependenciesAsync(Action<string, double> add, CancellationToken cancellationToken)
    {
        HealthReport? report = null;
        try
        {
            report = await health.CheckHealthAsync(r => CheckedDependencies.Contains(r.Name), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogChecksFailed(logger, ex);
        }
        void Up(string name, string signal, string? latencySignal)
        {
            if (report is null || !report.Entries.TryGetValue(name, out var entry))
            {
                // Not registered (or the checks could not run): down when the checks failed, absent otherwise.
                if (report is null)
                {
                    add(signal, 0);
                }
                return;
            }
            add(signal, entry.Status == HealthStatus.Unhealthy ? 0 : 1);
            if (latencySignal is not null)
            {
                add(latencySignal, Math.Round(entry.Duration.TotalMilliseconds, 2));
            }
        }
        Up("database", MonitoringSignals.DatabaseUp, MonitoringSignals.DatabaseLatency);
        Up("jobs", MonitoringSignals.JobStorageUp, MonitoringSignals.JobStorageLatency);
        Up(MailProviderHealthCheck.Name, MonitoringSignals.MailUp, null);
        Up(BackupStorageHealthCheck.Name, MonitoringSignals.BackupStorageUp, null);
    }

    private async Task<(bool Up, double Milliseconds)> ProbeAsync(Uri baseAddress, string path, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var client = httpClients.CreateClient(ProbeClientName);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.Probes.TimeoutSeconds));
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, path));
            request.Headers.UserAgent.ParseAdd("Kuroco-Monitoring/1");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await response.Content.CopyToAsync(Stream.Null, timeout.Token);
            return ((int)response.StatusCode < 500, Elapsed(started));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogProbeFailed(logger, path, ex.GetType().Name);
            return (false, Elapsed(started));
        }
    }

    private static double Elapsed(long started) => Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2);

    /// <summary>The configured probe address, else the server's first address with a wildcard host read as loopback.</summary>
    private Uri? ProbeBase()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.Probes.BaseAddress))
        {
            return new Uri(options.Value.Probes.BaseAddress!, UriKind.Absolute);
        }
        var addresses = server?.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null || addresses.Count == 0)
        {
            return null;
        }
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.First();
        address = address.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal);
        return Uri.TryCreate(address.TrimEnd('/') + "/", UriKind.Absolute, out var uri) ? uri : null;
    }

    private void SampleProcess(Action<string, double> add)
    {
        add(MonitoringSignals.ProcessMemory, Environment.WorkingSet);
        if (MachineAvailableMemory() is { } available)
        {
            add(MonitoringSignals.MachineMemoryAvailable, available);
        }
        add(MonitoringSignals.Cpu, Math.Round(CpuPercent(), 2));
        try
        {
            var drive = new DriveInfo(Path.GetFullPath(storage.Value.DataPath));
            add(MonitoringSignals.DiskFree, drive.AvailableFreeSpace);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            LogDiskFailed(logger, ex.GetType().Name);
        }
    }

    /// <summary>This process's CPU time since the previous round over the real time elapsed and the cores (0–100).</summary>
    private double CpuPercent()
    {
        lock (cpuGate)
        {
            var cpu = CurrentCpu();
            var now = Stopwatch.GetTimestamp();
            var wall = Stopwatch.GetElapsedTime(lastCpuTimestamp, now);
            var used = cpu - lastCpu;
            lastCpu = cpu;
            lastCpuTimestamp = now;
            if (wall <= TimeSpan.Zero)
            {
                return 0;
            }
            return Math.Clamp(used / wall / Environment.ProcessorCount * 100, 0, 100);
        }
    }

    private static TimeSpan CurrentCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>MemAvailable of /proc/meminfo on Linux; elsewhere what the GC sees as total minus load.</summary>
    private static double? MachineAvailableMemory()
    {
        try
        {
            if (File.Exists("/proc/meminfo"))
            {
                foreach (var line in File.ReadLines("/proc/meminfo"))
                {
                    if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                    {
                        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024d;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            // Fall back to the GC's view below.
        }
        var info = GC.GetGCMemoryInfo();
        return info.TotalAvailableMemoryBytes > 0 ? Math.Max(0, info.TotalAvailableMemoryBytes - info.MemoryLoadBytes) : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Monitoring: the health checks could not be run.")]
    private static partial void LogChecksFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Monitoring: the probe of {Path} failed ({Error}).")]
    private static partial void LogProbeFailed(ILogger logger, string path, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Monitoring: the free disk space could not be read ({Error}).")]
    private static partial void LogDiskFailed(ILogger logger, string error);
}
