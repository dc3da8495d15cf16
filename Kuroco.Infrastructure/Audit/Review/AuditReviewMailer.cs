using System.Globalization;
using Kuroco.Core.Audit.Review;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Mail;

namespace Kuroco.Infrastructure.Audit.Review;

/// <summary>
/// The review's mails, through the outbox: ready (to the SecurityOfficers), a finding escalated (to the Administrators) and
/// the overdue reminder (to both). Staff accounts have no language setting, so each mail is written in English and Japanese,
/// like every other staff notice.
/// </summary>
public sealed class AuditReviewMailer(IStaffDirectory directory, NoticeMailer notices)
{
    public async Task SendReadyAsync(AuditReview review, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        var subject = $"[Kuroco] Audit review {review.Month} is ready / {review.Month} の監査レビューの準備ができました";
        var body = string.Create(CultureInfo.InvariantCulture,
            $"The audit review of {review.Month} is ready: {review.EntryCount} entries, {review.Findings.Count} findings.\n" +
            $"Open /audit/reviews/{review.Month} in the console, decide each finding and sign the review off.\n\n" +
            $"{review.Month} の監査レビューの準備ができました（エントリ {review.EntryCount} 件、指摘事項 {review.Findings.Count} 件）。\n" +
            $"管理画面の /audit/reviews/{review.Month} を開き、各指摘事項を確認して、レビューを承認してください。");
        await SendAsync([StaffRoles.SecurityOfficer], "audit-review", subject, body, cancellationToken);
    }

    public async Task SendEscalatedAsync(AuditReview review, AuditFinding finding, string actorName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(finding);
        var subject = $"[Kuroco] Audit finding escalated ({review.Month}) / 監査の指摘事項がエスカレーションされました（{review.Month}）";
        var body = string.Create(CultureInfo.InvariantCulture,
            $"{actorName} escalated a finding of the audit review of {review.Month}: {finding.Kind} {finding.Subject} {finding.Detail} ({finding.EntryCount} entries).\n" +
            $"Comment: {finding.Comment}\nOpen /audit/reviews/{review.Month} in the console.\n\n" +
            $"{actorName} が {review.Month} の監査レビューの指摘事項をエスカレーションしました: {finding.Kind} {finding.Subject} {finding.Detail}（エントリ {finding.EntryCount} 件）。\n" +
            $"コメント: {finding.Comment}\n管理画面の /audit/reviews/{review.Month} を開いてください。");
        await SendAsync([StaffRoles.Administrator], "audit-review-escalation", subject, body, cancellationToken);
    }

    public async Task SendOverdueAsync(AuditReview review, int overdueDays, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        var subject = $"[Kuroco] Audit review {review.Month} is overdue / {review.Month} の監査レビューが期限を過ぎています";
        var body = string.Create(CultureInfo.InvariantCulture,
            $"The audit review of {review.Month} has not been signed off within {overdueDays} days of being prepared.\n" +
            $"Open /audit/reviews/{review.Month} in the console, decide each finding and sign the review off.\n\n" +
            $"{review.Month} の監査レビューは、準備から {overdueDays} 日以内に承認されていません。\n" +
            $"管理画面の /audit/reviews/{review.Month} を開き、各指摘事項を確認して、レビューを承認してください。");
        await SendAsync([StaffRoles.SecurityOfficer, StaffRoles.Administrator], "audit-review-overdue", subject, body, cancellationToken);
    }

    private async Task SendAsync(string[] roles, string kind, string subject, string body, CancellationToken cancellationToken)
    {
        var sent = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in roles)
        {
            foreach (var (email, name) in await directory.GetEnabledInRoleAsync(role, cancellationToken))
            {
                if (sent.Add(email))
                {
                    await notices.SendAsync(kind, email, name, subject, body, cancellationToken);
                }
            }
        }
    }
}
