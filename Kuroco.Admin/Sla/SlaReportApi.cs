using System.Globalization;
using Kuroco.Admin.Audit;
using Kuroco.Core.Sla;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Sla;

/// <summary>
/// <c>GET /sla/report/{year}/{month}.pdf</c>: the monthly SLA report as a PDF in the viewer's language and zone (a console
/// endpoint: the staff cookie, Administrators and Operators like the printable page, not in the OpenAPI document).
/// </summary>
public static class SlaReportApi
{
    public const string PdfRoute = "/sla/report/{year:int}/{month:int}.pdf";

    public static IEndpointRouteBuilder MapSlaReportApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(PdfRoute, DownloadPdfAsync)
            .RequireAuthorization(new AuthorizeAttribute { Roles = StaffRoles.Administrator + "," + StaffRoles.Operator })
            .WithName("DownloadSlaReportPdf")
            .ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>The PDF's address for a month (the printable page and the /sla page link it).</summary>
    public static string PdfPath(int year, int month) => string.Create(CultureInfo.InvariantCulture, $"/sla/report/{year}/{month}.pdf");

    internal static async Task<IResult> DownloadPdfAsync(HttpContext context, int year, int month, [AsParameters] SlaReportPdfServices services)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        if (month is < 1 or > 12 || year is < 2000 or > 9998)
        {
            return TypedResults.NotFound();
        }
        var zoneId = context.User.FindFirst(StaffClaims.TimeZone)?.Value;
        var zone = StaffTimeZones.Find(StaffTimeZones.IsValid(zoneId) ? zoneId : services.Ui.Value.DefaultTimeZone);
        byte[] pdf;
        try
        {
            pdf = await services.Pdf.RenderAsync(year, month, CultureInfo.CurrentUICulture, zone, context.RequestAborted);
        }
        catch (AuditReviewFontMissingException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status500InternalServerError, title: "No font for the PDF");
        }
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(pdf, "application/pdf", string.Create(CultureInfo.InvariantCulture, $"kuroco-sla-report-{year:D4}-{month:D2}.pdf"));
    }
}

/// <summary>The services the PDF download reads (bound with [AsParameters]).</summary>
internal sealed record SlaReportPdfServices(
    [FromServices] ISlaReportPdf Pdf,
    [FromServices] IOptions<Localization.KurocoUiOptions> Ui);
