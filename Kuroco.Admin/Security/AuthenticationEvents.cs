using System.Globalization;
using System.Security.Claims;
using Kuroco.Core.Audit;
using Kuroco.Core.Security;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace Kuroco.Admin.Security;

/// <summary>
/// The sign-in cookie's events. Registered as the cookie's EventsType and as a scoped service, so the cookie handler
/// takes them from the request's services: every dependency, scoped ones included, comes in through the constructor
/// (ASP.NET Core's documented pattern for cookie events that need services).
/// </summary>
internal sealed class AuthenticationEvents(
    IPasswordPolicyStore passwordPolicies,
    ISessionPolicyStore sessionPolicies,
    IAuditLog audit,
    TimeProvider clock,
    AccessDeniedAudit accessDenied) : CookieAuthenticationEvents
{
    /// <summary>"Remember me" as the password policy allows it: refused, or a persistent cookie for RememberMeDays.</summary>
    public override async Task SigningIn(CookieSigningInContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Properties.IsPersistent)
        {
            var policy = await passwordPolicies.GetAsync(context.HttpContext.RequestAborted);
            if (policy.RememberMeAllowed)
            {
                context.Properties.ExpiresUtc = clock.GetUtcNow().AddDays(policy.RememberMeDays);
            }
            else
            {
                context.Properties.IsPersistent = false;
                context.Properties.ExpiresUtc = null;
            }
        }
    }

    /// <summary>
    /// Signed in (password, second step, passkey, recovery code): the console switches to the account's language, so
    /// the choice made in one browser follows the person to another.
    /// </summary>
    public override Task SignedIn(CookieSignedInContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Kuroco.Core.Staff.StaffLanguages.Normalize(context.Principal?.FindFirstValue(StaffClaims.Language)) is { } language)
        {
            Localization.CultureApi.AppendCookie(context.HttpContext, language);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// On every request: the session policy (see <see cref="SessionLifetime"/>; a session past it is signed out and
    /// audited), the renewal that records the last use, then Identity's security-stamp check.
    /// </summary>
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal;
        if (principal?.Identity?.IsAuthenticated == true)
        {
            var policy = await sessionPolicies.GetAsync(context.HttpContext.RequestAborted);
            var now = context.Options.TimeProvider?.GetUtcNow() ?? TimeProvider.System.GetUtcNow();
            var lastUse = context.Properties.IssuedUtc;
            if (SessionLifetime.EndReason(policy, principal, lastUse, now) is { } reason)
            {
                await EndSessionAsync(context, principal, reason);
                return;
            }
            if (SessionLifetime.ShouldRenew(lastUse, now))
            {
                // Records this request as the session's last use (a new cookie with a fresh issue time).
                context.ShouldRenew = true;
            }
        }
        // Then Identity's own check: a changed security stamp ends the session.
        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    /// <summary>
    /// Signed in but not allowed: answer 403 (the status page explains it), never a redirect, and audit it with the page
    /// and the roles it needs, coalesced like IP denials (one entry per user and page per window, the next one counting the rest).
    /// </summary>
    public override async Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        var http = context.HttpContext;
        await accessDenied.RecordAsync(http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous", http.Request.Method, http.Request.Path.Value,
            http.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>() ?? []);
    }

    /// <summary>
    /// After signing in on the sign-in page, the cookie handler itself follows its ReturnUrl: only a local one,
    /// percent-encoded (a raw Japanese path in a Location header makes Kestrel fail the response with a 500).
    /// </summary>
    public override Task RedirectToReturnUrl(RedirectContext<CookieAuthenticationOptions> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Redirect(LocalUrl.ForRedirect(context.RedirectUri));
        return Task.CompletedTask;
    }

    /// <summary>The same for the sign-out path's ReturnUrl.</summary>
    public override Task RedirectToLogout(RedirectContext<CookieAuthenticationOptions> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Redirect(LocalUrl.ForRedirect(context.RedirectUri));
        return Task.CompletedTask;
    }

    /// <summary>Anonymous: the API gets 401, a browser is sent to the sign-in page (the address percent-encoded for the header).</summary>
    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }
        context.Response.Redirect(LocalUrl.Encode(context.RedirectUri));
        return Task.CompletedTask;
    }

    private async Task EndSessionAsync(CookieValidatePrincipalContext context, ClaimsPrincipal principal, string reason)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var name = principal.Identity?.Name ?? "anonymous";
        await audit.WriteAsync(
            new AuditRecord(AuditActions.SessionEnded, "Staff", userId, AuditParameters.Of(("reason", reason)))
            {
                Actor = new AuditActor(userId, name, [.. principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)]),
            }, context.HttpContext.RequestAborted);
    }
}
