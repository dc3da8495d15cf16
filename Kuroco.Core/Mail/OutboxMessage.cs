namespace Kuroco.Core.Mail;

public enum OutboxStatus
{
    Queued = 0,
    Sent = 1,
    /// <summary>No mail provider is configured: the message stays in the local outbox only.</summary>
    KeptLocally = 2,
    Failed = 3,
}

/// <summary>A mail message as kept in the database, with its delivery state.</summary>
public sealed class OutboxMessage
{
    public const int ErrorMaxLength = 2000;
    public const int TransportMaxLength = 40;

    public Guid Id { get; set; }
    public string ToAddress { get; set; } = "";
    public string? ToName { get; set; }
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }
    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public string? Transport { get; set; }
    public DateTime? SentAtUtc { get; set; }

    /// <summary>The provider's id of the delivered message (see <see cref="MailDelivery"/>).</summary>
    public string? ProviderMessageId { get; set; }

    /// <summary>The message's attachments (loaded when the message is delivered).</summary>
    public List<OutboxAttachment> Attachments { get; set; } = [];

    public MailMessage ToMessage() => new(ToAddress, ToName, Subject, Body)
    {
        Attachments = [.. Attachments.OrderBy(a => a.Position).Select(a => new MailAttachment(a.FileName, a.ContentType, a.Content))],
    };
}

/// <summary>A file attached to an outbox message, kept until the message is delivered (and with it afterwards).</summary>
public sealed class OutboxAttachment
{
    public Guid Id { get; set; }
    public Guid OutboxMessageId { get; set; }
    public int Position { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public byte[] Content { get; set; } = [];
}

public interface IOutboxReader
{
    Task<OutboxPage> ListAsync(int page, int pageSize, CancellationToken cancellationToken = default);
}

public sealed record OutboxPage(IReadOnlyList<OutboxMessage> Items, int TotalCount);
