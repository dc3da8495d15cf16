using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Core.Security;
using Kuroco.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// Members' passwords under the member policy: every rule of <see cref="PasswordRules"/> plus the history (the current
/// password and the N - 1 before it, as for staff), and setting one (hash, the previous one into the history, new
/// security stamp, lock cleared).
/// </summary>
internal sealed class MemberAccountPasswords(KurocoDbContext db, IPasswordHasher<Member> hasher, IMemberPasswordPolicyStore policies, TimeProvider clock)
{
    public Task<PasswordPolicy> PolicyAsync(CancellationToken cancellationToken) => policies.GetAsync(cancellationToken);

    /// <summary>The broken rules as field errors of <paramref name="field"/> (empty when the password may be set).</summary>
    public async Task<IReadOnlyList<FieldError>> CheckAsync(string field, string? password, string? email, string? displayName, Member? existing,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(password))
        {
            return [new FieldError(field, MemberAccountMessages.Get("Member.Password.Required"))];
        }
        var policy = await policies.GetAsync(cancellationToken);
        var check = PasswordRules.Check(policy, password, email, displayName);
        var errors = check.Violations.Select(v => new FieldError(field, v.Message)).ToList();
        if (errors.Count == 0 && existing is not null && policy.HistoryCount > 0 && await IsReusedAsync(existing, password, policy.HistoryCount, cancellationToken))
        {
            errors.Add(new FieldError(field, PasswordRules.Reused(policy.HistoryCount).Message));
        }
        return errors;
    }

    public string Hash(string password) => hasher.HashPassword(new Member(), password);

    public bool Verify(Member member, string? password)
    {
        ArgumentNullException.ThrowIfNull(member);
        return !string.IsNullOrEmpty(password) && member.PasswordHash is { } hash
            && hasher.VerifyHashedPassword(member, hash, password) != PasswordVerificationResult.Failed;
    }

    /// <summary>
    /// Sets a new password on the tracked <paramref name="member"/> (saved with the caller's SaveChanges): the hash, when it
    /// was set, a new security stamp (every access token stops working), no forced change, no lock; the previous hash goes into the history.
    /// </summary>
    public void Set(Member member, string hash)
    {
        ArgumentNullException.ThrowIfNull(member);
        var now = clock.GetUtcNow().UtcDateTime;
        if (member.PasswordHash is { Length: > 0 } previous && member.Id != Guid.Empty)
        {
            // The history keeps the passwords a member had before the current one, however that one was set (API,
            // console, import, demo seed): the current hash is checked from the member row itself.
            db.Add(new MemberPasswordHistoryEntry { MemberId = member.Id, PasswordHash = previous, CreatedAtUtc = now });
        }
        member.PasswordHash = hash;
        member.PasswordSetAtUtc = now;
        member.MustChangePassword = false;
        member.AccessFailedCount = 0;
        member.LockoutEndUtc = null;
        member.SecurityStamp = Guid.NewGuid().ToString("N");
        member.UpdatedAtUtc = now;
        member.ConcurrencyToken = Guid.NewGuid();
    }

    /// <summary>Drops history entries beyond the longest history a policy may ask for (after the caller saved).</summary>
    public async Task TrimHistoryAsync(Guid memberId, CancellationToken cancellationToken)
    {
        var stale = await db.Set<MemberPasswordHistoryEntry>().Where(e => e.MemberId == memberId)
            .OrderByDescending(e => e.CreatedAtUtc).ThenByDescending(e => e.Id)
            .Skip(PasswordPolicy.HistoryCountMax).Select(e => e.Id).ToListAsync(cancellationToken);
        if (stale.Count > 0)
        {
            await db.Set<MemberPasswordHistoryEntry>().Where(e => stale.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
        }
    }

    private async Task<bool> IsReusedAsync(Member member, string password, int count, CancellationToken cancellationToken)
    {
        var hashes = await db.Set<MemberPasswordHistoryEntry>().AsNoTracking().Where(e => e.MemberId == member.Id)
            .OrderByDescending(e => e.CreatedAtUtc).ThenByDescending(e => e.Id)
            .Take(count - 1).Select(e => e.PasswordHash).ToListAsync(cancellationToken);
        if (!string.IsNullOrEmpty(member.PasswordHash))
        {
            hashes.Insert(0, member.PasswordHash);
        }
        return hashes.Distinct(StringComparer.Ordinal)
            .Any(hash => hasher.VerifyHashedPassword(member, hash, password) != PasswordVerificationResult.Failed);
    }
}
