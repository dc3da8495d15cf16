namespace Kuroco.Core.Mail;

/// <summary>A message to one recipient. Plain text body; the senders add no HTML.</summary>
public sealed record MailMessage(string ToAddress, string? ToName, string Subject, string Body)
{
    public const int AddressMaxLength = 320;
    public const int NameMaxLength = 200;
    public const int SubjectMaxLength = 250;
    public const int BodyMaxLength = 100_000;
}

/// <summary>
/// Sends mail. Implementations validate the message (no CR or LF in any header value), keep it in
/// the outbox and deliver it from a background job with retries.
/// </summary>
public interface IMailSender
{
    /// <exception cref="FluentValidation.ValidationException">The message is invalid (e.g. header injection); nothing is queued.</exception>
    Task<Guid> SendAsync(MailMessage message, CancellationToken cancellationToken = default);
}

/// <summary>Delivers a message to the outside world (SendGrid), or keeps it in the local outbox.</summary>
public interface IMailTransport
{
    /// <summary>A short name shown in the outbox ("sendgrid", "local-outbox").</summary>
    string Name { get; }

    Task DeliverAsync(MailMessage message, CancellationToken cancellationToken);
}
