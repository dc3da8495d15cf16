using System.Globalization;
using System.Security.Claims;
using Kuroco.Core.Audit;
using Kuroco.Core.Security;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Kuroco.Admin.Security;

/// <summary>
/// Enforces the session policy on the sign-in cookie: a session ends after the idle timeout without a
/// request and after the absolute lifetime since sign-in, whatever the use. The last use is the
/// cookie's issue time, renewed at most once a minute while the console is used, so a session ends
/// between the idle timeout less a minute and the idle timeout after its last use.
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

    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal;
        if (principal?.Identity?.IsAuthenticated == true)
        {
            var policy = await context.HttpContext.RequestServices.GetRequiredService<ISessionPolicyStore>().GetAsync(context.HttpContext.RequestAborted);
            var now = context.Options.TimeProvider?.GetUtcNow() ?? TimeProvider.System.GetUtcNow();
            var issuedAt = IssuedAt(principal);
            var lastUse = context.Properties.IssuedUtc;
            string? reason = issuedAt is null ? "no sign-in time"
                : policy.IsPastLifetime(issuedAt.Value, now) ? "maximum session length reached"
                : lastUse is not null && policy.IsIdleTooLong(lastUse.Value, now) ? "idle timeout"
                : null;
            if (reason is not null)
            {
                await EndAsync(context, principal, reason);
                return;
            }
            if (lastUse is null || now - lastUse.Value >= RenewAfter)
            {
                // Records this request as the session's last use (a new cookie with a fresh issue time).
                context.ShouldRenew = true;
            }
        }
        // Then Identity's own check: a changed security stamp ends the session.
        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }

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

    private static async Task EndAsync(CookieValidatePrincipalContext context, ClaimsPrincipal principal, string reason)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var name = principal.Identity?.Name ?? "anonymous";
        await context.HttpContext.RequestServices.GetRequiredService<IAuditLog>().WriteAsync(
            new AuditRecord(AuditActions.SessionEnded, "Staff", userId, $"Session of {name} ended: {reason}.")
            {
                Actor = new AuditActor(userId, name, [.. principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)]),
            }, context.HttpContext.RequestAborted);
    }
}
