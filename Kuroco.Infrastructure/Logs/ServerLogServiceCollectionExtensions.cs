using Hangfire.Common;
using Kuroco.Core.Logs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;

namespace Kuroco.Infrastructure.Logs;

public static class ServerLogServiceCollectionExtensions
{
    /// <summary>
    /// The server-log store (a SQLite file under the data folder, apart from the main database), its writer,
    /// the logger provider, the job log filter, the retention purge and, when configured, the OTLP exporter.
    /// </summary>
    public static IServiceCollection AddServerLogs(this IServiceCollection services, IConfiguration configuration, string dataPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ServerLogOptions.SectionName);
        var settings = section.Get<ServerLogOptions>() ?? new ServerLogOptions();
        services.AddOptions<ServerLogOptions>().Bind(section).ValidateDataAnnotations()
            .Validate(o => !o.Otlp.IsEnabled || Uri.TryCreate(o.Otlp.Endpoint, UriKind.Absolute, out _), "Kuroco:Logs:Otlp:Endpoint must be an absolute URL.")
            .ValidateOnStart();

        services.AddSingleton(_ => new SqliteLogStore(settings.ResolvePath(dataPath)));
        services.AddSingleton<ILogStore>(sp => sp.GetRequiredService<SqliteLogStore>());
        services.AddSingleton<LogWriter>();
        services.AddSingleton<ILogWriter>(sp => sp.GetRequiredService<LogWriter>());
        services.AddHostedService<LogWriterService>();
        services.AddSingleton<ILoggerProvider, DatabaseLoggerProvider>();
        services.AddScoped<ILogRetentionSettings, LogRetentionSettings>();
        services.AddScoped<LogRetentionPurgeJob>();

        // This app's job filter, next to Hangfire's global ones (AddHangfire registered the provider before).
        services.AddSingleton<JobLogFilter>();
        services.Replace(ServiceDescriptor.Singleton<IJobFilterProvider>(sp =>
            new JobLogFilterProvider(JobFilterProviders.Providers, sp.GetRequiredService<JobLogFilter>())));

        if (settings.Otlp.IsEnabled)
        {
            services.AddServerLogOtlp(settings.Otlp);
        }
        return services;
    }

    /// <summary>
    /// Ships the same logs as the store keeps to an OTLP collector: the application, request, job and mail entries, as the
    /// writer drains them (so already redacted by the store's rules: secret placeholders, secret query-string values), are
    /// forwarded under <see cref="LogExportForwarder.Category"/>, the only category the OpenTelemetry provider listens to.
    /// It never sees an ILogger line directly, so nothing unredacted can reach the collector.
    /// </summary>
    private static void AddServerLogOtlp(this IServiceCollection services, OtlpLogOptions otlp)
    {
        services.AddSingleton<LogExportForwarder>();
        services.AddLogging(logging => logging
            .AddFilter(LogExportForwarder.Category, LogLevel.None)
            .AddFilter<OpenTelemetryLoggerProvider>(null, LogLevel.None)
            .AddFilter<OpenTelemetryLoggerProvider>(LogExportForwarder.Category, LogLevel.Trace));
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(otlp.ServiceName))
            .WithLogging(logging => logging.AddOtlpExporter(exporter =>
            {
                exporter.Endpoint = new Uri(otlp.Endpoint!);
                exporter.Protocol = string.Equals(otlp.Protocol, "http/protobuf", StringComparison.OrdinalIgnoreCase)
                    ? OtlpExportProtocol.HttpProtobuf
                    : OtlpExportProtocol.Grpc;
                if (!string.IsNullOrWhiteSpace(otlp.Headers))
                {
                    exporter.Headers = otlp.Headers;
                }
            }));
    }
}

/// <summary>
/// With OTLP on: writes each application, request, job and mail entry, as the store receives it (redacted), as one
/// structured log line in a category that only the OpenTelemetry provider listens to.
/// </summary>
public sealed partial class LogExportForwarder(ILoggerFactory loggers)
{
    public const string Category = "Kuroco.ServerLogs.Export";

    private readonly ILogger logger = loggers.CreateLogger(Category);

    public void Forward(IEnumerable<LogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            switch (entry)
            {
                case ApplicationLogEntry a:
                    LogApplication(logger, Enum.TryParse<LogLevel>(a.Level, out var level) ? level : LogLevel.Information,
                        a.Category, a.Message, a.Exception, a.CorrelationId, a.User);
                    break;
                case ApiRequestLogEntry r:
                    LogRequest(logger, r.Method, r.Path, r.Status, r.DurationMs, r.KeyPrefix, r.MemberId, r.ClientAddress, r.CorrelationId);
                    break;
                case JobLogEntry j:
                    LogJob(logger, j.JobId, j.JobName, j.Outcome, j.DurationMs, j.Error);
                    break;
                case MailLogEntry m:
                    LogMail(logger, m.Recipient, m.Template, m.Subject, m.Outcome, m.ProviderMessageId, m.Error);
                    break;
                default:
                    break;
            }
        }
    }

    [LoggerMessage(EventId = 4, Message = "{Category}: {Message} correlation={CorrelationId} user={User} {Exception}")]
    private static partial void LogApplication(ILogger logger, LogLevel level, string category, string message, string? exception, string? correlationId, string? user);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "api-request {Method} {Path} {Status} {DurationMs} ms key={KeyPrefix} member={MemberId} client={ClientAddress} correlation={CorrelationId}")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, long durationMs, string? keyPrefix, string? memberId, string? clientAddress, string? correlationId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "job {JobId} {JobName} {Outcome} {DurationMs} ms {Error}")]
    private static partial void LogJob(ILogger logger, string jobId, string jobName, string outcome, long durationMs, string? error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "mail {Recipient} {Template} {Subject} {Outcome} {ProviderMessageId} {Error}")]
    private static partial void LogMail(ILogger logger, string recipient, string template, string subject, string outcome, string? providerMessageId, string? error);
}
