using Kuroco.Core.Mail;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Mail;

/// <summary>Used when no SendGrid key is configured: the message stays in the outbox, readable by Administrators.</summary>
internal sealed partial class LocalOutboxTransport(ILogger<LocalOutboxTransport> logger) : IMailTransport
{
    public string Name => "local-outbox";

    /// <summary>The message is already in the outbox: its id there is the id it is kept under.</summary>
    public Task<MailDelivery> DeliverAsync(Guid outboxId, MailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        LogKept(logger, message.ToAddress);
        return Task.FromResult(new MailDelivery(outboxId.ToString()));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No mail provider configured: mail to {To} kept in the local outbox.")]
    private static partial void LogKept(ILogger logger, string to);
}
