using System.Globalization;
using System.Security.Claims;
using Kuroco.Core.Security;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;

namespace Kuroco.Admin.Security;

/// <summary>
/// The session policy on the sign-in cookie: a session ends after the idle timeout without a request and
/// after the absolute lifetime since sign-in, whatever the use. The last use is the cookie's issue time,
/// renewed at most once a minute while the console is used, so a session ends between the idle timeout
/// less a minute and the idle timeout after its last use. The check itself runs on every request in
/// <see cref="AuthenticationEvents.ValidatePrincipal"/>; the circuit's in <c>IdentityRevalidatingAuthenticationStateProvider</c>.
/// </summary>
internal static class SessionLifetime
{
    /// <summary>How stale the cookie's last-use time may get before a request renews it.</summary>
    public static readonly TimeSpan RenewAfter = TimeSpan.FromMinutes(1);

    /// <summary>When the session began, from its claim; null when the claim is missing or malformed.</summary>
    public static DateTimeOffset? IssuedAt(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var value = principal.FindFirstValue(StaffClaims.SessionIssuedAt);
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }

    /// <summary>
    /// Why the session must end now (a code for the audit entry, rendered through <c>value:reason:{code}</c>), or null while it is within the policy:
    /// no sign-in time, past the maximum length since sign-in, or idle since <paramref name="lastUse"/> for too long.
    /// </summary>
    public static string? EndReason(SessionPolicy policy, ClaimsPrincipal principal, DateTimeOffset? lastUse, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var issuedAt = IssuedAt(principal);
        return issuedAt is null ? "no-sign-in-time"
            : policy.IsPastLifetime(issuedAt.Value, now) ? "maximum-length"
            : lastUse is not null && policy.IsIdleTooLong(lastUse.Value, now) ? "idle-timeout"
            : null;
    }

    /// <summary>Whether this request renews the cookie, so that it records the session's last use.</summary>
    public static bool ShouldRenew(DateTimeOffset? lastUse, DateTimeOffset now) => lastUse is null || now - lastUse.Value >= RenewAfter;

    /// <summary>The periodic security-stamp refresh rebuilds the claims: keep the session's original start.</summary>
    public static Task KeepSessionStart(SecurityStampRefreshingPrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var original = context.CurrentPrincipal?.FindFirst(StaffClaims.SessionIssuedAt);
        if (original is not null && context.NewPrincipal?.Identity is ClaimsIdentity identity)
        {
            foreach (var claim in identity.FindAll(StaffClaims.SessionIssuedAt).ToList())
            {
                identity.RemoveClaim(claim);
            }
            identity.AddClaim(new Claim(original.Type, original.Value, original.ValueType));
        }
        return Task.CompletedTask;
    }
}
