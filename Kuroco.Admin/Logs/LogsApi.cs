using System.Globalization;
using System.Text;
using System.Text.Json;
using Kuroco.Admin.Localization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Logs;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Logs;

/// <summary>
/// <c>GET /logs/export.csv</c> and <c>GET /logs/export.jsonl</c>: the server-log screen's filtered entries (same query
/// string), streamed newest first in pages so memory stays flat, times in UTC and in the viewer's zone. Console
/// endpoints (the staff cookie, the monitoring area: Administrators and Operators); every export is audited.
/// </summary>
public static class LogsApi
{
    public const string CsvPath = "/logs/export.csv";
    public const string JsonLinesPath = "/logs/export.jsonl";

    public static IEndpointRouteBuilder MapLogsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(CsvPath, ExportCsvAsync)
            .RequireAuthorization(AreaPolicies.Monitoring)
            .WithName("ExportServerLogsCsv")
            .ExcludeFromDescription();
        endpoints.MapGet(JsonLinesPath, ExportJsonLinesAsync)
            .RequireAuthorization(AreaPolicies.Monitoring)
            .WithName("ExportServerLogsJsonLines")
            .ExcludeFromDescription();
        return endpoints;
    }

    public static Task<PushStreamHttpResult> ExportCsvAsync(HttpContext context, [AsParameters] LogExportQuery query, [AsParameters] LogExportServices services) =>
        ExportAsync(context, query, services, "csv");

    public static Task<PushStreamHttpResult> ExportJsonLinesAsync(HttpContext context, [AsParameters] LogExportQuery query, [AsParameters] LogExportServices services) =>
        ExportAsync(context, query, services, "jsonl");

    private static async Task<PushStreamHttpResult> ExportAsync(HttpContext context, LogExportQuery query, LogExportServices services, string format)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(services);
        var zoneId = context.User.FindFirst(StaffClaims.TimeZone)?.Value;
        var zone = StaffTimeZones.Find(StaffTimeZones.IsValid(zoneId) ? zoneId : services.Ui.Value.DefaultTimeZone);
        var filter = query.ToFilter();
        var now = services.Clock.GetUtcNow();
        // Pinned to now: lines written while the file streams stay out.
        var search = filter.ToQuery(zone, now);
        if (search.To is null || search.To > now)
        {
            search = search with { To = now };
        }

        await services.Audit.WriteAsync(new AuditRecord(
            AuditActions.LogsExported, "ServerLogs", filter.Kind.ToString(),
            AuditParameters.Of(("format", format == "csv" ? "CSV" : "JSON Lines"), ("filter", filter.Describe()))),
            context.RequestAborted);

        var localNow = TimeZoneInfo.ConvertTime(now, zone);
        var fileName = string.Create(CultureInfo.InvariantCulture, $"kuroco-{filter.Kind.ToString().ToLowerInvariant()}-log-{localNow:yyyyMMdd-HHmmss}.{format}");
        context.Response.Headers.CacheControl = "no-store";
        var columns = LogColumns.For(filter.Kind);
        return format == "csv"
            ? TypedResults.Stream(async body =>
            {
                // A UTF-8 byte order mark, so that spreadsheet programs do not read Japanese as mojibake.
                await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 16 * 1024, leaveOpen: true);
                await writer.WriteAsync(string.Join(',', new[] { "AtUtc", "AtLocal", "TimeZone" }.Concat(columns.Select(c => c.Field)).Select(CsvCells.Text)) + "\r\n");
                await foreach (var item in services.Store.StreamAsync(search, context.RequestAborted))
                {
                    var cells = new[] { Utc(item.Entry.At), Local(item.Entry.At, zone), zone.Id }.Concat(columns.Select(c => c.Value(item.Entry)));
                    await writer.WriteAsync(string.Join(',', cells.Select(CsvCells.Text)) + "\r\n");
                }
                await writer.FlushAsync(context.RequestAborted);
            }, "text/csv; charset=utf-8", fileName)
            : TypedResults.Stream(async body =>
            {
                await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
                await foreach (var item in services.Store.StreamAsync(search, context.RequestAborted))
                {
                    var line = new Dictionary<string, string?> { ["at"] = Utc(item.Entry.At), ["atLocal"] = Local(item.Entry.At, zone), ["timeZone"] = zone.Id };
                    foreach (var column in columns)
                    {
                        line[column.Field] = column.Value(item.Entry);
                    }
                    await writer.WriteAsync(JsonSerializer.Serialize(line) + "\n");
                }
                await writer.FlushAsync(context.RequestAborted);
            }, "application/jsonl; charset=utf-8", fileName);
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
}

/// <summary>The screen's query string.</summary>
public sealed record LogExportQuery(
    [FromQuery(Name = "kind")] string? Kind,
    [FromQuery(Name = "range")] string? Range,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "severity")] string? Severity,
    [FromQuery(Name = "q")] string? Text,
    [FromQuery(Name = "cid")] string? CorrelationId)
{
    public LogFilter ToFilter() => LogFilter.Parse(Kind, Range, From, To, Severity, Text, CorrelationId);
}

public sealed record LogExportServices(
    [FromServices] ILogStore Store,
    [FromServices] IAuditLog Audit,
    [FromServices] TimeProvider Clock,
    [FromServices] IOptions<KurocoUiOptions> Ui);
