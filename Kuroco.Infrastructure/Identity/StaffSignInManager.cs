using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Identity;

/// <summary>Refuses sign-in to disabled accounts, on top of Identity's own checks.</summary>
internal sealed class StaffSignInManager(
    UserManager<StaffUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<StaffUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<StaffUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<StaffUser> confirmation)
    : SignInManager<StaffUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsEnabled && await base.CanSignInAsync(user);
    }

    /// <summary>
    /// A lockout also ends the account's open sessions: Identity does not change the security stamp
    /// when it locks an account, so an attacker's guessing could not otherwise end a stolen session.
    /// </summary>
    protected override async Task<SignInResult> LockedOut(StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        await UserManager.UpdateSecurityStampAsync(user);
        return await base.LockedOut(user);
    }
}
