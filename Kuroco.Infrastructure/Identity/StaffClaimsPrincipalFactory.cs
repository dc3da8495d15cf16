using Kuroco.Core.Security;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Identity;

internal sealed class StaffClaimsPrincipalFactory(
    UserManager<StaffUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<IdentityOptions> options,
    IPasswordPolicyStore policies,
    TimeProvider clock,
    ISessionPolicyStore sessionPolicies)
    : UserClaimsPrincipalFactory<StaffUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(StaffClaims.DisplayName, user.DisplayName));
        identity.AddClaim(new Claim(StaffClaims.TimeZone, user.TimeZoneId));
        if (user.Language is not null)
        {
            identity.AddClaim(new Claim(StaffClaims.Language, user.Language));
        }
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
        // Re-evaluated at every security-stamp validation (each minute), so a password that expires
        // during a session sends the user to the change-password page too.
        var expired = (await policies.GetAsync()).IsExpired(user.PasswordChangedAtUtc ?? user.CreatedAtUtc, clock.GetUtcNow());
        if (user.MustChangePassword || expired)
        {
            identity.AddClaim(new Claim(StaffClaims.MustChangePassword, "true"));
        }
        if (expired)
        {
            identity.AddClaim(new Claim(StaffClaims.PasswordExpired, "true"));
        }
        return identity;
    }
}
