using System.Globalization;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Logs;
using Kuroco.Core.Mail;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Mail;

/// <summary>
/// Delivers one outbox message. Idempotent (a delivered message is not sent again); a failure is
/// recorded and rethrown so Hangfire retries with back-off; after the last attempt the message is
/// marked Failed and an audit entry reports it.
/// </summary>
public sealed partial class MailDispatchJob(
    KurocoDbContext db,
    IMailTransport transport,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<MailDispatchJob> logger,
    ILogWriter serverLog)
{
    public const int MaxAttempts = 5;

    [AutomaticRetry(Attempts = MaxAttempts - 1, DelaysInSeconds = [10, 60, 300, 1800], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task ExecuteAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var row = await db.OutboxMessages.Include(m => m.Attachments).FirstOrDefaultAsync(m => m.Id == messageId, cancellationToken);
        if (row is null || row.Status is OutboxStatus.Sent or OutboxStatus.KeptLocally or OutboxStatus.Failed)
        {
            return;
        }
        row.Attempts++;
        try
        {
            var delivery = await transport.DeliverAsync(row.Id, row.ToMessage(), cancellationToken);
            row.Status = transport is LocalOutboxTransport ? OutboxStatus.KeptLocally : OutboxStatus.Sent;
            row.Transport = transport.Name;
            row.SentAtUtc = clock.GetUtcNow().UtcDateTime;
            row.LastError = null;
            row.ProviderMessageId = delivery.ProviderMessageId;
            await db.SaveChangesAsync(CancellationToken.None);
            serverLog.TryWrite(new MailLogEntry(clock.GetUtcNow(), row.ToAddress, transport.Name, row.Subject, row.Status.ToString(),
                delivery.ProviderMessageId, null));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var error = ex.Message.Length > OutboxMessage.ErrorMaxLength ? ex.Message[..OutboxMessage.ErrorMaxLength] : ex.Message;
            row.LastError = error;
            row.Transport = transport.Name;
            LogFailure(logger, messageId, row.Attempts, ex);
            serverLog.TryWrite(new MailLogEntry(clock.GetUtcNow(), row.ToAddress, transport.Name, row.Subject,
                row.Attempts >= MaxAttempts ? nameof(OutboxStatus.Failed) : "Retrying", null, error));
            if (row.Attempts >= MaxAttempts)
            {
                row.Status = OutboxStatus.Failed;
                await db.SaveChangesAsync(CancellationToken.None);
                await audit.WriteAsync(new AuditRecord(AuditActions.MailFailed, "Mail", messageId.ToString(),
                    AuditParameters.Of(("to", row.ToAddress), ("attempts", row.Attempts.ToString(CultureInfo.InvariantCulture)), ("error", error)),
                    AuditOutcome.Failure),
                    CancellationToken.None);
                return;
            }
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {MessageId} delivery attempt {Attempt} failed.")]
    private static partial void LogFailure(ILogger logger, Guid messageId, int attempt, Exception exception);
}
