using System.Collections.Concurrent;
using Kuroco.Core.Logs;
using Kuroco.Infrastructure.Logs;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Kuroco.Tests.Integration.Logs;

/// <summary>The OTLP exporter is off by default and turned on by one setting (resolved here; nothing is sent).</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Without_an_endpoint_there_is_no_exporter()
    {
        await using var app = new KurocoAppFactory();
        _ = app.Services;

        Assert.DoesNotContain(app.Services.GetServices<ILoggerProvider>(), p => p is OpenTelemetryLoggerProvider);
        Assert.Null(app.Services.GetService<LogExportForwarder>());
        Assert.False(app.Services.GetRequiredService<IOptions<ServerLogOptions>>().Value.Otlp.IsEnabled);
    }

    [Fact]
    public async Task An_endpoint_setting_turns_the_exporter_on_with_its_protocol_and_headers()
    {
        await using var app = new KurocoAppFactory();
        // A closed local port: the exporter is built, any export attempt fails quietly in the background.
        app.Settings["Kuroco:Logs:Otlp:Endpoint"] = "http://127.0.0.1:9/v1/logs";
        app.Settings["Kuroco:Logs:Otlp:Protocol"] = "http/protobuf";
        app.Settings["Kuroco:Logs:Otlp:Headers"] = "x-api-key=test";
        _ = app.Services;

        Assert.Contains(app.Services.GetServices<ILoggerProvider>(), p => p is OpenTelemetryLoggerProvider);
        Assert.NotNull(app.Services.GetService<LogExportForwarder>());
        var otlp = app.Services.GetRequiredService<IOptions<ServerLogOptions>>().Value.Otlp;
        Assert.True(otlp.IsEnabled);
        Assert.Equal("http/protobuf", otlp.Protocol);
        // The store keeps working beside it.
        Assert.Contains(app.Services.GetServices<ILoggerProvider>(), p => p is DatabaseLoggerProvider);
    }

    [Fact]
    public async Task An_application_line_with_a_secret_reaches_the_exporter_redacted_as_in_the_store()
    {
        var exported = new ConcurrentQueue<string>();
        await using var app = new KurocoAppFactory();
        app.Settings["Kuroco:Logs:Otlp:Endpoint"] = "http://127.0.0.1:9/v1/logs";
        app.Settings["Kuroco:Logs:Otlp:Protocol"] = "http/protobuf";
        // Beside the OTLP exporter: one that keeps what it is given, read at export time (log records are pooled).
        app.TestServices = services => services.AddOpenTelemetry()
            .WithLogging(logging => logging.AddProcessor(new SimpleLogRecordExportProcessor(new CapturingExporter(exported))));
        _ = app.Services;
        var marker = Guid.NewGuid().ToString("N");
        const string token = "tok-SECRET-4711";
        const string password = "pw-SECRET-0815";

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Kuroco.Tests.OtlpProbe");
#pragma warning disable CA1848, CA2254 // A probe line with secret-named placeholders and a URL, as application code might write.
        logger.LogWarning("Probe " + marker + " reset {Token} for {Email} with {Password} at /media/a.png?token={Raw}&size=2", token, "ann@test.local", password, token);
#pragma warning restore CA1848, CA2254

        var line = await Eventually.GetAsync(() => Task.FromResult(exported.FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal))),
            l => l is not null, "the probe line reached the exporter");
        Assert.DoesNotContain(token, line, StringComparison.Ordinal);
        Assert.DoesNotContain(password, line, StringComparison.Ordinal);
        Assert.Contains("reset *** for ann@test.local with *** at /media/a.png?token=***&size=2", line, StringComparison.Ordinal);
        Assert.Contains("Kuroco.Tests.OtlpProbe", line, StringComparison.Ordinal);
        // Nothing anywhere in the export carries the secrets (no raw ILogger line beside the forwarded one).
        Assert.DoesNotContain(exported, l => l.Contains(token, StringComparison.Ordinal) || l.Contains(password, StringComparison.Ordinal));
        // The store has the same redacted text.
        var stored = await Eventually.GetAsync(
            () => app.Services.GetRequiredService<ILogStore>().ReadAsync(new LogQuery(LogKind.Application, Text: marker)), p => p.Items.Count == 1, "the probe line is stored");
        var entry = (ApplicationLogEntry)stored.Items[0].Entry;
        Assert.Contains("reset *** for ann@test.local with *** at /media/a.png?token=***&size=2", entry.Message, StringComparison.Ordinal);
        Assert.Contains(entry.Message, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET /api/v1/items?page=2&api_key=abc123", "GET /api/v1/items?page=2&api_key=***")]
    [InlineData("/reset?email=a%40b.c&token=xyz&code=12", "/reset?email=a%40b.c&token=***&code=***")]
    [InlineData("https://cdn.example/f.png?sig=deadbeef&w=100", "https://cdn.example/f.png?sig=***&w=100")]
    [InlineData("/search?q=password", "/search?q=password")]
    [InlineData("no query here", "no query here")]
    public void Secret_query_string_values_are_redacted(string text, string expected) =>
        Assert.Equal(expected, DatabaseLoggerProvider.RedactQueryStrings(text));

    /// <summary>Keeps each exported record as text: category, body, formatted message and every attribute.</summary>
    private sealed class CapturingExporter(ConcurrentQueue<string> lines) : BaseExporter<LogRecord>
    {
        public override ExportResult Export(in Batch<LogRecord> batch)
        {
            foreach (var record in batch)
            {
                var attributes = record.Attributes is null ? "" : string.Join(" ", record.Attributes.Select(a => a.Key + "=" + a.Value));
                lines.Enqueue($"{record.CategoryName} | {record.Body} | {record.FormattedMessage} | {attributes}");
            }
            return ExportResult.Success;
        }
    }

    [Fact]
    public async Task A_malformed_endpoint_stops_the_start()
    {
        await using var app = new KurocoAppFactory();
        app.Settings["Kuroco:Logs:Otlp:Endpoint"] = "not a url";

        var error = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains("Kuroco:Logs:Otlp:Endpoint", error.ToString(), StringComparison.Ordinal);
    }
}
