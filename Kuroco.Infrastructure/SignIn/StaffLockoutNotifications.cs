using Kuroco.Core.Security.SignIn;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Mail;

namespace Kuroco.Infrastructure.SignIn;

/// <summary>
/// When a staff account locks: a mail to the user and to every enabled SecurityOfficer (from <see cref="IStaffDirectory"/>,
/// as the audit-chain alert finds them), in English and Japanese (staff have no language setting for mail), sent through
/// <see cref="NoticeMailer"/>.
/// </summary>
internal sealed class StaffLockoutNotifications(IStaffDirectory directory, NoticeMailer notices)
    : ISignInNotifications
{
    private const string Kind = "lockout";

    public async Task LockedOutAsync(SignInAccount account, int failures, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var at = notices.Now();
        await notices.SendAsync(Kind, account.Email, account.DisplayName,
            "Your Kuroco account was locked / Kurocoのアカウントがロックされました",
            $"""
            Your Kuroco Admin account ({account.Email}) was locked at {at} after {failures} failed sign-ins.
            If this was not you, tell your security officer. An administrator can unlock the account.

            Kuroco Admin のアカウント({account.Email})は、サインインに{failures}回続けて失敗したため {at} にロックされました。
            心当たりがない場合はセキュリティ担当者に連絡してください。ロックは管理者が解除できます。
            """, cancellationToken);
        var officers = await directory.GetEnabledInRoleAsync(StaffRoles.SecurityOfficer, cancellationToken);
        foreach (var (email, name) in officers.DistinctBy(o => o.Email))
        {
            await notices.SendAsync(Kind, email, name,
                $"Account locked: {account.Email} / アカウントロック: {account.Email}",
                $"""
                The staff account {account.Email} was locked at {at} after {failures} failed sign-ins. See the audit log for the source addresses.

                スタッフアカウント {account.Email} は、サインインに{failures}回続けて失敗したため {at} にロックされました。接続元は監査ログで確認できます。
                """, cancellationToken);
        }
    }
}
