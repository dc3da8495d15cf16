using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Logs;

/// <summary>Configuration "Kuroco:Logs": the server-log store (a SQLite file apart from the main database) and its writer.</summary>
public sealed class ServerLogOptions
{
    public const string SectionName = "Kuroco:Logs";

    /// <summary>The log file; a relative path is under the data folder (Storage:DataPath). Keep it on a persistent volume.</summary>
    [Required]
    public string Path { get; set; } = "server-logs.db";

    /// <summary>Entries waiting to be written; beyond this, new entries are dropped and counted (the request path never waits).</summary>
    [Range(100, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Entries written per transaction.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Lowest level of application log kept (framework categories "Microsoft.*" and "System.*" keep Warning and above).</summary>
    public LogLevel MinimumLevel { get; set; } = LogLevel.Information;

    /// <summary>Entries deleted per statement by the daily purge.</summary>
    [Range(100, 100_000)]
    public int PurgeBatchSize { get; set; } = 5_000;

    /// <summary>When the purge runs (cron, in the jobs' time zone).</summary>
    [Required]
    public string PurgeCron { get; set; } = "30 3 * * *";

    public OtlpLogOptions Otlp { get; set; } = new();

    /// <summary>The log file as an absolute path.</summary>
    public string ResolvePath(string dataPath) =>
        System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(Path) ? Path : System.IO.Path.Combine(dataPath, Path));
}

/// <summary>Configuration "Kuroco:Logs:Otlp": ships the same logs to an external platform over OpenTelemetry (off when the endpoint is empty).</summary>
public sealed class OtlpLogOptions
{
    /// <summary>The collector, e.g. "http://otel-collector:4317" (gRPC) or "https://collector.example/v1/logs" (HTTP). Empty: off.</summary>
    public string? Endpoint { get; set; }

    /// <summary>"grpc" (default) or "http/protobuf".</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary>Extra headers, "key1=value1,key2=value2" (e.g. the platform's API key; keep it in a secret store).</summary>
    public string? Headers { get; set; }

    /// <summary>The service name the platform files the logs under.</summary>
    public string ServiceName { get; set; } = "kuroco";

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Endpoint);
}
