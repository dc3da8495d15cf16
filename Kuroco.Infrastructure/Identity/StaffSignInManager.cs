using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Identity;

/// <summary>
/// Identity's sign-in manager as the staff seam of the sign-in service (see Kuroco.Infrastructure/SignIn): it issues
/// the cookies and runs the passkey ceremony, and refuses disabled accounts on top of Identity's own checks. The rules
/// of signing in (attempt counting, lockout, timing, audit) are not here: Identity's own sign-in methods are closed, so
/// nothing can sign in past <c>ISignInService</c>.
/// </summary>
public sealed class StaffSignInManager(
    UserManager<StaffUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<StaffUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<StaffUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<StaffUser> confirmation)
    : SignInManager<StaffUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private const string UseTheSignInService = "Staff sign in through Kuroco.Core.Security.SignIn.ISignInService, which applies the lockout, timing and audit rules.";

    public override async Task<bool> CanSignInAsync(StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsEnabled && await base.CanSignInAsync(user);
    }

    /// <summary>The password was right and a second step is owed: Identity's two-factor cookie remembers the account until then.</summary>
    public async Task BeginTwoFactorAsync(StaffUser user)
    {
        var result = await SignInOrTwoFactorAsync(user, isPersistent: false);
        if (!result.RequiresTwoFactor)
        {
            throw new InvalidOperationException("The account has no second sign-in step to begin.");
        }
    }

    public override Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure) =>
        throw new NotSupportedException(UseTheSignInService);

    public override Task<SignInResult> PasswordSignInAsync(StaffUser user, string password, bool isPersistent, bool lockoutOnFailure) =>
        throw new NotSupportedException(UseTheSignInService);

    public override Task<SignInResult> CheckPasswordSignInAsync(StaffUser user, string password, bool lockoutOnFailure) =>
        throw new NotSupportedException(UseTheSignInService);

    public override Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient) =>
        throw new NotSupportedException(UseTheSignInService);

    public override Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode) =>
        throw new NotSupportedException(UseTheSignInService);

    public override Task<SignInResult> PasskeySignInAsync(string credentialJson) =>
        throw new NotSupportedException(UseTheSignInService);
}
