namespace Kuroco.Admin.Security;

/// <summary>
/// Security headers on every response. The CSP fits Blazor Server and MudBlazor: scripts only from
/// this origin, inline styles (MudBlazor sets style attributes), the circuit's WebSocket to self,
/// and no framing at all. X-XSS-Protection is turned off (0), as OWASP advises: the legacy filter of
/// old browsers could itself be abused to blank or alter parts of a page; the CSP does the real work.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()";

    /// <summary>
    /// A page that needs a different policy (only the API reference page, whose one inline module script
    /// is allowed by its hash) puts it in HttpContext.Items under this key before its response starts.
    /// </summary>
    public const string PolicyOverrideItem = "Kuroco.ContentSecurityPolicy";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = http.Items.TryGetValue(PolicyOverrideItem, out var custom) && custom is string policy ? policy : ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers.XXSSProtection = "0";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = PermissionsPolicy;
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers.Remove("Server");
            headers.Remove("X-Powered-By");
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
