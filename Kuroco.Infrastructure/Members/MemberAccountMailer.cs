using System.Collections.Concurrent;
using Kuroco.Core.Mail;
using Kuroco.Core.Members;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Members;

/// <summary>Sends the account mails (<see cref="MemberAccountMails"/>) through the outbox. A mail that cannot be queued never undoes the change it reports.</summary>
internal sealed partial class MemberAccountMailer(IMailSender mail, IOptions<MemberAccountOptions> options, ILogger<MemberAccountMailer> logger)
{
    public MemberMailSite Site => options.Value.Site;

    public async Task SendAsync(MailMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await mail.SendAsync(message, cancellationToken);
        }
        catch (FluentValidation.ValidationException ex)
        {
            LogNotSent(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A member account mail could not be queued.")]
    private static partial void LogNotSent(ILogger logger, Exception exception);
}

/// <summary>
/// At most one account mail of a kind per member per <see cref="MemberAccountRules.MailInterval"/> from this instance:
/// repeated registrations or reset requests for one address cannot flood its mailbox. In memory (several instances may
/// each send one); the answers to the caller are the same either way.
/// </summary>
internal sealed class MemberMailPacing(TimeProvider clock)
{
    private readonly ConcurrentDictionary<(Guid, string), DateTimeOffset> sent = new();

    /// <summary>True (and remembered) when no mail of <paramref name="kind"/> went to the member within the interval.</summary>
    public bool TryTake(Guid memberId, string kind)
    {
        var now = clock.GetUtcNow();
        if (sent.Count > 10_000)
        {
            foreach (var stale in sent.Where(e => now - e.Value >= MemberAccountRules.MailInterval).Select(e => e.Key).ToList())
            {
                sent.TryRemove(stale, out _);
            }
        }
        var key = (memberId, kind);
        while (true)
        {
            if (sent.TryGetValue(key, out var last))
            {
                if (now - last < MemberAccountRules.MailInterval)
                {
                    return false;
                }
                if (sent.TryUpdate(key, now, last))
                {
                    return true;
                }
            }
            else if (sent.TryAdd(key, now))
            {
                return true;
            }
        }
    }
}
