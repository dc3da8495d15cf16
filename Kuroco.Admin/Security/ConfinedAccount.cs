namespace Kuroco.Admin.Security;

/// <summary>
/// Keeps a signed-in account that still owes a step (a password change, two-factor enrolment) on the
/// page of that step: page reads elsewhere are sent there with a local return URL, anything else is
/// refused with 403. Sign-in and sign-out, the status and error pages, health, culture, the session
/// keepalive and static files stay reachable, so the step itself can be done.
/// </summary>
internal static class ConfinedAccount
{
    private static readonly string[] CommonPrefixes =
        ["/account/logout", "/account/login", "/account/keepalive", "/culture", "/health", "/_framework", "/_content", "/status", "/error"];

    private static readonly string[] StaticExtensions = [".css", ".js", ".mjs", ".png", ".ico", ".svg", ".woff", ".woff2"];

    public static Task ConfineAsync(HttpContext context, RequestDelegate next, string claimType, string stepPath, params string[] alsoAllowed)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true || !user.HasClaim(claimType, "true"))
        {
            return next(context);
        }
        var path = context.Request.Path;
        if (path.StartsWithSegments(stepPath, StringComparison.OrdinalIgnoreCase)
            || alsoAllowed.Concat(CommonPrefixes).Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))
            || StaticExtensions.Contains(Path.GetExtension(path.Value), StringComparer.OrdinalIgnoreCase))
        {
            return next(context);
        }
        if (HttpMethods.IsGet(context.Request.Method) && !path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            var returnUrl = context.Request.PathBase + path + context.Request.QueryString;
            context.Response.Redirect(LocalUrl.Encode(LocalUrl.WithReturnUrl(stepPath, returnUrl)));
            return Task.CompletedTask;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
