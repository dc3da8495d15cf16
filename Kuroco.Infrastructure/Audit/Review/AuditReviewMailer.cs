using Kuroco.Core.Audit.Review;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Mail;

namespace Kuroco.Infrastructure.Audit.Review;

/// <summary>
/// The review's mails, through the outbox: ready (to the SecurityOfficers), a finding escalated (to the Administrators) and
/// the overdue reminder (to both). Each recipient gets one mail in their own language (the staff language setting), with
/// times in their own time zone; the texts are in Resources/AuditReviewMessages(.ja).resx.
/// </summary>
public sealed class AuditReviewMailer(IStaffDirectory directory, NoticeMailer notices, TimeProvider clock)
{
    public async Task SendReadyAsync(AuditReview review, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        var prepared = review.PreparedAtUtc ?? clock.GetUtcNow().UtcDateTime;
        await SendAsync([StaffRoles.SecurityOfficer], "audit-review", to => (
            Text(to, "Mail.Ready.Subject", review.Month),
            Text(to, "Mail.Ready.Body", review.Month, Time(to, prepared), review.EntryCount, review.Findings.Count)), cancellationToken);
    }

    public async Task SendEscalatedAsync(AuditReview review, AuditFinding finding, string actorName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(finding);
        var at = finding.DecidedAtUtc ?? clock.GetUtcNow().UtcDateTime;
        await SendAsync([StaffRoles.Administrator], "audit-review-escalation", to => (
            Text(to, "Mail.Escalated.Subject", review.Month),
            Text(to, "Mail.Escalated.Body", review.Month, actorName, Time(to, at), Text(to, "Mail.Kind." + finding.Kind),
                finding.Subject, finding.Detail, finding.EntryCount, finding.Comment)), cancellationToken);
    }

    public async Task SendOverdueAsync(AuditReview review, int overdueDays, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        var prepared = review.PreparedAtUtc ?? review.CreatedAtUtc;
        await SendAsync([StaffRoles.SecurityOfficer, StaffRoles.Administrator], "audit-review-overdue", to => (
            Text(to, "Mail.Overdue.Subject", review.Month),
            Text(to, "Mail.Overdue.Body", review.Month, Time(to, prepared), overdueDays, Time(to, prepared.AddDays(overdueDays)))), cancellationToken);
    }

    /// <summary>One mail to each enabled member of the roles (once per address), written for that recipient.</summary>
    private async Task SendAsync(string[] roles, string kind, Func<StaffRecipient, (string Subject, string Body)> write, CancellationToken cancellationToken)
    {
        var sent = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in roles)
        {
            foreach (var recipient in await directory.GetRecipientsInRoleAsync(role, cancellationToken))
            {
                if (sent.Add(recipient.Email))
                {
                    var (subject, body) = write(recipient);
                    await notices.SendAsync(kind, recipient.Email, recipient.DisplayName, subject, body, cancellationToken);
                }
            }
        }
    }

    private static string Text(StaffRecipient to, string key, params object?[] args) =>
        AuditReviewMessages.FormatIn(StaffLanguages.CultureOf(to.Language), key, args);

    /// <summary>A UTC time as the recipient reads it: in their zone, named.</summary>
    private static string Time(StaffRecipient to, DateTime utc) =>
        Text(to, "Mail.Time", StaffTimeZones.ToLocal(utc, to.TimeZoneId), StaffTimeZones.Find(to.TimeZoneId).Id);
}
