using Kuroco.Core.Monitoring;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Kuroco.Infrastructure.Monitoring;

public static class MonitoringServices
{
    /// <summary>The meter of the console's own figures (the sampler's last round), exported with ASP.NET Core's meters.</summary>
    public const string MeterName = "Kuroco.Monitoring";

    /// <summary>
    /// Monitoring: the sample store (a SQLite file of its own), the sampler and its hosted loop, the extra dependency
    /// checks (mail provider, backup storage), the alert rules, evaluator and listeners (mail, Slack), the daily
    /// compaction job and, when configured, the OpenTelemetry meters (OTLP export; the Prometheus endpoint is mapped by the app).
    /// </summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services, IConfiguration configuration, string dataPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(MonitoringOptions.SectionName);
        var settings = section.Get<MonitoringOptions>() ?? new MonitoringOptions();
        services.AddOptions<MonitoringOptions>().Bind(section).ValidateDataAnnotations()
            .Validate(o => o.IsValid(),
                "Monitoring: SampleInterval must be 1 s–1 h, Probes:TimeoutSeconds 1–60, Probes:BaseAddress, Otlp:Endpoint and SlackWebhookUrl absolute URLs, Prometheus:Path start with '/'.")
            .Validate(o => !o.Prometheus.Enabled || o.Prometheus.HasAccessRule,
                "Monitoring:Prometheus: set AllowedAddresses or BearerToken; the scrape endpoint is never anonymous.")
            .ValidateOnStart();

        services.AddSingleton(sp => new SqliteMonitoringSampleStore(settings.ResolvePath(dataPath), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IMonitoringSampleStore>(sp => sp.GetRequiredService<SqliteMonitoringSampleStore>());
        services.AddSingleton<IAlertHoldingStore>(sp => sp.GetRequiredService<SqliteMonitoringSampleStore>());
        services.AddSingleton<HttpServerMetrics>();
        services.AddSingleton<MonitoringMeter>();
        services.AddSingleton<MonitoringSampler>();
        services.AddSingleton<MonitoringSamplerService>();
        services.AddHostedService(sp => sp.GetRequiredService<MonitoringSamplerService>());
        services.AddSingleton<AlertConditionTracker>();
        services.AddScoped<AlertEvaluator>();
        services.AddScoped<IAlertRuleService, AlertRuleService>();
        services.AddScoped<IAlertListener, MailAlertListener>();
        services.AddScoped<IAlertListener, SlackAlertListener>();
        services.AddScoped<MonitoringCompactionJob>();

        services.AddHealthChecks()
            .AddCheck<MailProviderHealthCheck>(MailProviderHealthCheck.Name, HealthStatus.Unhealthy, ["monitoring"])
            .AddCheck<BackupStorageHealthCheck>(BackupStorageHealthCheck.Name, HealthStatus.Unhealthy, ["monitoring"]);

        services.AddHttpClient(MonitoringSampler.ProbeClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                // Probes go to this app's own address: a development certificate on loopback is accepted.
                SslOptions = new System.Net.Security.SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                        errors == System.Net.Security.SslPolicyErrors.None || IsLoopback(sender),
                },
            })
            .RemoveAllLoggers();
        services.AddHttpClient(SlackAlertListener.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookHttp.CreateHandler(
                sp.GetRequiredService<IWebhookHostResolver>(),
                sp.GetRequiredService<IWebhookHostAllowlist>(),
                TimeSpan.FromSeconds(10)))
            .ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(15))
            // The webhook URL is a secret: the default handler logs would print it.
            .RemoveAllLoggers();

        if (settings.Prometheus.Enabled || settings.Otlp.IsEnabled)
        {
            services.AddMonitoringMeters(settings);
        }
        return services;
    }

    private static bool IsLoopback(object sender) =>
        sender is System.Net.Security.SslStream { TargetHostName: var host }
        && (host is "localhost" || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address)));

    /// <summary>ASP.NET Core's HTTP meters and this app's meter through OpenTelemetry: OTLP push and/or the Prometheus scrape endpoint.</summary>
    private static void AddMonitoringMeters(this IServiceCollection services, MonitoringOptions settings)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.Otlp.ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(HttpServerMetrics.MeterName, "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime", MeterName);
                if (settings.Otlp.IsEnabled)
                {
                    metrics.AddOtlpExporter(exporter =>
                    {
                        exporter.Endpoint = new Uri(settings.Otlp.Endpoint!);
                        exporter.Protocol = string.Equals(settings.Otlp.Protocol, "http/protobuf", StringComparison.OrdinalIgnoreCase)
                            ? OtlpExportProtocol.HttpProtobuf
                            : OtlpExportProtocol.Grpc;
                        if (!string.IsNullOrWhiteSpace(settings.Otlp.Headers))
                        {
                            exporter.Headers = settings.Otlp.Headers;
                        }
                    });
                }
                if (settings.Prometheus.Enabled)
                {
                    metrics.AddPrometheusExporter();
                }
            });
    }
}
