using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kuroco.Core.Audit;
using Kuroco.Core.Incidents;
using Kuroco.Core.Mail;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Incidents;

/// <summary>
/// Sends one notice (status ③, progress, recovery ⑦) to every subscribed contact interested in the incident's
/// components, through the mail outbox: one mail each, in the contact's language, times in the contact's zone, public
/// fields only, with a fresh single-use unsubscribe link. Records the notice and audits it.
/// </summary>
public sealed partial class IncidentNoticeSender(
    IDbContextFactory<KurocoDbContext> contexts,
    IMailSender mail,
    IAuditLog audit,
    IOptions<IncidentOptions> options,
    TimeProvider clock,
    ILogger<IncidentNoticeSender> logger)
{
    public async Task<int> SendAsync(Incident incident, IncidentNoticeKind kind, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var contacts = await db.Set<NoticeContact>().AsNoTracking().Where(c => c.Subscribed).OrderBy(c => c.Email).ToListAsync(cancellationToken);
        var view = IncidentPublicView.From(incident);
        var sent = 0;
        foreach (var contact in contacts.Where(c => c.Wants(view.Components)))
        {
            var token = NewToken();
            var message = Compose(contact, view, kind, options.Value.Link("notices/unsubscribe?token=" + token));
            try
            {
                await mail.SendAsync(message, cancellationToken);
            }
            catch (FluentValidation.ValidationException ex)
            {
                LogNotSent(logger, contact.Id, ex);
                continue;
            }
            db.Add(new NoticeUnsubscribeToken { Id = Guid.CreateVersion7(), ContactId = contact.Id, TokenHash = Hash(token), IssuedAtUtc = now });
            sent++;
        }
        var notice = new IncidentNotice { Id = Guid.CreateVersion7(), IncidentId = incident.Id, Kind = kind, SentAtUtc = now, By = by, Recipients = sent };
        db.Add(notice);
        await db.SaveChangesAsync(cancellationToken);
        incident.Notices.Add(notice);
        await audit.WriteAsync(new AuditRecord(AuditActions.IncidentNoticeSent, AuditEntityTypes.Incident, incident.Id.ToString(),
            AuditParameters.Of(("kind", kind.ToString()), ("recipients", sent.ToString(CultureInfo.InvariantCulture)))), cancellationToken);
        return sent;
    }

    /// <summary>The mail one contact gets (public fields only).</summary>
    public static MailMessage Compose(NoticeContact contact, IncidentPublicView incident, IncidentNoticeKind kind, string unsubscribeLink)
    {
        ArgumentNullException.ThrowIfNull(contact);
        ArgumentNullException.ThrowIfNull(incident);
        var culture = CultureOf(contact.Language);
        var zone = StaffTimeZones.Find(contact.TimeZoneId);
        string Time(DateTime utc) => IncidentMessages.FormatIn(culture, "Mail.Time",
            TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone), zone.Id);
        var components = incident.Components.Count == 0
            ? IncidentMessages.GetIn(culture, "Mail.AllComponents")
            : string.Join(culture.TwoLetterISOLanguageName == "ja" ? "、" : ", ", incident.Components.Select(c => IncidentMessages.ComponentNameIn(culture, c)));
        var latestNote = kind == IncidentNoticeKind.Progress
            ? incident.Notes.LastOrDefault(n => n.IsProgressReport)
            : incident.Notes.LastOrDefault();
        var latest = latestNote is null ? "" : IncidentMessages.FormatIn(culture, "Mail.Latest", "\n", Time(latestNote.AtUtc), latestNote.Text);
        // The subject is a header: the public title is validated to one line, and the outbox refuses CR/LF again.
        var subject = IncidentMessages.FormatIn(culture, "Mail.Subject." + kind, incident.TitleIn(culture));
        var body = IncidentMessages.FormatIn(culture, "Mail.Body",
            contact.Name,
            IncidentMessages.GetIn(culture, "Mail.Intro." + kind),
            incident.TitleIn(culture),
            incident.Summary,
            components,
            Time(incident.DetectedAtUtc),
            IncidentMessages.StepNameIn(culture, incident.Step),
            latest,
            unsubscribeLink,
            "\n");
        return new MailMessage(contact.Email, contact.Name, subject, body);
    }

    public static CultureInfo CultureOf(string language) =>
        CultureInfo.GetCultureInfo(language == NoticeContact.Japanese ? StaffLanguages.Japanese : StaffLanguages.English);

    internal static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(Level = LogLevel.Warning, Message = "An incident notice to contact {ContactId} could not be queued.")]
    private static partial void LogNotSent(ILogger logger, Guid contactId, Exception exception);
}
