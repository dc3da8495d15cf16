using Kuroco.Core.Common;

namespace Kuroco.Core.Webhooks;

/// <summary>Where and what to POST when content changes. The signing secret is kept protected, never in clear.</summary>
public sealed class WebhookSubscription
{
    public const int NameMaxLength = 100;
    public const int UrlMaxLength = 2000;
    public const int ContentTypeMaxLength = 63;
    public const int EventsMaxLength = 200;
    /// <summary>The content type value that matches every type.</summary>
    public const string AllContentTypes = "*";

    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string TargetUrl { get; set; } = "";
    /// <summary>A content type API identifier, or <see cref="AllContentTypes"/>.</summary>
    public string ContentType { get; set; } = AllContentTypes;
    /// <summary>Comma-separated event types (see <see cref="WebhookEventTypes"/>).</summary>
    public string Events { get; set; } = "";
    public bool Enabled { get; set; } = true;
    /// <summary>The HMAC secret, encrypted with ASP.NET Core Data Protection. Never logged or audited.</summary>
    public string ProtectedSecret { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public string? UpdatedBy { get; set; }

    public IReadOnlyList<string> EventList =>
        Events.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool Matches(string eventType, string typeApiId) =>
        Enabled
        && EventList.Contains(eventType, StringComparer.Ordinal)
        && (ContentType == AllContentTypes || string.Equals(ContentType, typeApiId, StringComparison.Ordinal));
}

/// <summary>Stored, so never renumber.</summary>
public enum WebhookDeliveryStatus
{
    Pending = 0,
    Succeeded = 1,
    Failed = 2,
}

/// <summary>One event sent (or to be sent) to one subscription, with the outcome of its latest attempt.</summary>
public sealed class WebhookDelivery
{
    public const int ErrorMaxLength = 1000;
    public const int ResponseExcerptMaxLength = 1000;
    public const int EventTypeMaxLength = 64;

    public Guid Id { get; set; }
    public Guid SubscriptionId { get; set; }
    /// <summary>The event's id: the same for every subscription and for a redelivery (receivers dedupe on it).</summary>
    public Guid EventId { get; set; }
    public string EventType { get; set; } = "";
    public string ContentType { get; set; } = "";
    public Guid? ItemId { get; set; }
    /// <summary>The exact JSON body that is signed and sent.</summary>
    public string Payload { get; set; } = "";
    public int Attempts { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    public int? LastHttpStatus { get; set; }
    public string? LastError { get; set; }
    /// <summary>The first bytes of the receiver's last answer (never more than <see cref="ResponseExcerptMaxLength"/>).</summary>
    public string? LastResponseExcerpt { get; set; }
    /// <summary>The Kuroco-Webhook-Timestamp of the last attempt (Unix seconds).</summary>
    public long? LastTimestamp { get; set; }
    public DateTime? NextAttemptAtUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? LastAttemptAtUtc { get; set; }
    public DateTime? CompletedAtUtc { get; set; }
    /// <summary>The failed delivery this one re-sends, if any.</summary>
    public Guid? RedeliveryOf { get; set; }
}

/// <summary>A host name an Administrator allows as a webhook target even though it resolves to a refused address.</summary>
public sealed class WebhookAllowedHost
{
    public const int HostMaxLength = 253;
    public const int CommentMaxLength = 200;

    public int Id { get; set; }
    public string Host { get; set; } = "";
    public string? Comment { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>What the subscription form edits.</summary>
public sealed class WebhookSubscriptionRequest
{
    public string Name { get; set; } = "";
    public string TargetUrl { get; set; } = "";
    /// <summary>A content type API identifier, or "*" for all.</summary>
    public string ContentType { get; set; } = WebhookSubscription.AllContentTypes;
    public IReadOnlyCollection<string> Events { get; set; } = [WebhookEventTypes.ContentPublished];
    public bool Enabled { get; set; } = true;

    public static WebhookSubscriptionRequest From(WebhookSubscription s) => new()
    {
        Name = s.Name,
        TargetUrl = s.TargetUrl,
        ContentType = s.ContentType,
        Events = [.. s.EventList],
        Enabled = s.Enabled,
    };
}

/// <summary>An allowlisted host as edited on screen.</summary>
public sealed record WebhookAllowedHostEntry(string Host, string? Comment)
{
    public override string ToString() => string.IsNullOrWhiteSpace(Comment) ? Host : $"{Host} ({Comment})";
}

/// <summary>A subscription's newly generated signing secret (on creation or rotation), to be shown once.</summary>
public sealed record WebhookSecretIssued(Guid Id, string Secret)
{
    /// <summary>Never the secret: records print every property, and this one may reach a log.</summary>
    public override string ToString() => $"WebhookSecretIssued {{ Id = {Id} }}";
}

public sealed record WebhookDeliveryQuery(
    Guid? SubscriptionId = null,
    WebhookDeliveryStatus? Status = null,
    string? EventType = null,
    int Page = 0,
    int PageSize = 25)
{
    public const int MaxPageSize = 100;
}

/// <summary>A delivery row with its subscription's name, for the log.</summary>
public sealed record WebhookDeliveryView(WebhookDelivery Delivery, string SubscriptionName, string TargetUrl);

public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryView> Items, int TotalCount);

/// <summary>
/// Subscriptions, deliveries and the host allowlist. Every change is audited (never with the secret). Failures:
/// <see cref="ErrorKind.Validation"/> by input name (a refused target is a "TargetUrl" error), <see cref="ErrorKind.NotFound"/>,
/// <see cref="ErrorKind.Conflict"/> (redelivering a delivery that did not fail).
/// </summary>
public interface IWebhookService
{
    Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken = default);

    Task<WebhookSubscription?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Creates a subscription; the result carries the generated secret, which is shown once and never again.</summary>
    Task<Result<WebhookSecretIssued>> CreateAsync(WebhookSubscriptionRequest request, CancellationToken cancellationToken = default);

    Task<Result> UpdateAsync(Guid id, WebhookSubscriptionRequest request, CancellationToken cancellationToken = default);

    Task<Result> SetEnabledAsync(Guid id, bool enabled, CancellationToken cancellationToken = default);

    Task<Result> DeleteAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Replaces the secret; the result carries the new one (shown once).</summary>
    Task<Result<WebhookSecretIssued>> RotateSecretAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Queues a "webhook.test" event to this one subscription (even when disabled); the value is the delivery's id.</summary>
    Task<Result<Guid>> SendTestAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Sends a failed delivery's payload again as a new delivery with the same event id (the value is its id).</summary>
    Task<Result<Guid>> RedeliverAsync(Guid deliveryId, CancellationToken cancellationToken = default);

    Task<WebhookDeliveryPage> ListDeliveriesAsync(WebhookDeliveryQuery query, CancellationToken cancellationToken = default);

    Task<WebhookDeliveryView?> FindDeliveryAsync(Guid deliveryId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WebhookAllowedHostEntry>> ListAllowedHostsAsync(CancellationToken cancellationToken = default);

    Task<Result> SaveAllowedHostsAsync(IReadOnlyList<WebhookAllowedHostEntry> entries, CancellationToken cancellationToken = default);
}

/// <summary>Resolves a host name to addresses (DNS). Replaceable so the rebinding checks can be tested.</summary>
public interface IWebhookHostResolver
{
    Task<IReadOnlyList<System.Net.IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken = default);
}

/// <summary>The Administrator-managed host allowlist in force, cached.</summary>
public interface IWebhookHostAllowlist
{
    ValueTask<bool> IsAllowedAsync(string host, CancellationToken cancellationToken = default);

    void Invalidate();
}
