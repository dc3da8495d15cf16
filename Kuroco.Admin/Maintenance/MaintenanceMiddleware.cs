using System.Globalization;
using Kuroco.Core.Backups;

namespace Kuroco.Admin.Maintenance;

/// <summary>
/// While maintenance mode is on, every request under <c>/api</c> answers 503 with <c>Retry-After</c> (seconds until the
/// expected end, else two minutes) and problem details in the request's language. The console, /health and the job
/// dashboard (/admin/jobs) are not touched. Sits after request localization and the API's CORS, ahead of authentication,
/// rate limits and the endpoints.
/// </summary>
internal sealed class MaintenanceMiddleware(RequestDelegate next, IMaintenanceMode mode, IProblemDetailsService problems, TimeProvider clock)
{
    public static bool Applies(PathString path) => path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        var state = mode.Current;
        if (!state.IsOn || !Applies(context.Request.Path))
        {
            await next(context);
            return;
        }
        var seconds = state.RetryAfterSeconds(clock.GetUtcNow());
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = FullRestoreMessages.Get("Maintenance.Title"),
                Detail = FullRestoreMessages.Format("Maintenance.Detail", seconds),
                Extensions = { ["maintenance"] = true, ["retryAfter"] = seconds },
            },
        });
    }
}
