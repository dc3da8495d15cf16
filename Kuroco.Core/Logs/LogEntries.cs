namespace Kuroco.Core.Logs;

/// <summary>The four kinds of server log, each with its own table in the log store (kept apart from the main database).</summary>
public enum LogKind
{
    Application,
    ApiRequest,
    Job,
    Mail,
}

/// <summary>Anything the log writer queues; <see cref="At"/> is UTC from the server clock.</summary>
public abstract record LogEntry(DateTimeOffset At)
{
    public abstract LogKind Kind { get; }
}

/// <summary>One application log line (what an ILogger wrote).</summary>
public sealed record ApplicationLogEntry(
    DateTimeOffset At,
    string Level,
    string Category,
    string Message,
    string? Exception,
    string? CorrelationId,
    string? User) : LogEntry(At)
{
    public override LogKind Kind => LogKind.Application;
}

/// <summary>One API request: the path never carries secrets, only the API key's prefix or the member id.</summary>
public sealed record ApiRequestLogEntry(
    DateTimeOffset At,
    string Method,
    string Path,
    int Status,
    long DurationMs,
    string? KeyPrefix,
    string? MemberId,
    string? ClientAddress,
    string? CorrelationId) : LogEntry(At)
{
    public override LogKind Kind => LogKind.ApiRequest;
}

/// <summary>One background job run with its outcome and duration.</summary>
public sealed record JobLogEntry(
    DateTimeOffset At,
    string JobId,
    string JobName,
    string Outcome,
    long DurationMs,
    string? Error) : LogEntry(At)
{
    public override LogKind Kind => LogKind.Job;
}

/// <summary>
/// One delivery attempt of a mail to the mail provider, with the outcome. The app's mail has no template
/// names: <see cref="Template"/> holds the transport ("sendgrid", "local-outbox") and <see cref="ProviderMessageId"/>
/// the id the provider reported for a delivered mail (SendGrid's X-Message-Id; the outbox id for the local outbox),
/// null for a failed attempt.
/// </summary>
public sealed record MailLogEntry(
    DateTimeOffset At,
    string Recipient,
    string Template,
    string Subject,
    string Outcome,
    string? ProviderMessageId,
    string? Error) : LogEntry(At)
{
    public override LogKind Kind => LogKind.Mail;
}
