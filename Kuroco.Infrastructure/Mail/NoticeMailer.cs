using System.Globalization;
using Kuroco.Core.Mail;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Mail;

/// <summary>
/// Sends a notice of something that has already happened (an account locked, a password changed) through the outbox.
/// A notice must never undo what it reports: an empty address is skipped and an address the mail rules refuse is
/// logged, not thrown. Notices are written in English and Japanese (staff have no language setting for mail) and
/// state times as <see cref="Now"/> does.
/// </summary>
public sealed partial class NoticeMailer(IMailSender mail, TimeProvider clock, ILogger<NoticeMailer> logger)
{
    /// <summary>The current time as a notice states it: "2026-12-01 09:30 UTC".</summary>
    public string Now() => clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Queues one notice; <paramref name="kind"/> ("lockout", "security") names it in the log line of a refused address.</summary>
    public Task SendAsync(string kind, string? to, string? name, string subject, string body, CancellationToken cancellationToken = default) =>
        SendAsync(kind, to, name, subject, body, [], cancellationToken);

    /// <summary>Queues one notice with files attached (e.g. the monthly SLA report's PDF).</summary>
    public async Task SendAsync(string kind, string? to, string? name, string subject, string body, IReadOnlyList<MailAttachment> attachments,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(to))
        {
            return;
        }
        try
        {
            await mail.SendAsync(new MailMessage(to, string.IsNullOrWhiteSpace(name) ? null : name, subject, body) { Attachments = attachments },
                cancellationToken);
        }
        catch (FluentValidation.ValidationException ex)
        {
            LogNotSent(logger, kind, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Kind} notification could not be queued.")]
    private static partial void LogNotSent(ILogger logger, string kind, Exception exception);
}
