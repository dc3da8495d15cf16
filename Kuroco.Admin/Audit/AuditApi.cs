using System.Globalization;
using System.Text;
using Kuroco.Admin.Localization;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Audit;

/// <summary>
/// <c>GET /audit/export.csv</c>: the audit page's filtered entries as a CSV download (a console endpoint: the staff
/// cookie, the audit area, not in the OpenAPI document). The query is <see cref="AuditExportQuery"/>; rows are written
/// by <see cref="AuditCsv"/>.
/// </summary>
public static class AuditApi
{
    public const string ExportPath = "/audit/export.csv";

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(ExportPath, ExportCsvAsync)
            .RequireAuthorization(AreaPolicies.Audit)
            .WithName("ExportAuditCsv")
            .ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>
    /// The entries matching the audit page's filters (same query string) as a CSV download, newest
    /// first. Every export is itself recorded in the audit log, with its filter and row count.
    /// </summary>
    public static async Task<PushStreamHttpResult> ExportCsvAsync(
        HttpContext context,
        [AsParameters] AuditExportQuery query,
        [AsParameters] AuditExportServices services)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(services);
        var zoneId = context.User.FindFirst(StaffClaims.TimeZone)?.Value;
        var zone = StaffTimeZones.Find(StaffTimeZones.IsValid(zoneId) ? zoneId : services.Ui.Value.DefaultTimeZone);
        var filter = query.ToFilter();
        // Pinned to the log as it is now: the export's own record, and anything written while the
        // file streams, stay out, so the recorded count is exactly what the file holds.
        var tail = (await services.Reader.SearchAsync(new AuditQuery(PageSize: 1), context.RequestAborted)).Items.FirstOrDefault()?.Sequence ?? 0;
        var search = filter.ToQuery(zone, pageSize: 1) with { MaxSequence = tail };
        var count = (await services.Reader.SearchAsync(search, context.RequestAborted)).TotalCount;

        await services.Audit.WriteAsync(new AuditRecord(
            AuditActions.AuditExported, "AuditLog", null,
            string.Create(CultureInfo.InvariantCulture, $"Audit log exported as CSV: {count} entries ({filter.Describe()}).")),
            context.RequestAborted);

        var localNow = TimeZoneInfo.ConvertTimeFromUtc(services.Clock.GetUtcNow().UtcDateTime, zone);
        var fileName = string.Create(CultureInfo.InvariantCulture, $"kuroco-audit-{localNow:yyyyMMdd-HHmmss}.csv");
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Stream(async body =>
        {
            // A UTF-8 byte order mark, so that spreadsheet programs do not read Japanese as mojibake.
            await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 16 * 1024, leaveOpen: true);
            await AuditCsv.WriteHeaderAsync(writer);
            await foreach (var entry in services.Reader.StreamAsync(search, context.RequestAborted))
            {
                await AuditCsv.WriteRowAsync(writer, entry, zone);
            }
            await writer.FlushAsync(context.RequestAborted);
        }, "text/csv; charset=utf-8", fileName);
    }
}

/// <summary>The services the export reads and writes (bound with [AsParameters]).</summary>
public sealed record AuditExportServices(
    [FromServices] IAuditReader Reader,
    [FromServices] IAuditLog Audit,
    [FromServices] TimeProvider Clock,
    [FromServices] IOptions<KurocoUiOptions> Ui);
