using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;

namespace Kuroco.Admin.Account;

/// <summary>The end of a sign-in's second step: audit it and, on success, go where the password step would have gone.</summary>
internal static class TwoFactorSignIn
{
    public static async Task CompleteAsync(SignInResult result, StaffUser user, string method, UserManager<StaffUser> users,
        IAuditLog audit, TimeProvider clock, Kuroco.Infrastructure.Security.SignInAttempts attempts, IdentityRedirectManager redirect, string? returnUrl)
    {
        var roles = (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
        var actor = new AuditActor(user.Id, user.Email ?? "", roles);
        if (result.Succeeded)
        {
            await attempts.RecordSignInAsync(user.Id, clock.GetUtcNow().UtcDateTime);
            await audit.WriteAsync(new AuditRecord(AuditActions.SignInSucceeded, "Staff", user.Id, $"{user.Email} signed in with a password and {method}.") { Actor = actor });
            redirect.RedirectTo(user.MustChangePassword
                ? $"/account/change-password?returnUrl={Uri.EscapeDataString(LocalUrl.OrRoot(returnUrl))}"
                : LocalUrl.OrRoot(returnUrl));
            return;
        }
        await audit.WriteAsync(new AuditRecord(result.IsLockedOut ? AuditActions.LockedOut : AuditActions.SignInFailed, "Staff", user.Id,
            result.IsLockedOut ? $"{user.Email} is locked out (second sign-in step)." : $"Sign-in failed for {user.Email}: wrong {method}.",
            result.IsLockedOut ? AuditOutcome.Denied : AuditOutcome.Failure) { Actor = actor });
    }
}
