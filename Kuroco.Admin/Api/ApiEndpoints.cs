using Kuroco.Admin.Account;
using Kuroco.Admin.Audit;
using Kuroco.Admin.Content;
using Kuroco.Admin.Health;
using Kuroco.Admin.Localization;
using Kuroco.Admin.Media;
using Kuroco.Admin.Members;
using Kuroco.Admin.Security;
using Kuroco.Core.Api;

namespace Kuroco.Admin.Api;

/// <summary>
/// The one place every HTTP endpoint of the app (pages and static assets aside) is mapped. A feature adds one
/// <c>MapXxxApi()</c> line here: under <see cref="MapApiV1"/> when it belongs to the versioned API, in
/// <see cref="MapKurocoEndpoints"/> otherwise.
/// </summary>
public static class ApiEndpoints
{
    public static WebApplication MapKurocoEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The console's own endpoints: cookie-authenticated, excluded from the OpenAPI document.
        app.MapHealthApi();
        app.MapAccountApi();
        app.MapPasskeyApi();
        app.MapPasswordCheckApi();
        app.MapCultureApi();
        app.MapAuditApi();
        Kuroco.Admin.Logs.LogsApi.MapLogsApi(app);
        app.MapAuditReviewApi();
        app.MapMediaApi();
        app.MapMemberDataApi();
        Kuroco.Admin.Backups.BackupsApi.MapBackupsApi(app);
        Kuroco.Admin.Security.SelfAssessment.SelfAssessmentApi.MapSelfAssessmentApi(app);
        Kuroco.Admin.Incidents.NoticeUnsubscribeEndpoints.MapNoticeUnsubscribe(app);
        Kuroco.Admin.Sla.SlaReportApi.MapSlaReportApi(app);

        // The versioned API: API-key authenticated, described in the OpenAPI document.
        app.MapGroup(ApiPaths.V1)
            .RequireAuthorization(ApiKeyDefaults.Policy)
            .WithTags("API")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .MapApiV1();
        app.MapKurocoOpenApi();
        return app;
    }

    /// <summary>Every resource under /api/v1 (the group already requires a key and documents 401 and 429).</summary>
    private static RouteGroupBuilder MapApiV1(this RouteGroupBuilder v1)
    {
        v1.MapMeApi();
        v1.MapContentDeliveryApi();
        v1.MapContentManagementApi();
        v1.MapMemberAccountApi();
        return v1;
    }
}
