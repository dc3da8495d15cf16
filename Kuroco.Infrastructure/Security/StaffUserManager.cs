using Kuroco.Core.Security;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Security;

/// <summary>
/// Identity's user manager with the password policy applied: lockout settings come from the stored
/// policy, and every password that is set is kept in the history (as a hash) and announced by mail.
/// </summary>
public sealed class StaffUserManager(
    IUserStore<StaffUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<StaffUser> passwordHasher,
    IEnumerable<IUserValidator<StaffUser>> userValidators,
    IEnumerable<IPasswordValidator<StaffUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<StaffUser>> logger)
    : UserManager<StaffUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    private readonly IOptions<IdentityOptions> identityOptions = optionsAccessor;
    private readonly IServiceProvider provider = services;

    /// <summary>Copies the policy's lockout settings into this scope's options (the shared options are never changed).</summary>
    public async Task ApplyPolicyAsync()
    {
        var policy = await provider.GetRequiredService<IPasswordPolicyStore>().GetAsync();
        var shared = identityOptions.Value;
        Options = new IdentityOptions
        {
            ClaimsIdentity = shared.ClaimsIdentity,
            User = shared.User,
            Password = shared.Password,
            SignIn = shared.SignIn,
            Tokens = shared.Tokens,
            Stores = shared.Stores,
            Lockout = new LockoutOptions
            {
                AllowedForNewUsers = shared.Lockout.AllowedForNewUsers,
                MaxFailedAccessAttempts = policy.MaxFailedAttempts,
                DefaultLockoutTimeSpan = policy.LockoutSpan,
            },
        };
    }

    /// <summary>
    /// Identity counts wrong second-step codes (authenticator, recovery) here. A lock reached this way is
    /// treated like a password lock: the account's open sessions end and the user and the security officers
    /// are mailed. (Password failures are counted atomically by <see cref="SignInAttempts"/> instead.)
    /// </summary>
    public override async Task<IdentityResult> AccessFailedAsync(StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        await ApplyPolicyAsync();
        var wasLocked = await IsLockedOutAsync(user);
        var result = await base.AccessFailedAsync(user);
        if (result.Succeeded && !wasLocked && await IsLockedOutAsync(user))
        {
            await UpdateSecurityStampAsync(user);
            await provider.GetRequiredService<SecurityNotifications>().LockedOutAsync(user, Options.Lockout.MaxFailedAccessAttempts);
        }
        return result;
    }

    public override async Task<IdentityResult> CreateAsync(StaffUser user, string password)
    {
        var result = await base.CreateAsync(user, password);
        if (result.Succeeded)
        {
            await History.RecordAsync(user);
        }
        return result;
    }

    public override async Task<IdentityResult> ChangePasswordAsync(StaffUser user, string currentPassword, string newPassword) =>
        await AfterPasswordSetAsync(user, await base.ChangePasswordAsync(user, currentPassword, newPassword));

    public override async Task<IdentityResult> ResetPasswordAsync(StaffUser user, string token, string newPassword) =>
        await AfterPasswordSetAsync(user, await base.ResetPasswordAsync(user, token, newPassword));

    public override async Task<IdentityResult> AddPasswordAsync(StaffUser user, string password) =>
        await AfterPasswordSetAsync(user, await base.AddPasswordAsync(user, password));

    private PasswordHistory History => provider.GetRequiredService<PasswordHistory>();

    private async Task<IdentityResult> AfterPasswordSetAsync(StaffUser user, IdentityResult result)
    {
        if (result.Succeeded)
        {
            await History.RecordAsync(user);
            await provider.GetRequiredService<SecurityNotifications>().PasswordChangedAsync(user);
        }
        return result;
    }
}
