using System.Globalization;
using Kuroco.Core.Audit.Review;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Audit;

/// <summary>
/// <c>GET /audit/reviews/{yyyy-MM}/pdf?version=N</c>: a month's review as a PDF in the viewer's language (a console
/// endpoint: the staff cookie, the audit area, not in the OpenAPI document).
/// </summary>
public static class AuditReviewApi
{
    public const string FontPathSetting = "Kuroco:AuditReview:PdfFontPath";

    public static IEndpointRouteBuilder MapAuditReviewApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/audit/reviews/{month}/pdf", DownloadPdfAsync)
            .RequireAuthorization(AreaPolicies.Audit)
            .WithName("DownloadAuditReviewPdf")
            .ExcludeFromDescription();
        return endpoints;
    }

    internal static async Task<IResult> DownloadPdfAsync(
        HttpContext context,
        string month,
        int? version,
        [AsParameters] AuditReviewPdfServices services)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        if (AuditReview.ParseMonth(month) is not { } first
            || await services.Reviews.GetAsync(first, version, context.RequestAborted) is not { } review)
        {
            return TypedResults.NotFound();
        }
        var zoneId = context.User.FindFirst(StaffClaims.TimeZone)?.Value;
        var zone = StaffTimeZones.Find(StaffTimeZones.IsValid(zoneId) ? zoneId : services.Ui.Value.DefaultTimeZone);
        var settings = await services.Settings.GetAsync(context.RequestAborted);
        var text = new AuditReviewText(services.L, services.Audit, zone);
        var japanese = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ja";
        byte[] pdf;
        try
        {
            pdf = AuditReviewPdf.Render(review, text, review.StatusAt(services.Clock.GetUtcNow().UtcDateTime, settings.OverdueDays),
                services.Configuration[FontPathSetting], japanese);
        }
        catch (AuditReviewFontMissingException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status500InternalServerError, title: "No font for the review PDF");
        }
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(pdf, "application/pdf",
            string.Create(CultureInfo.InvariantCulture, $"kuroco-audit-review-{review.Month}-v{review.Version}.pdf"));
    }
}

/// <summary>The services the PDF reads (bound with [AsParameters]).</summary>
internal sealed record AuditReviewPdfServices(
    [FromServices] IAuditReviewService Reviews,
    [FromServices] IAuditReviewSettingsStore Settings,
    [FromServices] IStringLocalizer<AuditReviewResource> L,
    [FromServices] IStringLocalizer<AuditResource> Audit,
    [FromServices] TimeProvider Clock,
    [FromServices] IConfiguration Configuration,
    [FromServices] IOptions<Localization.KurocoUiOptions> Ui);
