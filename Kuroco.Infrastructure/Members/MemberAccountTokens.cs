using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// The single-use tokens of the account mails (<see cref="MemberToken"/>): generated, stored as a SHA-256 hash only,
/// expiring, and used up atomically — of two requests with one token, one wins. Issuing a token removes the member's
/// earlier tokens of the same purpose, so only the newest link of a kind works.
/// </summary>
internal sealed class MemberAccountTokens(KurocoDbContext db, TimeProvider clock)
{
    /// <summary>A new token for <paramref name="memberId"/> (saved at once); the secret to mail.</summary>
    public async Task<string> IssueAsync(Guid memberId, MemberTokenPurpose purpose, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        await db.MemberTokens.Where(t => t.MemberId == memberId && t.Purpose == purpose).ExecuteDeleteAsync(cancellationToken);
        var secret = MemberSecrets.Generate();
        var now = clock.GetUtcNow().UtcDateTime;
        db.MemberTokens.Add(new MemberToken
        {
            Id = Guid.NewGuid(),
            MemberId = memberId,
            Purpose = purpose,
            TokenHash = MemberSecrets.Hash(secret),
            CreatedAtUtc = now,
            ExpiresAtUtc = now + lifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    /// <summary>The usable token (unused, unexpired, of one of <paramref name="purposes"/>) behind a presented secret, or null.</summary>
    public async Task<MemberToken?> FindUsableAsync(string? secret, IReadOnlyCollection<MemberTokenPurpose> purposes, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > MemberAccountRules.MaxTokenInput)
        {
            return null;
        }
        var hash = MemberSecrets.Hash(secret);
        var token = await db.MemberTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        return token is not null && purposes.Contains(token.Purpose) && token.IsUsable(clock.GetUtcNow()) ? token : null;
    }

    /// <summary>Uses the token up (inside the caller's transaction); false when another request used it first or it expired meanwhile.</summary>
    public async Task<bool> ConsumeAsync(MemberToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var now = clock.GetUtcNow().UtcDateTime;
        DateTime? used = now;
        return await db.MemberTokens.Where(t => t.Id == token.Id && t.UsedAtUtc == null && t.ExpiresAtUtc > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAtUtc, used), cancellationToken) == 1;
    }

    /// <summary>Removes the member's other tokens of a purpose (e.g. every reset link once one was used).</summary>
    public Task RemoveAsync(Guid memberId, MemberTokenPurpose purpose, CancellationToken cancellationToken) =>
        db.MemberTokens.Where(t => t.MemberId == memberId && t.Purpose == purpose && t.UsedAtUtc == null).ExecuteDeleteAsync(cancellationToken);
}
