using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Identity;

internal sealed class StaffClaimsPrincipalFactory(
    UserManager<StaffUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<IdentityOptions> options,
    TimeProvider clock,
    Kuroco.Core.Security.ISessionPolicyStore sessionPolicies)
    : UserClaimsPrincipalFactory<StaffUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(StaffClaims.DisplayName, user.DisplayName));
        identity.AddClaim(new Claim(StaffClaims.TimeZone, user.TimeZoneId));
        if (!user.TwoFactorEnabled)
        {
            var required = (await sessionPolicies.GetAsync()).TwoFactorRequiredRoles;
            if (identity.FindAll(identity.RoleClaimType).Any(c => required.Contains(c.Value, StringComparer.Ordinal)))
            {
                identity.AddClaim(new Claim(StaffClaims.TwoFactorSetupRequired, "true"));
            }
        }
        // A new sign-in (or re-authentication) starts the session's lifetime; the periodic
        // security-stamp refresh copies the original value over this one (see the cookie events).
        identity.AddClaim(new Claim(StaffClaims.SessionIssuedAt,
            clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(StaffClaims.MustChangePassword, "true"));
        }
        return identity;
    }
}
