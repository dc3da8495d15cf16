using System.Globalization;
using System.Text;
using System.Text.Json;
using Kuroco.Admin.Localization;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Audit;

/// <summary>
/// The audit search over HTTP (console endpoints: the staff cookie, the audit area, not in the OpenAPI document):
/// <c>GET /audit/export.csv</c> and <c>GET /audit/export.jsonl</c> stream the filtered entries (the page's query string,
/// <see cref="AuditExportQuery"/>); <c>GET /audit/entries</c> returns one page as JSON, with the keyset cursors
/// (<c>older</c>/<c>newer</c>) and the total ("10,000+" unless <c>count=exact</c>). A bad filter value is a 400 with the
/// localized validation errors, and nothing is exported.
/// </summary>
public static class AuditApi
{
    public const string ExportPath = "/audit/export.csv";
    public const string ExportJsonLinesPath = "/audit/export.jsonl";
    public const string EntriesPath = "/audit/entries";

    private static readonly JsonWriterOptions LineOptions = new() { Indented = false, SkipValidation = false };

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(ExportPath, ExportCsvAsync)
            .RequireAuthorization(AreaPolicies.Audit)
            .WithName("ExportAuditCsv")
            .ExcludeFromDescription();
        endpoints.MapGet(ExportJsonLinesPath, ExportJsonLinesAsync)
            .RequireAuthorization(AreaPolicies.Audit)
            .WithName("ExportAuditJsonLines")
            .ExcludeFromDescription();
        endpoints.MapGet(EntriesPath, SearchAsync)
            .RequireAuthorization(AreaPolicies.Audit)
            .WithName("SearchAudit")
            .ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>One page of the filtered log, newest first; <c>older</c>/<c>newer</c> are the cursors of the next and previous pages.</summary>
    internal static async Task<Results<Ok<AuditSearchResponse>, ValidationProblem>> SearchAsync(
        HttpContext context,
        [AsParameters] AuditExportQuery query,
        [FromQuery(Name = "older")] string? older,
        [FromQuery(Name = "newer")] string? newer,
        [FromQuery(Name = "pageSize")] int? pageSize,
        [FromQuery(Name = "count")] string? count,
        [AsParameters] AuditExportServices services)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(services);
        var (filter, result) = AuditFilter.Read(query.ToInput());
        var errors = result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        AuditCursor? olderCursor = null;
        AuditCursor? newerCursor = null;
        if (older is not null && !AuditCursor.TryParse(older, out olderCursor))
        {
            errors["older"] = [services.Localizer["The page position is not valid."]];
        }
        if (newer is not null && !AuditCursor.TryParse(newer, out newerCursor))
        {
            errors["newer"] = [services.Localizer["The page position is not valid."]];
        }
        if (pageSize is < 1 or > AuditQuery.MaxPageSize)
        {
            errors["pageSize"] = [services.Localizer["The page size must be between 1 and {0}.", AuditQuery.MaxPageSize]];
        }
        if (filter is null || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var zone = ViewerZone(context, services);
        var search = filter.ToQuery(zone, services.Clock.GetUtcNow().UtcDateTime, pageSize ?? 50) with
        {
            Older = olderCursor,
            Newer = newerCursor,
            CountExactly = string.Equals(count, "exact", StringComparison.OrdinalIgnoreCase),
        };
        var page = await services.Reader.SearchAsync(search, context.RequestAborted);
        return TypedResults.Ok(new AuditSearchResponse(
            [.. page.Items.Select(AuditEntryResponse.From)],
            page.TotalCount,
            page.TotalIsExact,
            page.Older?.ToString(),
            page.Newer?.ToString()));
    }

