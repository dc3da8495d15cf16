using System.Reflection;
using Kuroco.Core.Security.SelfAssessment;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Security.SelfAssessment;

/// <summary>
/// The web host's side of the self-assessment. The security headers are those of a real response: the app asks itself
/// for the sign-in page through the named HttpClient <see cref="ProbeClientName"/> at Kuroco:SelfAssessment:ProbeBaseUrl
/// or the first address the server listens on; when neither answers, the values the middleware is configured with are
/// shown and the item says so. HTTPS and HSTS follow the pipeline (on outside Development) and the listening addresses.
/// </summary>
internal sealed partial class WebSecurityFactsProvider(
    IHttpClientFactory clients,
    IServer server,
    IHostEnvironment environment,
    IConfiguration configuration,
    IOptions<HstsOptions> hsts,
    IOptions<RateLimitOptions> rateLimits,
    IOptions<NetworkSecurityOptions> network,
    IOptions<SelfAssessmentOptions> options,
    IOptions<AuthorizationOptions> authorization,
    ILogger<WebSecurityFactsProvider> logger) : IWebSecurityFacts
{
    public const string ProbeClientName = "Kuroco.SelfAssessment.Probe";

    /// <summary>An anonymous page: every response of the console goes through the same header middleware.</summary>
    public const string ProbePath = "/account/login";

    private static readonly Lazy<(int Checked, int Anonymous, IReadOnlyList<string> Unauthorized)> Pages = new(ScanPages);

    public async Task<WebSecurityFacts> GetAsync(CancellationToken cancellationToken)
    {
        var addresses = ListeningAddresses();
        var production = PlainHttpGuard.Applies(environment);
        var (headers, fromConfiguration, url, problem) = await ProbeAsync(addresses, cancellationToken);
        var limits = rateLimits.Value;
        var (pagesChecked, anonymous, unauthorized) = Pages.Value;
        return new WebSecurityFacts(
            HttpsRedirection: production,
            Hsts: production,
            HstsMaxAge: hsts.Value.MaxAge,
            HasHttpsEndpointOrProxy: !PlainHttpGuard.LacksHttps(addresses, network.Value.TrustedProxies.Count),
            Headers: headers,
            HeadersFromConfiguration: fromConfiguration,
            ProbedUrl: url,
            ProbeProblem: problem,
            SignInPerIpPerMinute: limits.SignInPerIpPerMinute,
            SignInPerAccountPerMinute: limits.SignInPerAccountPerMinute,
            ApiPerClientPerMinute: limits.ApiPerClientPerMinute,
            MaxRequestBodyBytes: DependencyInjection.MaxRequestBodyBytes,
            PagesChecked: pagesChecked,
            PagesAnonymous: anonymous,
            PagesWithoutAuthorization: unauthorized,
            FallbackRequiresSignIn: authorization.Value.FallbackPolicy?.Requirements.Any(r => r is Microsoft.AspNetCore.Authorization.Infrastructure.DenyAnonymousAuthorizationRequirement) == true,
            IpRestrictionsDisabled: network.Value.DisableIpRestrictions);
    }

    private List<string> ListeningAddresses()
    {
        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return bound.Count > 0
            ? [.. bound]
            : [.. (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    private async Task<(IReadOnlyDictionary<string, string> Headers, bool FromConfiguration, string? Url, string? Problem)> ProbeAsync(
        IReadOnlyList<string> addresses, CancellationToken cancellationToken)
    {
        var baseUrl = !string.IsNullOrWhiteSpace(options.Value.ProbeBaseUrl) ? options.Value.ProbeBaseUrl : addresses.Select(Loopback).FirstOrDefault();
        if (baseUrl is null || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var root))
        {
            return (Configured(), true, null, "no-address");
        }
        var url = new Uri(root, ProbePath);
        try
        {
            using var client = clients.CreateClient(ProbeClientName);
            client.Timeout = TimeSpan.FromSeconds(5);
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var headers = response.Headers.Concat(response.Content.Headers)
                .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
            return (headers, false, url.ToString(), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            LogProbeFailed(logger, url, ex.Message);
            return (Configured(), true, url.ToString(), ex.GetType().Name);
        }
    }

    /// <summary>"http://0.0.0.0:8080", "http://[::]:80", "http://+:80" as an address the app can reach itself at.</summary>
    private static string Loopback(string address) => address
        .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
        .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
        .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
        .Replace("://*", "://127.0.0.1", StringComparison.Ordinal);

    private static Dictionary<string, string> Configured() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Content-Security-Policy"] = SecurityHeadersMiddleware.ContentSecurityPolicy,
        ["X-Frame-Options"] = "DENY",
        ["X-Content-Type-Options"] = "nosniff",
        ["Referrer-Policy"] = "strict-origin-when-cross-origin",
        ["Permissions-Policy"] = SecurityHeadersMiddleware.PermissionsPolicy,
    };

    /// <summary>The routable components of the console: how many, how many [AllowAnonymous], and the routes of those with neither attribute.</summary>
    private static (int, int, IReadOnlyList<string>) ScanPages()
    {
        var pages = typeof(DependencyInjection).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t) && t.GetCustomAttributes<RouteAttribute>(inherit: false).Any())
            .ToList();
        var unauthorized = pages
            .Where(t => !t.IsDefined(typeof(AuthorizeAttribute), inherit: true) && !t.IsDefined(typeof(AllowAnonymousAttribute), inherit: true))
            .Select(t => t.GetCustomAttributes<RouteAttribute>(inherit: false).First().Template)
            .Order(StringComparer.Ordinal)
            .ToList();
        var anonymous = pages.Count(t => t.IsDefined(typeof(AllowAnonymousAttribute), inherit: true));
        return (pages.Count, anonymous, unauthorized);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Self-assessment: the header probe of {Url} failed ({Reason}); showing the configured headers.")]
    private static partial void LogProbeFailed(ILogger logger, Uri url, string reason);
}
