using Kuroco.Core.Mail;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Security;

/// <summary>
/// Mails about account security, in English and Japanese (staff have no language setting for mail):
/// to the user when their password changes or their account locks, and to every enabled
/// SecurityOfficer when an account locks.
/// </summary>
public sealed partial class SecurityNotifications(KurocoDbContext db, IMailSender mail, TimeProvider clock, ILogger<SecurityNotifications> logger)
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

    public async Task LockedOutAsync(StaffUser user, int failures, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var at = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(user.Email, user.DisplayName,
            "Your Kuroco account was locked / Kurocoのアカウントがロックされました",
            $"""
            Your Kuroco Admin account ({user.Email}) was locked at {at} after {failures} failed sign-ins.
            If this was not you, tell your security officer. An administrator can unlock the account.

            Kuroco Admin のアカウント({user.Email})は、サインインに{failures}回続けて失敗したため {at} にロックされました。
            心当たりがない場合はセキュリティ担当者に連絡してください。ロックは管理者が解除できます。
            """, cancellationToken);
        var officers = await (from u in db.Users
                              join ur in db.UserRoles on u.Id equals ur.UserId
                              join r in db.Roles on ur.RoleId equals r.Id
                              where r.Name == StaffRoles.SecurityOfficer && u.IsEnabled
                              select new { u.Email, u.DisplayName }).AsNoTracking().ToListAsync(cancellationToken);
        foreach (var officer in officers.DistinctBy(o => o.Email))
        {
            await SendAsync(officer.Email, officer.DisplayName,
                $"Account locked: {user.Email} / アカウントロック: {user.Email}",
                $"""
                The staff account {user.Email} was locked at {at} after {failures} failed sign-ins. See the audit log for the source addresses.

                スタッフアカウント {user.Email} は、サインインに{failures}回続けて失敗したため {at} にロックされました。接続元は監査ログで確認できます。
                """, cancellationToken);
        }
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
