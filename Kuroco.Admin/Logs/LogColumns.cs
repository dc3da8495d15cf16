using System.Globalization;
using Kuroco.Core.Logs;

namespace Kuroco.Admin.Logs;

/// <summary>One column of a log kind: its English header (a LogsResource key, and the export's field name) and its value.</summary>
public sealed record LogColumn(string Header, string Field, Func<LogEntry, string?> Value);

/// <summary>The columns of each kind, shared by the screen and the exports (time comes first, separately).</summary>
public static class LogColumns
{
    public static IReadOnlyList<LogColumn> For(LogKind kind) => kind switch
    {
        LogKind.Application =>
        [
            new("Level", "level", e => ((ApplicationLogEntry)e).Level),
            new("Category", "category", e => ((ApplicationLogEntry)e).Category),
            new("Message", "message", e => ((ApplicationLogEntry)e).Message),
            new("Exception", "exception", e => ((ApplicationLogEntry)e).Exception),
            new("User", "user", e => ((ApplicationLogEntry)e).User),
            new("Correlation ID", "correlationId", e => ((ApplicationLogEntry)e).CorrelationId),
        ],
        LogKind.ApiRequest =>
        [
            new("Method", "method", e => ((ApiRequestLogEntry)e).Method),
            new("Path", "path", e => ((ApiRequestLogEntry)e).Path),
            new("Status", "status", e => ((ApiRequestLogEntry)e).Status.ToString(CultureInfo.InvariantCulture)),
            new("Duration (ms)", "durationMs", e => ((ApiRequestLogEntry)e).DurationMs.ToString(CultureInfo.InvariantCulture)),
            new("API key prefix", "keyPrefix", e => ((ApiRequestLogEntry)e).KeyPrefix),
            new("Member ID", "memberId", e => ((ApiRequestLogEntry)e).MemberId),
            new("Client address", "clientAddress", e => ((ApiRequestLogEntry)e).ClientAddress),
            new("Correlation ID", "correlationId", e => ((ApiRequestLogEntry)e).CorrelationId),
        ],
        LogKind.Job =>
        [
            new("Job", "job", e => ((JobLogEntry)e).JobName),
            new("Job ID", "jobId", e => ((JobLogEntry)e).JobId),
            new("Outcome", "outcome", e => ((JobLogEntry)e).Outcome),
            new("Duration (ms)", "durationMs", e => ((JobLogEntry)e).DurationMs.ToString(CultureInfo.InvariantCulture)),
            new("Error", "error", e => ((JobLogEntry)e).Error),
        ],
        LogKind.Mail =>
        [
            new("Recipient", "recipient", e => ((MailLogEntry)e).Recipient),
            new("Subject", "subject", e => ((MailLogEntry)e).Subject),
            new("Transport", "transport", e => ((MailLogEntry)e).Template),
            new("Outcome", "outcome", e => ((MailLogEntry)e).Outcome),
            new("Message ID", "messageId", e => ((MailLogEntry)e).ProviderMessageId),
            new("Error", "error", e => ((MailLogEntry)e).Error),
        ],
        _ => [],
    };
}
