using Kuroco.Core.Members;
using Kuroco.Core.Security.SignIn;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>Members sign in under the member password policy (its lockout, remember-me and expiry), read at every attempt.</summary>
internal sealed class MemberSignInPolicy(IMemberPasswordPolicyStore policies) : ISignInPolicySource
{
    public async Task<SignInPolicy> GetAsync(CancellationToken cancellationToken = default) =>
        SignInPolicy.From(await policies.GetAsync(cancellationToken));
}

/// <summary>
/// The tokens of the member sign-in that just completed in this scope (one request), for the login endpoint to answer
/// with: the sign-in service hands the sign-in to its session seam, which puts the tokens here.
/// </summary>
public sealed class MemberSignInTokens
{
    public MemberTokenPair? Issued { get; internal set; }
}

/// <summary>
/// The client side of a member sign-in: no cookies and no second step — a finished sign-in is an access token and the
/// first refresh token of a new family (<see cref="IMemberSessions"/>), handed to the endpoint through
/// <see cref="MemberSignInTokens"/>. Second-step methods are never reached (no member requires one).
/// </summary>
internal sealed class MemberSignInSession(KurocoDbContext db, IMemberSessions sessions, MemberSignInTokens issued) : ISignInSession
{
    public Task<bool> RequiresSecondStepAsync(string accountId, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task BeginSecondStepAsync(string accountId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Members sign in with a password only.");

    public Task<string?> PendingSecondStepAsync(CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);

    public Task<bool> VerifyAuthenticatorCodeAsync(string accountId, string code, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task<int?> RedeemRecoveryCodeAsync(string accountId, string code, CancellationToken cancellationToken = default) => Task.FromResult<int?>(null);

    public Task<string?> VerifyPasskeyAsync(string credentialJson, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);

    public async Task IssueAsync(string accountId, bool persistent, SignInMethod method, CancellationToken cancellationToken = default)
    {
        var memberId = Guid.Parse(accountId);
        var member = await db.Members.AsNoTracking().SingleAsync(m => m.Id == memberId, cancellationToken);
        issued.Issued = await sessions.IssueAsync(member, persistent, cancellationToken);
    }

    /// <summary>Signing out is revoking a refresh token (<see cref="IMemberSessions.LogoutAsync"/>); nothing lives on this side.</summary>
    public Task SignOutAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>When a member locks: a mail to the member, in the member's language (staff see the lock in the console and the audit log).</summary>
internal sealed class MemberLockoutNotifications(KurocoDbContext db, MemberAccountMailer mailer, TimeProvider clock) : ISignInNotifications
{
    /// <summary>Locks this long or longer are "until the website's support unlocks it" (the policy's "locked until unlocked").</summary>
    private static readonly TimeSpan UntilUnlocked = TimeSpan.FromDays(3650);

    public async Task LockedOutAsync(SignInAccount account, int failures, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var memberId = Guid.Parse(account.Id);
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken);
        if (member is null)
        {
            return;
        }
        var now = clock.GetUtcNow();
        DateTimeOffset? until = member.LockoutEndUtc is { } end && end - now.UtcDateTime < UntilUnlocked
            ? new DateTimeOffset(DateTime.SpecifyKind(end, DateTimeKind.Utc))
            : null;
        await mailer.SendAsync(MemberAccountMails.LockedOut(member, mailer.Site, failures, now, until), cancellationToken);
    }
}

/// <summary>
/// The per-account sign-in limit for members: the app's one throttle (Kuroco:RateLimits:SignInPerAccountPerMinute),
/// with member emails counted apart from staff emails and folded as member lookups fold them (NFKC, lower case), so
/// full-width spellings of one address share its budget.
/// </summary>
internal sealed class MemberSignInThrottle(ISignInThrottle inner) : ISignInThrottle
{
    public bool TryAcquire(string email, out TimeSpan retryAfter) => inner.TryAcquire("member|" + MemberText.NormalizeEmail(email), out retryAfter);
}
