using Kuroco.Infrastructure.Identity;

namespace Kuroco.Admin.Security;

/// <summary>
/// An account that must change its password (first sign-in, forced by an Administrator, expired) can reach
/// nothing but the change-password page and its strength meter (see <see cref="ConfinedAccount"/>).
/// </summary>
public sealed class MustChangePasswordMiddleware(RequestDelegate next)
{
    public const string ChangePasswordPath = "/account/change-password";

    public Task InvokeAsync(HttpContext context) =>
        ConfinedAccount.ConfineAsync(context, next, StaffClaims.MustChangePassword, ChangePasswordPath, PasswordCheckApi.Path);
}
