using System.Security.Claims;
using Kuroco.Admin.Security;
using Kuroco.Core.Api;
using Microsoft.AspNetCore.Authorization;

namespace Kuroco.Admin.Api;

/// <summary>
/// An API key refused (403) on /api/v1, by its scope's policy or by the endpoint itself (a read-only key writing, a key
/// without the content type), is audited as <c>auth.access-denied</c> like a person refused a page: the path and the roles
/// it allows, coalesced per key and path, the key (name and prefix) as the actor.
/// </summary>
internal sealed class ApiForbiddenAuditMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, AccessDeniedAudit accessDenied)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(accessDenied);
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status403Forbidden && ApiPaths.IsV1(context.Request.Path)
            && context.User.FindFirstValue(ApiClaims.KeyPrefix) is { } prefix)
        {
            await accessDenied.RecordAsync("api-key:" + prefix, context.Request.Method, context.Request.Path.Value,
                context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>() ?? []);
        }
    }
}
