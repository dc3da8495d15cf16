using Kuroco.Core.Api;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Api;

/// <summary>The /api/v1 infrastructure: scheme, policy, CORS, problem details, OpenAPI, and its place in the pipeline.</summary>
public static class ApiSetup
{
    public const string CorsPolicy = "Kuroco.Api";

    /// <summary>Headers a browser script may read from an API response.</summary>
    public static readonly string[] ExposedHeaders =
        ["ETag", ApiRateLimitCounters.LimitHeader, ApiRateLimitCounters.RemainingHeader, ApiRateLimitCounters.ResetHeader, "Retry-After", "Location", Security.CorrelationIdMiddleware.HeaderName];

    public static IServiceCollection AddKurocoApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.SectionName))
            .Validate(o => o.HasValidOrigins(), "Kuroco:Api:CorsOrigins: every entry must be an http(s) origin such as https://www.example.com (no path, no wildcard).")
            .ValidateOnStart();

        services.AddAuthentication().AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, _ => { });
        // The console's cookie never authenticates /api/v1: there, every use of the cookie scheme
        // (authenticate, challenge, forbid) goes to the ApiKey scheme. The cookie is not even read, so the
        // API has no ambient credentials and no CSRF surface. The ApiKey scheme answers only under /api/v1.
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o =>
        {
            var previous = o.ForwardDefaultSelector;
            o.ForwardDefaultSelector = context => ApiPaths.IsV1(context.Request.Path) ? ApiKeyDefaults.Scheme : previous?.Invoke(context);
        });
        services.AddAuthorizationBuilder().AddPolicy(ApiKeyDefaults.Policy, p => p
            .AddAuthenticationSchemes(ApiKeyDefaults.Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(ApiClaims.KeyId));

        services.Configure<ProblemDetailsOptions>(o =>
        {
            var previous = o.CustomizeProblemDetails;
            o.CustomizeProblemDetails = context =>
            {
                previous?.Invoke(context);
                ApiProblems.Customize(context);
            };
        });

        // ASP.NET Core writes JSON (problem details included) with the relaxed encoder; escape < > & ' " so a
        // detail that echoes a bad parameter never carries raw markup (all of Unicode stays readable).
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder =
            System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All));

        services.AddCors(o => { });
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<ApiOptions>>((o, api) =>
            o.AddPolicy(CorsPolicy, p => p
                .WithOrigins([.. api.Value.NormalizedOrigins()])
                .WithMethods("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
                .WithHeaders(ApiKeyDefaults.HeaderName, "Authorization", "Content-Type", "Accept", "Accept-Language", "If-None-Match", "If-Match")
                .WithExposedHeaders(ExposedHeaders)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

        services.AddKurocoOpenApi();
        return services;
    }

    /// <summary>
    /// For /api/v1 only, ahead of IP restrictions, rate limits and authentication: RFC 7807 for any
    /// unhandled error, the X-RateLimit-* headers on every response, and CORS (preflights end here).
    /// </summary>
    public static WebApplication UseKurocoApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(c => ApiPaths.IsV1(c.Request.Path), api =>
        {
            api.UseMiddleware<ApiErrorMiddleware>();
            api.UseMiddleware<ApiRateLimitHeadersMiddleware>();
            api.UseCors(CorsPolicy);
        });
        app.UseWhen(c => c.Request.Path.StartsWithSegments(ApiOpenApi.ReferencePath, StringComparison.OrdinalIgnoreCase)
            && !c.Request.Path.Value!.EndsWith(".js", StringComparison.OrdinalIgnoreCase), page => page.UseMiddleware<ApiReferencePage>());
        return app;
    }
}

/// <summary>Any unhandled exception under /api/v1 becomes a 500 problem with the correlation id, never a stack trace.</summary>
internal sealed partial class ApiErrorMiddleware(RequestDelegate next, IProblemDetailsService problems, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel's own refusals while reading (a chunked body past the size limit: 413; a malformed body: 400).
            context.Response.Clear();
            await ApiProblems.WriteAsync(problems, context, ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The request body is larger than the limit."
                : "The request could not be read.");
        }
        catch (Exception ex) when (!context.Response.HasStarted && ex is not OperationCanceledException)
        {
            LogUnhandled(logger, ex, context.Request.Method, context.Request.Path);
            context.Response.Clear();
            var reference = context.Items.TryGetValue(Security.CorrelationIdMiddleware.HeaderName, out var id) ? id as string : null;
            await ApiProblems.WriteAsync(problems, context, StatusCodes.Status500InternalServerError,
                "An unexpected error occurred." + (reference is null ? "" : $" Reference: {reference}."));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in API request {Method} {Path}.")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
}

/// <summary>The X-RateLimit-* headers on every /api/v1 response (see <see cref="ApiRateLimitCounters"/>).</summary>
internal sealed class ApiRateLimitHeadersMiddleware(RequestDelegate next, ApiRateLimitCounters counters)
{
    public Task InvokeAsync(HttpContext context)
    {
        counters.AddHeaders(context);
        return next(context);
    }
}
