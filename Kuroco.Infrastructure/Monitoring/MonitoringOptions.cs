using System.ComponentModel.DataAnnotations;

namespace Kuroco.Infrastructure.Monitoring;

/// <summary>Configuration "Monitoring": the sampler, its store, the probes, the metric exports and the alert notifications.</summary>
public sealed class MonitoringOptions
{
    public const string SectionName = "Monitoring";

    /// <summary>Off: no sampling round runs (the store, the page and the rules stay).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between two sampling rounds (1 second to 1 hour).</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The sample store, a SQLite file of its own; a relative path is under the data folder (Storage:DataPath).</summary>
    [Required]
    public string Path { get; set; } = "monitoring.db";

    /// <summary>When the daily downsampling and retention job runs (cron, in the jobs' time zone).</summary>
    [Required]
    public string CompactCron { get; set; } = "50 3 * * *";

    public MonitoringProbeOptions Probes { get; set; } = new();

    public PrometheusOptions Prometheus { get; set; } = new();

    public MonitoringOtlpOptions Otlp { get; set; } = new();

    /// <summary>A Slack incoming webhook (https://hooks.slack.com/services/…) told of each raised and resolved alert; empty: no Slack. A secret: keep it in a secret store.</summary>
    public string? SlackWebhookUrl { get; set; }

    /// <summary>The language of the Slack messages ("en" or "ja").</summary>
    public string SlackLanguage { get; set; } = "en";

    /// <summary>Mail every enabled Operator when an alert is raised or resolved.</summary>
    public bool MailOperators { get; set; } = true;

    /// <summary>The store file as an absolute path.</summary>
    public string ResolvePath(string dataPath) =>
        System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(Path) ? Path : System.IO.Path.Combine(dataPath, Path));

    public bool IsValid() =>
        SampleInterval >= TimeSpan.FromSeconds(1) && SampleInterval <= TimeSpan.FromHours(1)
        && Probes.TimeoutSeconds is >= 1 and <= 60
        && (string.IsNullOrWhiteSpace(Probes.BaseAddress) || Uri.TryCreate(Probes.BaseAddress, UriKind.Absolute, out _))
        && (!Otlp.IsEnabled || Uri.TryCreate(Otlp.Endpoint, UriKind.Absolute, out _))
        && (string.IsNullOrWhiteSpace(SlackWebhookUrl) || (Uri.TryCreate(SlackWebhookUrl, UriKind.Absolute, out var slack) && (slack.Scheme == Uri.UriSchemeHttps || slack.Scheme == Uri.UriSchemeHttp)))
        && Prometheus.Path.StartsWith('/');
}

/// <summary>Configuration "Monitoring:Probes": in-process HTTP GETs through the app's own address.</summary>
public sealed class MonitoringProbeOptions
{
    /// <summary>Off (e.g. in tests): no probe request is sent; app.up then means "the process is sampling".</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the probes go; empty: the first address the server listens on (0.0.0.0 and [::] read as loopback).</summary>
    public string? BaseAddress { get; set; }

    /// <summary>A console page (answers without signing in).</summary>
    public string ConsolePath { get; set; } = "/account/login";

    /// <summary>A delivery API list.</summary>
    public string ApiPath { get; set; } = "/api/v1/content/news";

    public string HealthPath { get; set; } = "/health/ready";

    public int TimeoutSeconds { get; set; } = 10;
}

/// <summary>Configuration "Monitoring:Prometheus": an optional scrape endpoint, never anonymous.</summary>
public sealed class PrometheusOptions
{
    public bool Enabled { get; set; }

    public string Path { get; set; } = "/metrics";

    /// <summary>Client addresses or CIDR ranges allowed to scrape (e.g. "10.0.0.0/8").</summary>
    public IList<string> AllowedAddresses { get; } = [];

    /// <summary>A bearer token the scraper sends (Authorization: Bearer …). A secret: keep it in a secret store.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Enabled with neither an allowlist nor a token: refused at start-up.</summary>
    public bool HasAccessRule => AllowedAddresses.Count > 0 || !string.IsNullOrWhiteSpace(BearerToken);
}

/// <summary>Configuration "Monitoring:Otlp": the same meters pushed to an OpenTelemetry collector (off when the endpoint is empty).</summary>
public sealed class MonitoringOtlpOptions
{
    public string? Endpoint { get; set; }

    /// <summary>"grpc" (default) or "http/protobuf".</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary>Extra headers, "key1=value1,key2=value2".</summary>
    public string? Headers { get; set; }

    public string ServiceName { get; set; } = "kuroco";

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Endpoint);
}
