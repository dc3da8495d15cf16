using System.Globalization;
using Kuroco.Core.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kuroco.Admin.Api;

/// <summary><c>GET /api/v1/me</c>: the key that authenticated the request (<see cref="ApiKeyInfo"/>), never its secret.</summary>
public static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapGet("/me", GetCurrentApiKey)
            .WithName("GetCurrentApiKey")
            .WithSummary("The calling API key")
            .WithDescription("Name, allowed content types, access and expiry of the key that authenticated the request. The secret is never returned.");
        return v1;
    }

    public static Ok<ApiKeyInfo> GetCurrentApiKey(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The group's policy has authenticated a key, so the scope is there.
        var scope = context.User.GetApiKeyScope()!;
        var expires = context.User.FindFirst(ApiClaims.ExpiresAt)?.Value is { } e
            ? DateTimeOffset.Parse(e, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : (DateTimeOffset?)null;
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ApiKeyInfo(
            scope.KeyId,
            context.User.FindFirst(ApiClaims.KeyName)?.Value ?? "",
            scope.AllTypes ? [ApiClaims.AllTypes] : scope.Types,
            ApiClaims.ToClaimValue(scope.Access),
            expires));
    }
}
