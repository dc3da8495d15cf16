using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Security;

/// <summary>
/// Identity's user manager with the password policy applied: every password that is set is kept in the history (as a
/// hash) and announced by mail. (Failed sign-ins are counted by the sign-in service, Kuroco.Infrastructure/SignIn.)
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
    ILogger<UserManager<StaffUser>> logger,
    PasswordHistory history,
    SecurityNotifications notifications)
    : UserManager<StaffUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> CreateAsync(StaffUser user, string password)
    {
        var result = await base.CreateAsync(user, password);
        if (result.Succeeded)
        {
            await history.RecordAsync(user);
        }
        return result;
    }

    public override async Task<IdentityResult> ChangePasswordAsync(StaffUser user, string currentPassword, string newPassword) =>
        await AfterPasswordSetAsync(user, await base.ChangePasswordAsync(user, currentPassword, newPassword));

    public override async Task<IdentityResult> ResetPasswordAsync(StaffUser user, string token, string newPassword) =>
        await AfterPasswordSetAsync(user, await base.ResetPasswordAsync(user, token, newPassword));

    public override async Task<IdentityResult> AddPasswordAsync(StaffUser user, string password) =>
        await AfterPasswordSetAsync(user, await base.AddPasswordAsync(user, password));

    private async Task<IdentityResult> AfterPasswordSetAsync(StaffUser user, IdentityResult result)
    {
        if (result.Succeeded)
        {
            await history.RecordAsync(user);
            await notifications.PasswordChangedAsync(user);
        }
        return result;
    }
}
