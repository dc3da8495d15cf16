using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// Refresh tokens of the member API (<see cref="MemberRefreshToken"/>): opaque, stored hashed, single use. A sign-in
/// starts a family; each refresh marks the token used and issues its successor in the family, with the family's
/// original expiry (a sign-in lasts one day, or the policy's remember-me days, however often it is refreshed).
/// A used token presented again means it was copied: the whole family is revoked and the event audited.
/// Refreshing is not audited (it happens every few minutes per member); sign-in, sign-out and reuse are.
/// </summary>
internal sealed class MemberSessionService(
    KurocoDbContext db,
    IMemberAccessTokens accessTokens,
    IMemberPasswordPolicyStore policies,
    IAuditLog audit,
    TimeProvider clock) : IMemberSessions
{
    public async Task<MemberTokenPair> IssueAsync(Member member, bool persistent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        var policy = await policies.GetAsync(cancellationToken);
        persistent = persistent && policy.RememberMeAllowed;
        var lifetime = persistent ? TimeSpan.FromDays(policy.RememberMeDays) : MemberAccountRules.SessionLifetime;
        return await AddAsync(member, Guid.NewGuid(), persistent, clock.GetUtcNow().UtcDateTime + lifetime, cancellationToken);
    }

    public async Task<MemberRefreshOutcome> RefreshAsync(string? refreshToken, CancellationToken cancellationToken = default)
    {
        var token = await FindAsync(refreshToken, cancellationToken);
        if (token is null || token.RevokedAtUtc is not null)
        {
            return new(MemberRefreshStatus.Invalid);
        }
        if (token.UsedAtUtc is not null)
        {
            await RevokeFamilyAfterReuseAsync(token, cancellationToken);
            return new(MemberRefreshStatus.Reused);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (token.ExpiresAtUtc <= now)
        {
            return new(MemberRefreshStatus.Invalid);
        }
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == token.MemberId, cancellationToken);
        if (member is null || member.Status != MemberStatus.Active || member.IsLockedOut(clock.GetUtcNow()))
        {
            return new(MemberRefreshStatus.Invalid);
        }
        DateTime? used = now;
        var claimed = await db.MemberRefreshTokens
            .Where(t => t.Id == token.Id && t.UsedAtUtc == null && t.RevokedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAtUtc, used), cancellationToken);
        if (claimed == 0)
        {
            // Another request exchanged it a moment ago: two holders of one token, the same as a replay.
            await RevokeFamilyAfterReuseAsync(token, cancellationToken);
            return new(MemberRefreshStatus.Reused);
        }
        return new(MemberRefreshStatus.Refreshed, await AddAsync(member, token.FamilyId, token.Persistent, token.ExpiresAtUtc, cancellationToken));
    }

    public async Task LogoutAsync(string? refreshToken, CancellationToken cancellationToken = default)
    {
        var token = await FindAsync(refreshToken, cancellationToken);
        if (token is null || token.RevokedAtUtc is not null)
        {
            return;
        }
        var revoked = await RevokeFamilyAsync(token.FamilyId, cancellationToken);
        if (revoked > 0)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.SignOut, MemberAudit.EntityType, token.MemberId.ToString(),
                AuditParameters.Of(("variant", "member")))
            {
                Actor = MemberAudit.Actor(token.MemberId),
            }, cancellationToken);
        }
    }

    public Task<int> RevokeAllAsync(Guid memberId, CancellationToken cancellationToken = default)
    {
        DateTime? now = clock.GetUtcNow().UtcDateTime;
        return db.MemberRefreshTokens.Where(t => t.MemberId == memberId && t.RevokedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAtUtc, now), cancellationToken);
    }

    private async Task<MemberRefreshToken?> FindAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(refreshToken) || refreshToken.Length > MemberAccountRules.MaxTokenInput)
        {
            return null;
        }
        var hash = MemberSecrets.Hash(refreshToken);
        return await db.MemberRefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
    }

    private async Task<MemberTokenPair> AddAsync(Member member, Guid familyId, bool persistent, DateTime expiresAtUtc, CancellationToken cancellationToken)
    {
        var secret = MemberSecrets.Generate();
        db.MemberRefreshTokens.Add(new MemberRefreshToken
        {
            Id = Guid.NewGuid(),
            MemberId = member.Id,
            FamilyId = familyId,
            TokenHash = MemberSecrets.Hash(secret),
            Persistent = persistent,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
            ExpiresAtUtc = expiresAtUtc,
        });
        await db.SaveChangesAsync(cancellationToken);
        var access = accessTokens.Issue(member);
        return new MemberTokenPair(access.Token, access.ExpiresInSeconds, secret, expiresAtUtc);
    }

    private Task<int> RevokeFamilyAsync(Guid familyId, CancellationToken cancellationToken)
    {
        DateTime? now = clock.GetUtcNow().UtcDateTime;
        return db.MemberRefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAtUtc, now), cancellationToken);
    }

    private async Task RevokeFamilyAfterReuseAsync(MemberRefreshToken token, CancellationToken cancellationToken)
    {
        var revoked = await RevokeFamilyAsync(token.FamilyId, cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberRefreshTokenReused, MemberAudit.EntityType, token.MemberId.ToString(),
            AuditParameters.Of(("revoked", revoked.ToString(CultureInfo.InvariantCulture))),
            AuditOutcome.Denied)
        {
            Actor = AuditActor.Anonymous,
        }, cancellationToken);
    }
}
