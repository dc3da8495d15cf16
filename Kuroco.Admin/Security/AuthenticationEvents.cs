using Kuroco.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Kuroco.Admin.Security;

/// <summary>
/// The sign-in cookie's events (registered as the cookie's EventsType, so the handler builds them per request with
/// their services injected).
/// </summary>
internal sealed class AuthenticationEvents(IPasswordPolicyStore policies, TimeProvider clock) : CookieAuthenticationEvents
{
    /// <summary>"Remember me" as the password policy allows it: refused, or a persistent cookie for RememberMeDays.</summary>
    public override async Task SigningIn(CookieSigningInContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Properties.IsPersistent)
        {
            var policy = await policies.GetAsync(context.HttpContext.RequestAborted);
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

    /// <summary>The session policy and the security stamp, on every request (see <see cref="SessionLifetime"/>).</summary>
    public override Task ValidatePrincipal(CookieValidatePrincipalContext context) => SessionLifetime.ValidatePrincipalAsync(context);

    /// <summary>Signed in but not allowed: answer 403 (the status page explains it), never a redirect.</summary>
    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
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
}
