using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Kuroco.Core.Members;

namespace Kuroco.Admin.Members;

/// <summary>
/// Who a delivery request reads for. A member's access token travels as <c>Authorization: Bearer</c> beside the site's key in
/// <c>X-API-Key</c> (the key may also travel as the bearer on its own, so a bearer without <c>X-API-Key</c> is the key, never a
/// member). A valid token of an active member reads for that member's groups; no token, or a token that is expired, signed out,
/// or of a member who is no longer active, reads like an anonymous caller: restricted items are simply absent (a refused token
/// is named in a <c>WWW-Authenticate: Bearer error="invalid_token"</c> header, so the website knows to refresh it).
/// </summary>
public static class MemberContentAudience
{
    private static readonly object ItemKey = new();

    /// <summary>
    /// The request carries a member's token (valid or not): its answer depends on who sent it, so it bypasses the shared output
    /// cache and is marked <c>Cache-Control: private, no-store</c>.
    /// </summary>
    public static bool PresentsMemberToken(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = request.Headers[ApiKeyDefaults.HeaderName];
        if (key.Count == 0 || string.IsNullOrWhiteSpace(key[0]))
        {
            return false;
        }
        var authorization = request.Headers.Authorization;
        return authorization.Count > 0 && authorization[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The audience <see cref="ResolveAsync"/> worked out for this request, or anonymous when it was not asked.</summary>
    public static ContentAudience Current(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(ItemKey, out var known) && known is ContentAudience audience ? audience : ContentAudience.Anonymous;
    }

    /// <summary>The request's audience, worked out once per request.</summary>
    public static async Task<ContentAudience> ResolveAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(ItemKey, out var known) && known is ContentAudience audience)
        {
            return audience;
        }
        audience = ContentAudience.Anonymous;
        if (PresentsMemberToken(context.Request))
        {
            if (await MemberRequests.MemberIdAsync(context) is { } memberId)
            {
                audience = await context.RequestServices.GetRequiredService<IMemberContentAccess>().AudienceAsync(memberId, CancellationToken.None);
            }
            else
            {
                context.Response.Headers.WWWAuthenticate =
                    "Bearer error=\"invalid_token\", error_description=\"The member access token is expired or no longer valid: member-only content is left out. Refresh it or sign in again.\"";
            }
        }
        context.Items[ItemKey] = audience;
        return audience;
    }
}
