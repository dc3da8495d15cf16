using Kuroco.Core.Mail;
using Kuroco.Core.Staff;

namespace Kuroco.Infrastructure.Audit;

/// <summary>Mails every enabled SecurityOfficer that the audit chain no longer verifies (nightly check, purge, "Verify now").</summary>
public sealed class AuditIntegrityAlerts(IStaffDirectory directory, IMailSender mail)
{
    public async Task SendAsync(string summary, CancellationToken cancellationToken)
    {
        foreach (var (email, name) in await directory.GetEnabledInRoleAsync(StaffRoles.SecurityOfficer, cancellationToken))
        {
            await mail.SendAsync(new MailMessage(email, name,
                "[Kuroco] Audit log integrity alert / 監査ログ改ざん検知",
                summary + "\n\n" +
                "The audit log's hash chain no longer verifies: an entry was edited or removed. Review the audit log in the console.\n" +
                "監査ログのハッシュチェーンの検証に失敗しました。エントリが改ざんまたは削除されています。管理画面で監査ログを確認してください。"),
                cancellationToken);
        }
    }
}
