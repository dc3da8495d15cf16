using System.Security.Claims;
using Kuroco.Core.Security.SignIn;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Kuroco.Infrastructure.SignIn;

/// <summary>
/// The staff-specific seam of the sign-in: ASP.NET Core Identity's <see cref="StaffSignInManager"/> and its cookies.
/// Between the steps Identity's two-factor cookie names the account; a finished sign-in gets the application cookie
/// (with the "amr" claim Identity would set: pwd for one factor, mfa after a second step).
/// </summary>
internal sealed class StaffSignInSession(StaffSignInManager signInManager) : ISignInSession
{
    private UserManager<StaffUser> Users => signInManager.UserManager;

    public async Task<bool> RequiresSecondStepAsync(string accountId, CancellationToken cancellationToken = default)
    {
        var user = await UserAsync(accountId);
        return await signInManager.IsTwoFactorEnabledAsync(user) && !await signInManager.IsTwoFactorClientRememberedAsync(user);
    }

    public async Task BeginSecondStepAsync(string accountId, CancellationToken cancellationToken = default) =>
        await signInManager.BeginTwoFactorAsync(await UserAsync(accountId));

    public async Task<string?> PendingSecondStepAsync(CancellationToken cancellationToken = default) =>
        (await signInManager.GetTwoFactorAuthenticationUserAsync())?.Id;

    public async Task<bool> VerifyAuthenticatorCodeAsync(string accountId, string code, CancellationToken cancellationToken = default) =>
        await Users.VerifyTwoFactorTokenAsync(await UserAsync(accountId), signInManager.Options.Tokens.AuthenticatorTokenProvider, code);

    public async Task<int?> RedeemRecoveryCodeAsync(string accountId, string code, CancellationToken cancellationToken = default)
    {
        var user = await UserAsync(accountId);
        return (await Users.RedeemTwoFactorRecoveryCodeAsync(user, code)).Succeeded ? await Users.CountRecoveryCodesAsync(user) : null;
    }

    public async Task<string?> VerifyPasskeyAsync(string credentialJson, CancellationToken cancellationToken = default)
    {
        PasskeyAssertionResult<StaffUser> assertion;
        try
        {
            assertion = await signInManager.PerformPasskeyAssertionAsync(credentialJson);
        }
        catch (InvalidOperationException)
        {
            // No ceremony under way (options never asked for, or expired).
            return null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        if (!assertion.Succeeded)
        {
            return null;
        }
        // The passkey keeps its latest sign count and authenticator data, as Identity's own passkey sign-in does.
        return (await Users.AddOrUpdatePasskeyAsync(assertion.User, assertion.Passkey)).Succeeded ? assertion.User.Id : null;
    }

    public async Task IssueAsync(string accountId, bool persistent, SignInMethod method, CancellationToken cancellationToken = default)
    {
        var user = await UserAsync(accountId);
        if (method is SignInMethod.AuthenticatorCode or SignInMethod.RecoveryCode)
        {
            await signInManager.Context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
            await signInManager.SignInWithClaimsAsync(user, persistent, [new Claim("amr", "mfa")]);
            return;
        }
        await signInManager.SignInWithClaimsAsync(user, persistent, [new Claim("amr", "pwd")]);
    }

    public Task SignOutAsync(CancellationToken cancellationToken = default) => signInManager.SignOutAsync();

    private async Task<StaffUser> UserAsync(string accountId) =>
        await Users.FindByIdAsync(accountId) ?? throw new InvalidOperationException($"No staff account {accountId}.");
}
