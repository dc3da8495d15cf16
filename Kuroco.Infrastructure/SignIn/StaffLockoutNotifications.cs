using System.Globalization;
using Kuroco.Core.Mail;
using Kuroco.Core.Security.SignIn;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.SignIn;

/// <summary>
/// When a staff account locks: a mail to the user and to every enabled SecurityOfficer, in English and Japanese
/// (staff have no language setting for mail).
/// </summary>
internal sealed partial class StaffLockoutNotifications(KurocoDbContext db, IMailSender mail, TimeProvider clock, ILogger<StaffLockoutNotifications> logger)
    : ISignInNotifications
{
    public async Task LockedOutAsync(SignInAccount account, int failures, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var at = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        await SendAsync(account.Email, account.DisplayName,
            "Your Kuroco account was locked / Kurocoのアカウントがロックされました",
            $"""
            Your Kuroco Admin account ({account.Email}) was locked at {at} after {failures} failed sign-ins.
            If this was not you, tell your security officer. An administrator can unlock the account.

            Kuroco Admin のアカウント({account.Email})は、サインインに{failures}回続けて失敗したため {at} にロックされました。
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
                $"Account locked: {account.Email} / アカウントロック: {account.Email}",
                $"""
                The staff account {account.Email} was locked at {at} after {failures} failed sign-ins. See the audit log for the source addresses.

                スタッフアカウント {account.Email} は、サインインに{failures}回続けて失敗したため {at} にロックされました。接続元は監査ログで確認できます。
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
            // A notification must never undo the lock it reports.
            LogNotSent(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A lockout notification could not be queued.")]
    private static partial void LogNotSent(ILogger logger, Exception exception);
}
