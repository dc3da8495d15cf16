using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Kuroco.Admin.Security;

internal static class AuthenticationEvents
{
    /// <summary>"Remember me" as the password policy allows it: refused, or a persistent cookie for RememberMeDays.</summary>
    public static async Task SigningIn(CookieSigningInContext context)
    {
        if (context.Properties.IsPersistent)
        {
            var policy = await context.HttpContext.RequestServices.GetRequiredService<Kuroco.Core.Security.IPasswordPolicyStore>().GetAsync();
            if (policy.RememberMeAllowed)
            {
                context.Properties.ExpiresUtc = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().AddDays(policy.RememberMeDays);
            }
            else
            {
                context.Properties.IsPersistent = false;
                context.Properties.ExpiresUtc = null;
            }
        }
    }

    /// <summary>Signed in but not allowed: answer 403 (the status page explains it), never a redirect.</summary>
    public static Task Forbidden(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    /// <summary>Anonymous: the API gets 401, a browser is sent to the sign-in page.</summary>
    public static Task ChallengeOrRedirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
