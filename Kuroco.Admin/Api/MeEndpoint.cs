using Kuroco.Core.Api;

namespace Kuroco.Admin.Api;

/// <summary>What <c>GET /api/v1/me</c> says about the calling key. Never the secret.</summary>
public sealed record ApiKeyInfo(
    Guid Id,
    string Name,
    /// <summary>Allowed content types; ["*"] for every type.</summary>
    IReadOnlyList<string> Types,
    /// <summary>"read" or "read-write".</summary>
    string Access,
    DateTimeOffset? ExpiresAt);

internal static class MeEndpoint
{
    public static RouteGroupBuilder MapMeEndpoint(this RouteGroupBuilder group)
    {
        group.MapGet("/me", (HttpContext context) =>
            {
                var scope = context.User.GetApiKeyScope()!;
                var expires = context.User.FindFirst(ApiClaims.ExpiresAt)?.Value is { } e
                    ? DateTimeOffset.Parse(e, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal)
                    : (DateTimeOffset?)null;
                context.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(new ApiKeyInfo(
                    scope.KeyId,
                    context.User.FindFirst(ApiClaims.KeyName)?.Value ?? "",
                    scope.AllTypes ? [ApiClaims.AllTypes] : scope.Types,
                    ApiClaims.ToClaimValue(scope.Access),
                    expires));
            })
            .WithName("GetCurrentApiKey")
            .WithSummary("The calling API key")
            .WithDescription("Name, allowed content types, access and expiry of the key that authenticated the request. The secret is never returned.");
        return group;
    }
}
