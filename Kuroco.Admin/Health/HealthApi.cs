using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuroco.Admin.Health;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: database and job storage reachable.
/// Both anonymous JSON (<see cref="HealthAnswer"/>), outside the API's OpenAPI document.
/// </summary>
public static class HealthApi
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = WriteAnswerAsync,
        }).AllowAnonymous().WithName("HealthLive").ExcludeFromDescription();
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(Kuroco.Infrastructure.DependencyInjection.ReadyTag),
            ResponseWriter = WriteAnswerAsync,
        }).AllowAnonymous().WithName("HealthReady").ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>The health middleware's response writer: the report as <see cref="HealthAnswer"/>, never cached.</summary>
    public static Task WriteAnswerAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(context.Response.Body, HealthAnswer.From(report), JsonSerializerOptions.Web, context.RequestAborted);
    }
}
