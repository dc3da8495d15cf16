namespace Kuroco.Core.Mail;

/// <summary>A message to one recipient. Plain text body; the senders add no HTML.</summary>
public sealed record MailMessage(string ToAddress, string? ToName, string Subject, string Body)
{
    public const int AddressMaxLength = 320;
    public const int NameMaxLength = 200;
    public const int SubjectMaxLength = 250;
    public const int BodyMaxLength = 100_000;

    /// <summary>Files sent with the message (e.g. the SLA report's PDF); none by default.</summary>
    public IReadOnlyList<MailAttachment> Attachments { get; init; } = [];
}

/// <summary>A file attached to a mail: its name as the reader sees it, its media type and its bytes.</summary>
public sealed record MailAttachment(string FileName, string ContentType, byte[] Content)
{
    public const int FileNameMaxLength = 200;
    public const int ContentTypeMaxLength = 100;

    /// <summary>The most bytes all of a message's attachments may hold together (SendGrid accepts 30 MB per message).</summary>
    public const int MaxTotalBytes = 10 * 1024 * 1024;
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

    /// <summary>Hands over the outbox message <paramref name="outboxId"/>; throws when the provider refuses it.</summary>
    Task<MailDelivery> DeliverAsync(Guid outboxId, MailMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// A delivered (or locally kept) message: <see cref="ProviderMessageId"/> is the id the provider files it under
/// (SendGrid's <c>X-Message-Id</c>, the outbox id for the local outbox), or null when the provider gave none. It is
/// what to quote when asking the provider what became of a mail.
/// </summary>
public sealed record MailDelivery(string? ProviderMessageId)
{
    public const int ProviderMessageIdMaxLength = 200;
}
