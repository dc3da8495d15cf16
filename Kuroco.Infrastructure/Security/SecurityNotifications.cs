using Kuroco.Infrastructure.Identity;
using Kuroco.Infrastructure.Mail;

namespace Kuroco.Infrastructure.Security;

/// <summary>
/// Mails about account security, in English and Japanese (staff have no language setting for mail): to the user when
/// their password changes, sent through <see cref="NoticeMailer"/>. (The lock mails belong to the sign-in:
/// Kuroco.Infrastructure/SignIn/StaffLockoutNotifications.)
/// </summary>
public sealed class SecurityNotifications(NoticeMailer notices)
{
    public async Task PasswordChangedAsync(StaffUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var at = notices.Now();
        await notices.SendAsync("security", user.Email, user.DisplayName,
            "Your Kuroco password was changed / Kurocoのパスワードが変更されました",
            $"""
            The password of your Kuroco Admin account ({user.Email}) was changed at {at}.
            If you did not do this, contact your administrator or security officer at once.

            Kuroco Admin のアカウント({user.Email})のパスワードが {at} に変更されました。
            心当たりがない場合は、すぐに管理者またはセキュリティ担当者に連絡してください。
            """, cancellationToken);
    }
}
