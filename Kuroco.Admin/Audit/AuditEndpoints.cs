using System.Globalization;
using System.Text;
using Kuroco.Admin.Localization;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Audit;

public static class AuditEndpoints
{
    public const string ExportPath = "/audit/export.csv";

    public static void MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ExportPath, ExportCsvAsync)
            .RequireAuthorization(AreaPolicies.Audit)
            .WithName("ExportAuditCsv")
            .ExcludeFromDescription();
    }

    /// <summary>
    /// The entries matching the audit page's filters (same query string) as a CSV download, newest
    /// first. Every export is itself recorded in the audit log, with its filter and row count.
    /// </summary>
    internal static async Task<IResult> ExportCsvAsync(
        HttpContext context,
        [FromServices] IAuditReader reader,
        [FromServices] IAuditLog audit,
        [FromServices] TimeProvider clock,
        [FromServices] IOptions<KurocoUiOptions> ui,
        [FromQuery] string? q,
        [FromQuery] string? action,
        [FromQuery] string? outcome,
        [FromQuery] string? from,
        [FromQuery] string? to)
    {
        var zoneId = context.User.FindFirst(StaffClaims.TimeZone)?.Value;
        var zone = StaffTimeZones.Find(StaffTimeZones.IsValid(zoneId) ? zoneId : ui.Value.DefaultTimeZone);
        var filter = AuditFilter.Parse(q, action, outcome, from, to);
        // Pinned to the log as it is now: the export's own record, and anything written while the
        // file streams, stay out, so the recorded count is exactly what the file holds.
        var tail = (await reader.SearchAsync(new AuditQuery(PageSize: 1), context.RequestAborted)).Items.FirstOrDefault()?.Sequence ?? 0;
        var query = filter.ToQuery(zone, pageSize: 1) with { MaxSequence = tail };
        var count = (await reader.SearchAsync(query, context.RequestAborted)).TotalCount;

        await audit.WriteAsync(new AuditRecord(
            AuditActions.AuditExported, "AuditLog", null,
            string.Create(CultureInfo.InvariantCulture, $"Audit log exported as CSV: {count} entries ({filter.Describe()}).")),
            context.RequestAborted);

        var localNow = TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, zone);
        var fileName = string.Create(CultureInfo.InvariantCulture, $"kuroco-audit-{localNow:yyyyMMdd-HHmmss}.csv");
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Stream(async body =>
        {
            // A UTF-8 byte order mark, so that spreadsheet programs do not read Japanese as mojibake.
            await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 16 * 1024, leaveOpen: true);
            await AuditCsv.WriteHeaderAsync(writer);
            await foreach (var entry in reader.StreamAsync(query, context.RequestAborted))
            {
                await AuditCsv.WriteRowAsync(writer, entry, zone);
            }
            await writer.FlushAsync(context.RequestAborted);
        }, "text/csv; charset=utf-8", fileName);
    }
}
