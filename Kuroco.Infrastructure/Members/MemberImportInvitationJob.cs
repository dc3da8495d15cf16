using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// Mails the invitations an import owes (<see cref="MemberImportInvitation"/> rows written in the batches'
/// transactions) through <see cref="IMemberAccountActions.InviteAsync"/>, one by one, marking each as sent. Idempotent: a
/// rerun sends only what is still unsent. A member who is no longer pending, or has a password by now, is not invited.
/// Queued by <see cref="MemberImportJob"/> when the import completes; only when an <see cref="IMemberAccountActions"/> is
/// registered (the import refuses "send invitations" otherwise).
/// </summary>
internal sealed partial class MemberImportInvitationJob(
    IDbContextFactory<KurocoDbContext> contexts,
    IEnumerable<IMemberAccountActions> accountActions,
    TimeProvider clock,
    ILogger<MemberImportInvitationJob> logger)
{
    private const int ChunkSize = 100;

    public async Task SendAsync(Guid importId, CancellationToken cancellationToken)
    {
        // Asked for as a list so that the app starts while no implementation is registered (the import page then
        // offers no invitations, and this job is never queued).
        var accounts = accountActions.LastOrDefault();
        if (accounts is null)
        {
            LogNoAccountActions(logger, importId);
            return;
        }
        int sent = 0, failed = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var owed = await db.Set<MemberImportInvitation>()
                .Where(i => i.ImportId == importId && i.SentAtUtc == null && i.Error == null)
                .OrderBy(i => i.MemberId)
                .Take(ChunkSize)
                .ToListAsync(cancellationToken);
            if (owed.Count == 0)
            {
                break;
            }
            var ids = owed.Select(i => i.MemberId).ToList();
            var members = await db.Members.AsNoTracking().Include(m => m.Groups).Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
            foreach (var invitation in owed)
            {
                if (!members.TryGetValue(invitation.MemberId, out var member)
                    || member.Status != MemberStatus.PendingVerification || member.PasswordHash is not null)
                {
                    invitation.Error = "The member is no longer waiting for an invitation.";
                    failed++;
                }
                else
                {
                    var result = await accounts.InviteAsync(
                        new MemberInvitation(member.Email, member.DisplayName, member.Language, [.. member.Groups.Select(g => g.GroupId)]), cancellationToken);
                    if (result.Succeeded)
                    {
                        invitation.SentAtUtc = clock.GetUtcNow().UtcDateTime;
                        sent++;
                    }
                    else
                    {
                        var message = result.Message;
                        invitation.Error = message.Length <= MemberImportInvitation.ErrorMaxLength ? message : message[..MemberImportInvitation.ErrorMaxLength];
                        failed++;
                    }
                }
                // One at a time: a crash re-sends at most the invitation in flight.
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        LogSent(logger, importId, sent, failed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Member import {ImportId}: invitations are owed but no IMemberAccountActions is registered; none sent.")]
    private static partial void LogNoAccountActions(ILogger logger, Guid importId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Member import {ImportId}: {Sent} invitations sent, {Failed} not sent.")]
    private static partial void LogSent(ILogger logger, Guid importId, int sent, int failed);
}
