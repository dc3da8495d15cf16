using Kuroco.Infrastructure.Logs;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
    public async Task A_malformed_endpoint_stops_the_start()
    {
        await using var app = new KurocoAppFactory();
        app.Settings["Kuroco:Logs:Otlp:Endpoint"] = "not a url";

        var error = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains("Kuroco:Logs:Otlp:Endpoint", error.ToString(), StringComparison.Ordinal);
    }
}
