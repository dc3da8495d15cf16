using System.Globalization;
using Kuroco.Core.Backups;
using Kuroco.Core.Backups.Requests;
using Kuroco.Core.Mail;
using Kuroco.Core.Staff;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Backups.Requests;

/// <summary>
/// The mails to the customer's contact, in the contact's language (en/ja), through the outbox (which refuses header
/// injection; the intake already refused CR/LF in the name and address). Times are stated in the company zone.
/// </summary>
internal sealed class RestoreRequestMailer(IMailSender mail, IOptions<RestoreRequestOptions> options)
{
    public Task SendQuoteAsync(RestoreRequest request, Uri approvalLink, DateTime linkExpiresAtUtc, CancellationToken cancellationToken)
    {
        var culture = CultureInfo.GetCultureInfo(request.ContactLanguage);
        var subject = Text("Mail.Quote.Subject", culture, request.Reference);
        var body = Text("Mail.Quote.Body", culture, request.Reference, request.CustomerName,
            RestoreFees.Format(request.FeeJpy ?? 0, request.ContactLanguage), Time(request.PromisedAtUtc!.Value), Time(linkExpiresAtUtc),
            approvalLink.AbsoluteUri);
        return mail.SendAsync(new MailMessage(request.ContactEmail, request.CustomerName, subject, body), cancellationToken);
    }

    public Task SendCompletionAsync(RestoreRequest request, RestoreApplySummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var culture = CultureInfo.GetCultureInfo(request.ContactLanguage);
        var subject = Text("Mail.Done.Subject", culture, request.Reference);
        var body = Text("Mail.Done.Body", culture, request.Reference, request.CustomerName,
            summary.Added, summary.Overwritten, summary.Unchanged, summary.KeptLive, summary.Renamed);
        return mail.SendAsync(new MailMessage(request.ContactEmail, request.CustomerName, subject, body), cancellationToken);
    }

    private string Time(DateTime utc)
    {
        var zone = options.Value.TimeZone;
        return StaffTimeZones.ToLocal(utc, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (" + zone + ")";
    }

    private static string Text(string key, CultureInfo culture, params object?[] args) =>
        string.Format(culture, RestoreRequestMessages.Get(key, culture), args);
}