    /// <summary>
    /// The entries matching the audit page's filters (same query string) as a CSV download (UTF-8 with a byte order mark),
    /// newest first. Every export is itself recorded in the audit log, with its filter and row count.
    /// </summary>
    internal static Task<Results<PushStreamHttpResult, ValidationProblem>> ExportCsvAsync(
        HttpContext context,
        [AsParameters] AuditExportQuery query,
        [AsParameters] AuditExportServices services) =>
        ExportAsync(context, query, services, "CSV", "csv", "text/csv; charset=utf-8", async (body, entries, zone, renderer, cancellationToken) =>
        {
            // A UTF-8 byte order mark, so that spreadsheet programs do not read Japanese as mojibake.
            await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 16 * 1024, leaveOpen: true);
            await AuditCsv.WriteHeaderAsync(writer);
            await foreach (var entry in entries.WithCancellation(cancellationToken))
            {
                await AuditCsv.WriteRowAsync(writer, entry, zone, renderer.Summary(entry));
            }
            await writer.FlushAsync(cancellationToken);
        });

    /// <summary>The same as JSON Lines (one JSON object per entry and line, UTF-8 without a byte order mark), streamed.</summary>
    internal static Task<Results<PushStreamHttpResult, ValidationProblem>> ExportJsonLinesAsync(
        HttpContext context,
        [AsParameters] AuditExportQuery query,
        [AsParameters] AuditExportServices services) =>
        ExportAsync(context, query, services, "JSON Lines", "jsonl", "application/jsonl; charset=utf-8", async (body, entries, zone, renderer, cancellationToken) =>
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
            await using var json = new Utf8JsonWriter(buffer, LineOptions);
            await foreach (var entry in entries.WithCancellation(cancellationToken))
            {
                AuditJsonLines.Write(json, entry, zone, renderer.Summary(entry));
                json.Flush();
                json.Reset();
                System.Buffers.BuffersExtensions.Write(buffer, "\n"u8);
                // Flushed to the response every 64 KiB: memory stays flat whatever the row count.
                if (buffer.WrittenCount >= 64 * 1024)
                {
                    await body.WriteAsync(buffer.WrittenMemory, cancellationToken);
                    buffer.ResetWrittenCount();
                }
            }
            await body.WriteAsync(buffer.WrittenMemory, cancellationToken);
            await body.FlushAsync(cancellationToken);
        });

    private static async Task<Results<PushStreamHttpResult, ValidationProblem>> ExportAsync(
        HttpContext context,
        AuditExportQuery query,
        AuditExportServices services,
        string format,
        string extension,
        string contentType,
        Func<Stream, IAsyncEnumerable<AuditEntry>, TimeZoneInfo, Components.Pages.Audit.AuditRenderer, CancellationToken, Task> write)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(services);
        var (filter, result) = AuditFilter.Read(query.ToInput());
        if (filter is null)
        {
            return TypedResults.ValidationProblem(result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()));
        }
        var zone = ViewerZone(context, services);
        var now = services.Clock.GetUtcNow().UtcDateTime;
        // Pinned to the log as it is now: the export's own record, and anything written while the
        // file streams, stay out, so the recorded count is exactly what the file holds.
        var tail = (await services.Reader.SearchAsync(new AuditQuery(PageSize: 1), context.RequestAborted)).Items.FirstOrDefault()?.Sequence ?? 0;
        var search = filter.ToQuery(zone, now, pageSize: 1) with { MaxSequence = tail, CountExactly = true };
        var count = (await services.Reader.SearchAsync(search, context.RequestAborted)).TotalCount;

        var filtered = filter.ToQueryString().Length > 0;
        await services.Audit.WriteAsync(new AuditRecord(
            AuditActions.AuditExported, AuditEntityTypes.AuditLog, null,
            AuditParameters.Of(("format", format), ("count", count.ToString(CultureInfo.InvariantCulture)),
                ("filter", filtered ? filter.Describe() : null), ("variant", filtered ? null : "unfiltered"))),
            context.RequestAborted);

        var localNow = TimeZoneInfo.ConvertTimeFromUtc(now, zone);
        var fileName = string.Create(CultureInfo.InvariantCulture, $"kuroco-audit-{localNow:yyyyMMdd-HHmmss}.{extension}");
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Stream(
            body => write(body, services.Reader.StreamAsync(search, context.RequestAborted), zone,
                Components.Pages.Audit.AuditDisplay.Renderer(services.Localizer, zone.Id), context.RequestAborted),
            contentType,
            fileName);
    }

    private static TimeZoneInfo ViewerZone(HttpContext context, AuditExportServices services)
    {
        var zoneId = context.User.FindFirst(StaffClaims.TimeZone)?.Value;
        return StaffTimeZones.Find(StaffTimeZones.IsValid(zoneId) ? zoneId : services.Ui.Value.DefaultTimeZone);
    }
}

/// <summary>The services the audit endpoints read and write (bound with [AsParameters]).</summary>
internal sealed record AuditExportServices(
    [FromServices] IAuditReader Reader,
    [FromServices] IAuditLog Audit,
    [FromServices] TimeProvider Clock,
    [FromServices] IOptions<KurocoUiOptions> Ui,
    [FromServices] Microsoft.Extensions.Localization.IStringLocalizer<AuditResource> Localizer);

/// <summary>One page of <c>GET /audit/entries</c>.</summary>
public sealed record AuditSearchResponse(
    IReadOnlyList<AuditEntryResponse> Items,
    int Total,
    bool TotalIsExact,
    string? Older,
    string? Newer);

/// <summary>One entry as the JSON endpoints show it.</summary>
public sealed record AuditEntryResponse(
    long Sequence,
    DateTime OccurredAtUtc,
    string? ActorId,
    string ActorName,
    IReadOnlyList<string> ActorRoles,
    string Action,
    string EntityType,
    string? EntityId,
    string Summary,
    string Outcome,
    string? IpAddress,
    string? CorrelationId,
    string Hash)
{
    public static AuditEntryResponse From(AuditEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Sequence, DateTime.SpecifyKind(e.OccurredAtUtc, DateTimeKind.Utc), e.ActorId, e.ActorName,
            e.ActorRoles.Length == 0 ? [] : e.ActorRoles.Split(','), e.Action, e.EntityType, e.EntityId, e.Summary,
            e.Outcome.ToString(), e.IpAddress, e.CorrelationId, e.Hash);
    }
}
