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

    public MailMessage ToMessage() => new(ToAddress, ToName, Subject, Body);
}

public interface IOutboxReader
{
    Task<OutboxPage> ListAsync(int page, int pageSize, CancellationToken cancellationToken = default);
}

public sealed record OutboxPage(IReadOnlyList<OutboxMessage> Items, int TotalCount);
