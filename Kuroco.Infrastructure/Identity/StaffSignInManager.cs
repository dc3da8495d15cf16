using Kuroco.Core.Audit;
using Kuroco.Core.Security;
using Kuroco.Infrastructure.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Identity;

/// <summary>
/// Refuses sign-in to disabled accounts, on top of Identity's own checks, and counts failures under
/// the stored password policy so that parallel attempts cannot get past the lockout (see <see cref="SignInAttempts"/>).
/// </summary>
internal sealed class StaffSignInManager(
    UserManager<StaffUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<StaffUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<StaffUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<StaffUser> confirmation,
    IServiceProvider services)
    : SignInManager<StaffUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsEnabled && await base.CanSignInAsync(user);
    }

    private const int MaxWaits = 30;
    private static readonly TimeSpan WaitStep = TimeSpan.FromMilliseconds(100);

    public override async Task<SignInResult> CheckPasswordSignInAsync(StaffUser user, string password, bool lockoutOnFailure)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!lockoutOnFailure || !UserManager.SupportsUserLockout || !await UserManager.GetLockoutEnabledAsync(user))
        {
            return await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        }
        if (await PreSignInCheck(user) is { } refused)
        {
            SpendOneHash(password);
            return refused;
        }
        var policy = await services.GetRequiredService<IPasswordPolicyStore>().GetAsync();
        var attempts = services.GetRequiredService<SignInAttempts>();
        var attempt = await attempts.ReserveAsync(user.Id);
        // Beyond the allowance while earlier attempts are still being checked: wait a little for them (a right
        // password among them resets the count; wrong ones lock the account) rather than refusing a right
        // password from a second tab. Never more than MaxFailedAttempts checks run at once either way.
        for (var wait = 0; attempt > policy.MaxFailedAttempts && wait < MaxWaits; wait++)
        {
            await attempts.ReleaseAsync(user.Id);
            await Task.Delay(WaitStep);
            attempt = await attempts.ReserveAsync(user.Id);
        }
        if (attempt is null)
        {
            SpendOneHash(password);
            return SignInResult.LockedOut;
        }
        if (attempt > policy.MaxFailedAttempts)
        {
            // Beyond the allowance while earlier attempts are still being checked: refused unchecked.
            await attempts.ReleaseAsync(user.Id);
            SpendOneHash(password);
            return SignInResult.LockedOut;
        }
        // The password is checked here rather than by the base method: on success the base method resets
        // the failure count through the tracked account (a full-row update guarded by the concurrency stamp),
        // which fails whenever another sign-in of the same account updated the row meanwhile, and it then
        // answers Failed to a right password. The count lives in the database and is reset atomically instead.
        if (await UserManager.CheckPasswordAsync(user, password))
        {
            if (await IsTwoFactorEnabledAsync(user) && !await IsTwoFactorClientRememberedAsync(user))
            {
                // The right password is not a failure, but the second step still has to pass: as Identity does,
                // the earlier failures stand until the sign-in completes.
                await attempts.ReleaseAsync(user.Id);
            }
            else
            {
                await attempts.ResetAsync(user.Id);
            }
            return SignInResult.Success;
        }
        var result = SignInResult.Failed;
        if (result == SignInResult.Failed && attempt == policy.MaxFailedAttempts)
        {
            // Exactly one attempt reaches this point per lock, however many run in parallel: one entry, one set of mails.
            user.SecurityStamp = await attempts.LockAsync(user.Id, policy.LockoutSpan);
            user.LockoutEnd = services.GetRequiredService<TimeProvider>().GetUtcNow() + policy.LockoutSpan;
            await services.GetRequiredService<IAuditLog>().WriteAsync(new AuditRecord(AuditActions.LockedOut, "Staff", user.Id,
                $"{user.Email} locked out after {attempt.Value} failed sign-ins.", AuditOutcome.Denied,
                [new FieldChange("LockoutEnd", null, user.LockoutEnd.Value.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture))])
            {
                Actor = new AuditActor(user.Id, user.Email ?? user.Id, []),
            });
            await services.GetRequiredService<SecurityNotifications>().LockedOutAsync(user, attempt.Value);
            return SignInResult.LockedOut;
        }
        return result;
    }

    /// <summary>Refusals made without checking the password still cost one hash, so timing does not tell locked or disabled accounts apart.</summary>
    private void SpendOneHash(string password) => services.GetRequiredService<SignInTiming>().VerifyAgainstDummy(password);
}
