using Kuroco.Infrastructure.Identity;

namespace Kuroco.Admin.Security;

/// <summary>
/// An account that must change its password (first sign-in, forced by an Administrator) can reach
/// nothing but the change-password page, sign-out and static files.
/// </summary>
public sealed class MustChangePasswordMiddleware(RequestDelegate next)
{
    public const string ChangePasswordPath = "/account/change-password";

    private static readonly string[] AllowedPrefixes =
        [ChangePasswordPath, PasswordCheckEndpoints.Path, "/account/logout", "/account/login", "/culture", "/health", "/_framework", "/_content", "/status", "/error"];

    private static readonly string[] StaticExtensions = [".css", ".js", ".mjs", ".png", ".ico", ".svg", ".woff", ".woff2"];

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true || !user.HasClaim(StaffClaims.MustChangePassword, "true"))
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
            context.Response.Redirect($"{ChangePasswordPath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
            return Task.CompletedTask;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
