using System.Security.Cryptography;
using Kuroco.Core.Audit;
using Kuroco.Core.Members;
using Kuroco.Core.Security.SignIn;
using Kuroco.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// Members for the one sign-in service: the Members table. As for staff (<c>StaffSignInAccounts</c>) the failed-attempt
/// count changes with single UPDATE statements inside a short transaction, so 50 parallel guesses each take one of the
/// policy's allowed failures before a password is checked. A member who is not active (pending verification,
/// suspended, erased) or has no password yet is refused like a wrong password, after one password check's worth of
/// time; the audit entry has the real reason. Every attempt on a known member is kept in its sign-in history.
/// </summary>
internal sealed class MemberSignInAccounts(KurocoDbContext db, IPasswordHasher<Member> hasher, IAuditContext auditContext, TimeProvider clock)
    : ISignInAccounts
{
    private static readonly Member DummyMember = new() { Id = Guid.Empty };
    private static string? dummyHash;

    public string AuditEntityType => MemberAudit.EntityType;

    public string AuditName(SignInAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return "member " + account.Id;
    }

    /// <summary>An email that is no member's is recorded nowhere (it may be someone's personal data).</summary>
    public string? AuditNameOfUnknown(string email) => null;

    public async Task<SignInAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        var normalized = MemberText.NormalizeEmail(email);
        return ToAccount(await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.NormalizedEmail == normalized, cancellationToken));
    }

    public async Task<SignInAccount?> FindByIdAsync(string id, CancellationToken cancellationToken = default) =>
        Guid.TryParse(id, out var memberId)
            ? ToAccount(await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken))
            : null;

    public Task<IReadOnlyList<string>> RolesAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    public async Task<bool> CheckPasswordAsync(string id, string password, CancellationToken cancellationToken = default)
    {
        var memberId = Guid.Parse(id);
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken);
        if (member?.PasswordHash is not { } hash)
        {
            SpendOneCheck(password);
            return false;
        }
        var result = hasher.VerifyHashedPassword(member, hash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // Made with older settings (iterations): store a new hash, unless the password changed meanwhile.
            var rehashed = hasher.HashPassword(member, password);
            await db.Members.Where(m => m.Id == memberId && m.PasswordHash == hash)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.PasswordHash, rehashed), cancellationToken);
        }
        return result != PasswordVerificationResult.Failed;
    }

    /// <summary>The members' own hasher against a dummy hash made once with it: the same algorithm and iterations as a real check.</summary>
    public void SpendOneCheck(string password)
    {
        var hash = dummyHash ??= hasher.HashPassword(DummyMember, RandomNumberGenerator.GetHexString(32));
        hasher.VerifyHashedPassword(DummyMember, hash, password);
    }

    public async Task<int?> ReserveAttemptAsync(string id, CancellationToken cancellationToken = default)
    {
        var memberId = Guid.Parse(id);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Members.Where(m => m.Id == memberId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.AccessFailedCount, m => m.AccessFailedCount + 1), cancellationToken);
        var state = await db.Members.AsNoTracking().Where(m => m.Id == memberId)
            .Select(m => new { m.AccessFailedCount, m.LockoutEndUtc })
            .SingleAsync(cancellationToken);
        if (state.LockoutEndUtc is { } end && end > clock.GetUtcNow().UtcDateTime)
        {
            // Locked meanwhile: this attempt does not count and is not checked.
            await db.Members.Where(m => m.Id == memberId && m.AccessFailedCount > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.AccessFailedCount, m => m.AccessFailedCount - 1), cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return null;
        }
        await tx.CommitAsync(cancellationToken);
        return state.AccessFailedCount;
    }

    public Task ReleaseAttemptAsync(string id, CancellationToken cancellationToken = default)
    {
        var memberId = Guid.Parse(id);
        return db.Members.Where(m => m.Id == memberId && m.AccessFailedCount > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.AccessFailedCount, m => m.AccessFailedCount - 1), cancellationToken);
    }

    public Task ResetAttemptsAsync(string id, CancellationToken cancellationToken = default)
    {
        var memberId = Guid.Parse(id);
        return db.Members.Where(m => m.Id == memberId && m.AccessFailedCount != 0)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.AccessFailedCount, 0), cancellationToken);
    }

    /// <summary>
    /// Locks the member and ends its sign-ins: a new security stamp (access tokens stop working at once) and every
    /// refresh token revoked — a lock may mean someone is guessing.
    /// </summary>
    public async Task<DateTimeOffset> LockAsync(string id, TimeSpan span, CancellationToken cancellationToken = default)
    {
        var memberId = Guid.Parse(id);
        var now = clock.GetUtcNow();
        var end = now + span;
        DateTime? stored = end.UtcDateTime;
        var stamp = Guid.NewGuid().ToString("N");
        await db.Members.Where(m => m.Id == memberId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockoutEndUtc, stored).SetProperty(m => m.AccessFailedCount, 0)
                .SetProperty(m => m.SecurityStamp, stamp), cancellationToken);
        DateTime? revokedAt = now.UtcDateTime;
        await db.MemberRefreshTokens.Where(t => t.MemberId == memberId && t.RevokedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAtUtc, revokedAt), cancellationToken);
        return end;
    }

    public Task RecordSignInAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var memberId = Guid.Parse(id);
        DateTime? value = at.UtcDateTime;
        return db.Members.Where(m => m.Id == memberId).ExecuteUpdateAsync(s => s.SetProperty(m => m.LastSignInAtUtc, value), cancellationToken);
    }

    /// <summary>
    /// One <see cref="MemberSignInRecord"/> per attempt on a known member (a throttled attempt is matched by its email),
    /// with the request's address and user agent; the oldest beyond <see cref="MemberAccountRules.SignInHistoryKept"/> go.
    /// </summary>
    public async Task RecordAttemptAsync(string? id, string email, SignInStatus status, CancellationToken cancellationToken = default)
    {
        Guid memberId;
        if (id is not null)
        {
            memberId = Guid.Parse(id);
        }
        else if (status == SignInStatus.Throttled && email.Length > 0)
        {
            var normalized = MemberText.NormalizeEmail(email);
            var found = await db.Members.AsNoTracking().Where(m => m.NormalizedEmail == normalized).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(cancellationToken);
            if (found is not { } known)
            {
                return;
            }
            memberId = known;
        }
        else
        {
            return;
        }
        var origin = auditContext.GetOrigin();
        db.MemberSignIns.Add(new MemberSignInRecord
        {
            MemberId = memberId,
            AtUtc = clock.GetUtcNow().UtcDateTime,
            IpAddress = Truncate(origin.IpAddress, MemberSignInRecord.IpAddressMaxLength),
            UserAgent = Truncate(origin.UserAgent, MemberSignInRecord.UserAgentMaxLength),
            Outcome = status switch
            {
                SignInStatus.Succeeded or SignInStatus.RequiresPasswordChange => MemberSignInOutcome.Succeeded,
                SignInStatus.LockedOut => MemberSignInOutcome.LockedOut,
                SignInStatus.Disabled => MemberSignInOutcome.NotAllowed,
                SignInStatus.Throttled => MemberSignInOutcome.Throttled,
                _ => MemberSignInOutcome.Failed,
            },
        });
        await db.SaveChangesAsync(cancellationToken);
        var keep = db.MemberSignIns.Where(r => r.MemberId == memberId).OrderByDescending(r => r.Id).Take(MemberAccountRules.SignInHistoryKept).Select(r => r.Id);
        await db.MemberSignIns.Where(r => r.MemberId == memberId && !keep.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    private static SignInAccount? ToAccount(Member? member)
    {
        if (member is null)
        {
            return null;
        }
        var refusal = member.Status switch
        {
            MemberStatus.PendingVerification => "pending-verification",
            MemberStatus.Suspended => "member-suspended",
            MemberStatus.Erased => "member-erased",
            _ => member.PasswordHash is null ? "no-password" : null,
        };
        return new SignInAccount(member.Id.ToString(), member.Email, member.DisplayName)
        {
            IsEnabled = refusal is null,
            RefusalReason = refusal,
            LockoutEnabled = true,
            LockoutEnd = member.LockoutEndUtc is { } end ? new DateTimeOffset(DateTime.SpecifyKind(end, DateTimeKind.Utc)) : null,
            MustChangePassword = member.MustChangePassword,
            PasswordSetAtUtc = member.PasswordSetAtUtc ?? member.CreatedAtUtc,
        };
    }
}
