using System.Globalization;
using Kuroco.Admin.Audit;
using Kuroco.Core.Security.SelfAssessment;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Security.SelfAssessment;

/// <summary>
/// <c>GET /security/self-assessment/export.csv</c> and <c>.pdf</c>: the assessment, run now, in the viewer's language and
/// zone (console endpoints: the staff cookie, Administrators and SecurityOfficers, not in the OpenAPI document).
/// </summary>
public static class SelfAssessmentApi
{
    public const string CsvPath = "/security/self-assessment/export.csv";
    public const string PdfPath = "/security/self-assessment/export.pdf";

    public static IEndpointRouteBuilder MapSelfAssessmentApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(CsvPath, ExportCsvAsync).RequireAuthorization(AreaPolicies.Security).WithName("ExportSelfAssessmentCsv").ExcludeFromDescription();
        endpoints.MapGet(PdfPath, ExportPdfAsync).RequireAuthorization(AreaPolicies.Security).WithName("ExportSelfAssessmentPdf").ExcludeFromDescription();
        return endpoints;
    }

    internal static async Task<IResult> ExportCsvAsync(HttpContext context, [AsParameters] SelfAssessmentExportServices services)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        var report = await services.Assessment.RunAsync(context.RequestAborted);
        var text = Text(context, services);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(SelfAssessmentExports.Csv(report, text), "text/csv; charset=utf-8", FileName(report, "csv"));
    }

    internal static async Task<IResult> ExportPdfAsync(HttpContext context, [AsParameters] SelfAssessmentExportServices services)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        var report = await services.Assessment.RunAsync(context.RequestAborted);
        var text = Text(context, services);
        byte[] pdf;
        try
        {
            pdf = SelfAssessmentExports.Pdf(report, text, services.Configuration[AuditReviewApi.FontPathSetting],
                CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ja");
        }
        catch (AuditReviewFontMissingException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status500InternalServerError, title: "No font for the PDF");
        }
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(pdf, "application/pdf", FileName(report, "pdf"));
    }

    private static SelfAssessmentText Text(HttpContext context, SelfAssessmentExportServices services)
    {
        var zoneId = context.User.FindFirst(StaffClaims.TimeZone)?.Value;
        return new SelfAssessmentText(services.L, StaffTimeZones.Find(StaffTimeZones.IsValid(zoneId) ? zoneId : services.Ui.Value.DefaultTimeZone));
    }

    private static string FileName(SelfAssessmentReport report, string extension) =>
        string.Create(CultureInfo.InvariantCulture, $"kuroco-security-self-assessment-{report.GeneratedAtUtc:yyyyMMdd}.{extension}");
}

/// <summary>The services the exports read (bound with [AsParameters]).</summary>
internal sealed record SelfAssessmentExportServices(
    [FromServices] ISelfAssessment Assessment,
    [FromServices] IStringLocalizer<SelfAssessmentResource> L,
    [FromServices] IConfiguration Configuration,
    [FromServices] IOptions<Localization.KurocoUiOptions> Ui);
