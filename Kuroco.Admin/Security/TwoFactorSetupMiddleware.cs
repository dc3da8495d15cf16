using Kuroco.Infrastructure.Identity;

namespace Kuroco.Admin.Security;

/// <summary>
/// An account whose role requires two-factor sign-in but that has not enrolled yet can reach nothing
/// but the enrolment page (and a pending password change) — see <see cref="ConfinedAccount"/>.
/// </summary>
public sealed class TwoFactorSetupMiddleware(RequestDelegate next)
{
    public const string EnrolmentPath = "/account/two-factor";

    public Task InvokeAsync(HttpContext context) =>
        ConfinedAccount.ConfineAsync(context, next, StaffClaims.TwoFactorSetupRequired, EnrolmentPath,
            MustChangePasswordMiddleware.ChangePasswordPath, PasswordCheckApi.Path);
}
