using Kuroco.Core.Security;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;

namespace Kuroco.Infrastructure.Security;

/// <summary>Identity's password check: the stored <see cref="PasswordPolicy"/> decides, including the history rule.</summary>
internal sealed class PolicyPasswordValidator(IPasswordPolicyStore policies, PasswordHistory history) : IPasswordValidator<StaffUser>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<StaffUser> manager, StaffUser user, string? password)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        var policy = await policies.GetAsync();
        var check = PasswordRules.Check(policy, password ?? "", user.Email, user.DisplayName);
        var errors = check.Violations.Select(v => new IdentityError { Code = v.Code, Description = v.Message }).ToList();
        if (errors.Count == 0 && policy.HistoryCount > 0 && await history.IsReusedAsync(user, password!, policy.HistoryCount, manager.PasswordHasher))
        {
            var reused = PasswordRules.Reused(policy.HistoryCount);
            errors.Add(new IdentityError { Code = reused.Code, Description = reused.Message });
        }
        return errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]);
    }
}
