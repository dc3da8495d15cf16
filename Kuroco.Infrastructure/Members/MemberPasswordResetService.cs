using System.Globalization;
using System.Threading.Channels;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// A forgotten password (see <see cref="IMemberPasswordReset"/>). A request only queues the address
/// (<see cref="MemberPasswordResetQueue"/>): the answer takes the same time whatever the address, and the lookup and the
/// mail happen afterwards in <see cref="MemberPasswordResetWorker"/>. The reset itself checks the link, the member policy
/// and the history, ends every sign-in (new security stamp, every refresh token revoked) and lifts a lock.
/// </summary>
internal sealed class MemberPasswordResetService(
    KurocoDbContext db,
    MemberPasswordResetQueue queue,
    MemberAccountPasswords passwords,
    MemberAccountTokens tokens,
    MemberAccountMailer mailer,
    MemberMailPacing pacing,
    IMemberSessions sessions,
    IAuditContext auditContext,
    IAuditLog audit,
    TimeProvider clock) : IMemberPasswordReset
{
    public const string ResetMail = "password-reset";

    public async Task RequestAsync(string? email, CancellationToken cancellationToken = default)
    {
        email = email?.Trim();
        if (!EmailRules.IsValid(email))
        {
            return;
        }
        queue.Enqueue(new MemberPasswordResetRequest(email!, await auditContext.GetActorAsync(), auditContext.GetOrigin()));
    }

    /// <summary>The queued part of a request (<see cref="MemberPasswordResetWorker"/>): an active member gets a one-hour link.</summary>
    public async Task SendAsync(MemberPasswordResetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var normalized = MemberText.NormalizeEmail(request.Email);
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.NormalizedEmail == normalized, cancellationToken);
        if (member is null)
        {
            return;
        }
        if (member.Status != MemberStatus.Active || member.PasswordHash is null)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.MemberPasswordResetSent, MemberAudit.EntityType, member.Id.ToString(),
                member.PasswordHash is null
                    ? AuditParameters.Of(("state", member.Status.ToString()), ("variant", "refused-no-password"))
                    : AuditParameters.Of(("state", member.Status.ToString()), ("variant", "refused")),
                AuditOutcome.Denied)
            {
                Actor = request.Actor,
                Origin = request.Origin,
            }, cancellationToken);
            return;
        }
        if (!pacing.TryTake(member.Id, ResetMail))
        {
            return;
        }
        var secret = await tokens.IssueAsync(member.Id, MemberTokenPurpose.PasswordReset, MemberAccountRules.PasswordResetLifetime, cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberPasswordResetSent, MemberAudit.EntityType, member.Id.ToString(),
            AuditParameters.Of(("hours", MemberAccountRules.PasswordResetLifetime.TotalHours.ToString(CultureInfo.InvariantCulture)), ("variant", "api")))
        {
            Actor = request.Actor,
            Origin = request.Origin,
        }, cancellationToken);
        await mailer.SendAsync(MemberAccountMails.PasswordReset(member, mailer.Site, secret), cancellationToken);
    }

    public async Task<Result> ResetAsync(string? token, string? password, CancellationToken cancellationToken = default)
    {
        var found = await tokens.FindUsableAsync(token, [MemberTokenPurpose.PasswordReset], cancellationToken);
        var member = found is null ? null : await db.Members.FirstOrDefaultAsync(m => m.Id == found.MemberId, cancellationToken);
        if (found is null || member is null || member.Status != MemberStatus.Active)
        {
            return Result.Invalid([new FieldError("token", MemberAccountMessages.Get("Member.Link.Invalid"))]);
        }
        var errors = await passwords.CheckAsync("password", password, member.Email, member.DisplayName, member, cancellationToken);
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }
        var wasLocked = member.IsLockedOut(clock.GetUtcNow());
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (!await tokens.ConsumeAsync(found, cancellationToken))
            {
                return Result.Invalid([new FieldError("token", MemberAccountMessages.Get("Member.Link.Invalid"))]);
            }
            passwords.Set(member, passwords.Hash(password!));
            await db.SaveChangesAsync(cancellationToken);
            await tokens.RemoveAsync(member.Id, MemberTokenPurpose.PasswordReset, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await passwords.TrimHistoryAsync(member.Id, cancellationToken);
        var revoked = await sessions.RevokeAllAsync(member.Id, cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberPasswordReset, MemberAudit.EntityType, member.Id.ToString(),
            wasLocked
                ? AuditParameters.Of(("revoked", revoked.ToString(CultureInfo.InvariantCulture)), ("variant", "unlocked"))
                : AuditParameters.Of(("revoked", revoked.ToString(CultureInfo.InvariantCulture))))
        {
            Actor = MemberAudit.Actor(member.Id),
        }, cancellationToken);
        await mailer.SendAsync(MemberAccountMails.PasswordChanged(member, mailer.Site, clock.GetUtcNow()), cancellationToken);
        return Result.Success;
    }
}

/// <summary>A queued "forgot password" request, with who asked (the website's key) and from where, for the audit entry.</summary>
internal sealed record MemberPasswordResetRequest(string Email, AuditActor Actor, AuditOrigin Origin);

/// <summary>
/// The in-memory queue between the "forgot password" answer and its work (bounded: beyond 1,000 waiting requests new
/// ones are dropped and logged; the per-address rate limit keeps it far from that). A request still waiting when the
/// process stops is lost — the member simply asks again.
/// </summary>
internal sealed partial class MemberPasswordResetQueue(ILogger<MemberPasswordResetQueue> logger)
{
    private readonly Channel<MemberPasswordResetRequest> channel = Channel.CreateBounded<MemberPasswordResetRequest>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public ChannelReader<MemberPasswordResetRequest> Reader => channel.Reader;

    public void Enqueue(MemberPasswordResetRequest request)
    {
        if (!channel.Writer.TryWrite(request))
        {
            LogDropped(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A password-reset request was dropped: the queue is full.")]
    private static partial void LogDropped(ILogger logger);
}

/// <summary>Works through <see cref="MemberPasswordResetQueue"/>, one request at a time, each in its own scope.</summary>
internal sealed partial class MemberPasswordResetWorker(MemberPasswordResetQueue queue, IServiceScopeFactory scopes, ILogger<MemberPasswordResetWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<MemberPasswordResetService>().SendAsync(request, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A password-reset request could not be handled.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
