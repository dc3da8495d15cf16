using Kuroco.Core.Mail;
using Kuroco.Infrastructure.Identity;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Security;

/// <summary>
/// Mails about account security, in English and Japanese (staff have no language setting for mail): to the user when
/// their password changes. (The lock mails belong to the sign-in: Kuroco.Infrastructure/SignIn/StaffLockoutNotifications.)
/// </summary>
public sealed partial class SecurityNotifications(IMailSender mail, TimeProvider clock, ILogger<SecurityNotifications> logger)
{
    public async Task PasswordChangedAsync(StaffUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var at = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(user.Email, user.DisplayName,
            "Your Kuroco password was changed / Kurocoのパスワードが変更されました",
            $"""
            The password of your Kuroco Admin account ({user.Email}) was changed at {at}.
            If you did not do this, contact your administrator or security officer at once.

            Kuroco Admin のアカウント({user.Email})のパスワードが {at} に変更されました。
            心当たりがない場合は、すぐに管理者またはセキュリティ担当者に連絡してください。
            """, cancellationToken);
    }

    private async Task SendAsync(string? to, string? name, string subject, string body, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(to))
        {
            return;
        }
        try
        {
            await mail.SendAsync(new MailMessage(to, string.IsNullOrWhiteSpace(name) ? null : name, subject, body), cancellationToken);
        }
        catch (FluentValidation.ValidationException ex)
        {
            // A notification must never undo the change it reports.
            LogNotSent(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A security notification could not be queued.")]
    private static partial void LogNotSent(ILogger logger, Exception exception);
}
