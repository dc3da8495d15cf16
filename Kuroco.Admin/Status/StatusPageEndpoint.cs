using Kuroco.Admin.Components.Pages.Status;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Status;

/// <summary>
/// <c>GET /status</c>: the public status page, anonymous. Not a routed Blazor page: a page endpoint issues an antiforgery
/// cookie and <c>no-store</c> on every answer, which no cache may keep. Here <see cref="StatusDocument"/> is rendered with an
/// <see cref="HtmlRenderer"/> into a plain HTML document (no scripts, no cookies) that the output cache keeps per culture
/// (<see cref="StatusOutputCachePolicy"/>); the security headers come from their middleware as for every answer.
/// </summary>
public static class StatusPageEndpoint
{
    public const string Path = "/status";

    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(Path, RenderAsync).AllowAnonymous().CacheOutput(StatusOutputCachePolicy.Name)
            .WithName("StatusPage").ExcludeFromDescription();
        endpoints.MapStatusFeed();
        return endpoints;
    }

    internal static async Task<IResult> RenderAsync(
        HttpContext context, StatusSnapshotBuilder builder, IOptions<StatusPageOptions> options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var snapshot = await builder.BuildAsync(context.RequestAborted);
        await using var renderer = new HtmlRenderer(context.RequestServices, loggers);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(StatusDocument.Snapshot)] = snapshot,
                [nameof(StatusDocument.HistoryDays)] = options.Value.HistoryDays,
            });
            var output = await renderer.RenderComponentAsync<StatusDocument>(parameters);
            return output.ToHtmlString();
        });
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
