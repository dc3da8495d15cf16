using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Security;

/// <summary>
/// Outside Development every cookie of the console is Secure (sign-in and antiforgery), so a console
/// page reached over plain HTTP cannot work: antiforgery refuses to issue its token and the page would
/// answer 500. That happens when the app has no HTTPS endpoint, typically behind a load balancer that
/// terminates TLS but is not listed in <c>Kuroco:Security:TrustedProxies</c> (its X-Forwarded-Proto is
/// then ignored). At start-up one warning names the two fixes; such a request gets a 400 page that says
/// the same, in the request's language. /api, /health and the public /status page use no cookies and are left alone.
/// </summary>
public static partial class PlainHttpGuard
{
    /// <summary>Outside Development (where cookies follow the request's scheme) plain HTTP cannot serve the console.</summary>
    public static bool Applies(IHostEnvironment environment) => !environment.IsDevelopment();

    /// <summary>
    /// No address the server listens on is https:// and no trusted proxy could report an HTTPS request:
    /// every console request would then arrive as plain HTTP.
    /// </summary>
    public static bool LacksHttps(IEnumerable<string> listeningAddresses, int trustedProxyCount)
    {
        ArgumentNullException.ThrowIfNull(listeningAddresses);
        return trustedProxyCount == 0
            && !listeningAddresses.Any(a => a.StartsWith(Uri.UriSchemeHttps + "://", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>After request localization (the page is in the request's language) and after HTTPS redirection.</summary>
    public static WebApplication UsePlainHttpGuard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!Applies(app.Environment))
        {
            return app;
        }
        // Composition: the server and the proxy setting are taken from the built app here; the addresses it
        // listens on are known only once it has started.
        var server = app.Services.GetService<IServer>();
        var trustedProxies = app.Services.GetRequiredService<IOptions<NetworkSecurityOptions>>().Value.TrustedProxies.Count;
        app.Lifetime.ApplicationStarted.Register(() => WarnWhenNoHttps(app, server, trustedProxies));
        app.UseMiddleware<PlainHttpMiddleware>();
        return app;
    }

    private static void WarnWhenNoHttps(WebApplication app, IServer? server, int trustedProxies)
    {
        // The addresses Kestrel actually bound (ASPNETCORE_URLS, --urls, Kestrel:Endpoints, or its default);
        // a server that reports none (an in-memory test server) falls back to the "urls" setting.
        var bound = server?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        IReadOnlyList<string> addresses = bound.Count > 0
            ? [.. bound]
            : (app.Configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (LacksHttps(addresses, trustedProxies))
        {
            LogNoHttps(app.Logger, app.Environment.EnvironmentName, addresses.Count == 0 ? "(none reported)" : string.Join(", ", addresses));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "No HTTPS: the {Environment} environment listens on {Addresses} only and Kuroco:Security:TrustedProxies is empty. " +
        "Outside Development the console's cookies are Secure, so its pages answer 400 over plain HTTP. Fix one of: " +
        "(1) give the server an HTTPS endpoint (e.g. ASPNETCORE_URLS=https://+:443 with a certificate, or Kestrel:Endpoints); " +
        "(2) behind a load balancer or reverse proxy that terminates TLS, list its address in Kuroco:Security:TrustedProxies " +
        "(e.g. Kuroco__Security__TrustedProxies__0=10.0.0.0/8) so its X-Forwarded-Proto is believed.")]
    private static partial void LogNoHttps(ILogger logger, string environment, string addresses);
}

/// <summary>Answers a console request that arrived over plain HTTP with an explanatory 400 page (see <see cref="PlainHttpGuard"/>).</summary>
/// <param name="next">The rest of the pipeline.</param>
/// <param name="localizer">The page's texts, in the request's language.</param>
/// <param name="html">The app's encoder (see WebEncoderOptions): Japanese stays readable, markup characters are still escaped.</param>
internal sealed class PlainHttpMiddleware(RequestDelegate next, IStringLocalizer<NetworkResource> localizer, HtmlEncoder html)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path;
        if (context.Request.IsHttps
            || path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/status", StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }
        return WritePageAsync(context);
    }

    private async Task WritePageAsync(HttpContext context)
    {
        string Text(string key) => html.Encode(localizer[key].Value);
        var page =
            $"""
            <!DOCTYPE html>
            <html lang="{html.Encode(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName)}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{Text("HTTPS required")}</title></head>
            <body style="font-family: system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">
            <h1>{Text("HTTPS required")}</h1>
            <p>{Text("This console works only over HTTPS: its sign-in and form cookies are Secure, and this request arrived over plain HTTP.")}</p>
            <p>{Text("An administrator must fix the server's configuration in one of two ways:")}</p>
            <ul>
            <li>{Text("give the server an HTTPS endpoint (for example ASPNETCORE_URLS=https://+:443 with a certificate), or")}</li>
            <li>{Text("behind a load balancer or reverse proxy that terminates TLS, list its address in Kuroco:Security:TrustedProxies so that its X-Forwarded-Proto header is believed.")}</li>
            </ul>
            </body>
            </html>
            """;
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(page, context.RequestAborted);
    }
}
