using Kuroco.Infrastructure.Identity;

namespace Kuroco.Admin.Security;

/// <summary>
/// An account whose role requires two-factor sign-in but that has not enrolled yet can reach nothing
/// but the (static) enrolment page, sign-out and static files, like <see cref="MustChangePasswordMiddleware"/>.
/// </summary>
public sealed class TwoFactorSetupMiddleware(RequestDelegate next)
{
    public const string EnrolmentPath = "/account/two-factor";

    private static readonly string[] AllowedPrefixes =
        [EnrolmentPath, MustChangePasswordMiddleware.ChangePasswordPath, "/account/logout", "/account/login", "/account/keepalive",
         "/culture", "/health", "/_framework", "/_content", "/status", "/error"];

    private static readonly string[] StaticExtensions = [".css", ".js", ".mjs", ".png", ".ico", ".svg", ".woff", ".woff2"];

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true || !user.HasClaim(StaffClaims.TwoFactorSetupRequired, "true"))
        {
            return next(context);
        }
        var path = context.Request.Path;
        if (AllowedPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)) || StaticExtensions.Contains(Path.GetExtension(path.Value), StringComparer.OrdinalIgnoreCase))
        {
            return next(context);
        }
        if (HttpMethods.IsGet(context.Request.Method) && !path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            var returnUrl = context.Request.PathBase + path + context.Request.QueryString;
            context.Response.Redirect($"{EnrolmentPath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
            return Task.CompletedTask;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
