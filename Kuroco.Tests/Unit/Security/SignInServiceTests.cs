using System.Collections.Concurrent;
using Kuroco.Core.Audit;
using Kuroco.Core.Security.SignIn;
using Kuroco.Infrastructure.SignIn;
using Kuroco.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Unit.Security;

/// <summary>
/// The sign-in rules on a kind of account that is not staff: an in-memory account store, policy and session stand in
/// for what website members will bring. Nothing in <see cref="SignInService"/> may depend on staff or Identity, so the
/// same rules must hold here as for staff (whose real parts the integration tests drive).
/// </summary>
public sealed class SignInServiceTests
{
    private const string Right = "Right-Passw0rd!member";
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly MemberAccounts accounts = new();
    private readonly MemberSession session = new();
    private readonly Notifications notifications = new();
    private readonly Audit audit = new();
    private SignInPolicy policy = new(MaxFailedAttempts: 3, LockoutSpan: TimeSpan.FromMinutes(30), RememberMeAllowed: false, PasswordExpiryDays: 0);
    private bool throttled;

    public SignInServiceTests()
    {
        accounts.Now = clock.GetUtcNow;
        session.Lookup = id => accounts.All[id];
    }

    private SignInService Service() => new(accounts, new PolicySource(() => policy), session, notifications, new Throttle(() => throttled), audit, clock);

    private MemberAccount Member(string email = "member@example.jp")
    {
        var account = new MemberAccount(Guid.NewGuid().ToString("N"), email, Right) { PasswordSetAtUtc = clock.GetUtcNow().UtcDateTime };
        accounts.All[account.Id] = account;
        return account;
    }

    [Fact]
    public async Task The_policy_of_the_kind_of_account_decides_when_it_locks_with_one_entry_and_one_notice()
    {
        var member = Member();
        var service = Service();
        Assert.Equal(SignInStatus.Failed, (await service.PasswordSignInAsync(member.Email, "wrong-1", false)).Status);
        Assert.Equal(SignInStatus.Failed, (await service.PasswordSignInAsync(member.Email, "wrong-2", false)).Status);
        Assert.Equal(2, member.Failures);

        var third = await service.PasswordSignInAsync(member.Email, "wrong-3", false);

        Assert.Equal(SignInStatus.LockedOut, third.Status);
        Assert.Equal(clock.GetUtcNow() + policy.LockoutSpan, member.LockoutEnd);
        Assert.Equal(0, member.Failures);
        Assert.Single(audit.Records, r => r.Action == AuditActions.LockedOut && r.EntityType == "Member");
        Assert.Equal((member.Id, 3), Assert.Single(notifications.Locked));
        Assert.Equal(SignInStatus.LockedOut, (await service.PasswordSignInAsync(member.Email, Right, false)).Status);
        Assert.Null(session.Issued);
        Assert.Equal(4, audit.Records.Count(r => r.Action == AuditActions.SignInFailed));

        clock.Advance(policy.LockoutSpan);
        Assert.Equal(SignInStatus.Succeeded, (await service.PasswordSignInAsync(member.Email, Right, false)).Status);
        Assert.Equal(member.Id, session.Issued);
    }

    [Fact]
    public async Task Parallel_guesses_get_no_more_checks_than_the_policy_allows()
    {
        var member = Member();
        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() => Service().PasswordSignInAsync(member.Email, $"wrong-{i}", false))));

        Assert.InRange(accounts.Checks, 1, policy.MaxFailedAttempts);
        Assert.Equal(30, accounts.Checks + accounts.DummyChecks);
        Assert.DoesNotContain(results, r => r.IsSignedIn);
        Assert.Single(notifications.Locked);
        Assert.Single(audit.Records, r => r.Action == AuditActions.LockedOut);
    }

    [Fact]
    public async Task Unknown_disabled_and_locked_accounts_cost_one_check_each_and_say_nothing_more_than_failed()
    {
        var service = Service();
        var unknown = await service.PasswordSignInAsync("nobody@example.jp", Right, false);
        var disabled = Member("disabled@example.jp");
        disabled.IsEnabled = false;
        var locked = Member("locked@example.jp");
        locked.LockoutEnd = clock.GetUtcNow().AddMinutes(5);

        Assert.Equal(SignInStatus.Failed, unknown.Status);
        Assert.Null(unknown.AccountId);
        Assert.Equal(SignInStatus.Disabled, (await service.PasswordSignInAsync(disabled.Email, Right, false)).Status);
        Assert.Equal(SignInStatus.LockedOut, (await service.PasswordSignInAsync(locked.Email, Right, false)).Status);
        Assert.Equal(0, accounts.Checks);
        Assert.Equal(3, accounts.DummyChecks);
        Assert.Null(session.Issued);
        Assert.Equal(["unknown account", "account disabled", "account locked"],
            audit.Records.Select(r => AuditText.English(r).Split(": ")[1].TrimEnd('.')));
    }

    [Fact]
    public async Task A_right_password_with_a_second_step_owed_keeps_the_earlier_failures_until_the_step_passes()
    {
        var member = Member();
        member.TwoFactor = true;
        var service = Service();
        await service.PasswordSignInAsync(member.Email, "wrong", false);

        var first = await service.PasswordSignInAsync(member.Email, Right, rememberMe: true);

        Assert.Equal(SignInStatus.RequiresTwoFactor, first.Status);
        Assert.Equal(1, member.Failures);
        Assert.Null(session.Issued);
        Assert.True(await service.HasPendingSecondStepAsync());
        Assert.Equal(SignInStatus.Failed, (await service.AuthenticatorCodeSignInAsync("000000", rememberMe: false)).Status);
        Assert.Equal(2, member.Failures);

        var second = await service.AuthenticatorCodeSignInAsync("123 456", rememberMe: true);

        Assert.Equal(SignInStatus.Succeeded, second.Status);
        Assert.Equal(0, member.Failures);
        Assert.Equal((member.Id, false, SignInMethod.AuthenticatorCode), (session.Issued, session.Persistent, session.Method));
        Assert.Contains(audit.Records, r => r.Action == AuditActions.SignInSucceeded && AuditText.English(r).Contains("authenticator code", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_second_step_codes_lock_like_wrong_passwords()
    {
        var member = Member();
        member.TwoFactor = true;
        var service = Service();
        await service.PasswordSignInAsync(member.Email, Right, false);

        var outcomes = new List<SignInStatus>();
        for (var i = 0; i < 3; i++)
        {
            outcomes.Add((await service.RecoveryCodeSignInAsync("not-a-code")).Status);
        }

        Assert.Equal([SignInStatus.Failed, SignInStatus.Failed, SignInStatus.LockedOut], outcomes);
        Assert.Single(notifications.Locked);
        Assert.Equal(SignInStatus.LockedOut, (await service.AuthenticatorCodeSignInAsync("123456", false)).Status);
    }

    [Fact]
    public async Task Remember_me_only_when_the_policy_allows_it_and_an_expired_password_must_be_changed()
    {
        var member = Member();
        member.PasswordSetAtUtc = clock.GetUtcNow().UtcDateTime.AddDays(-31);
        policy = policy with { RememberMeAllowed = true, PasswordExpiryDays = 30 };

        var outcome = await Service().PasswordSignInAsync(member.Email, Right, rememberMe: true);

        Assert.Equal(SignInStatus.RequiresPasswordChange, outcome.Status);
        Assert.True(outcome.IsSignedIn);
        Assert.True(session.Persistent);
        Assert.Equal(clock.GetUtcNow(), member.LastSignIn);
    }

    [Fact]
    public async Task Throttled_and_malformed_attempts_check_nothing()
    {
        var member = Member();
        throttled = true;
        var outcome = await Service().PasswordSignInAsync(member.Email, Right, false);
        Assert.Equal(SignInStatus.Throttled, outcome.Status);
        Assert.Equal(TimeSpan.FromSeconds(42), outcome.RetryAfter);
        Assert.Empty(audit.Records);

        throttled = false;
        Assert.Equal(SignInStatus.Failed, (await Service().PasswordSignInAsync("not an email", Right, false)).Status);
        Assert.Equal(SignInStatus.Failed, (await Service().PasswordSignInAsync(member.Email, new string('x', SignInRules.MaxPasswordInput + 1), false)).Status);
        Assert.Equal(0, accounts.Checks + accounts.DummyChecks);
        Assert.All(audit.Records, r => Assert.Equal("Malformed sign-in request (anonymous).", AuditText.English(r)));
        Assert.Equal(SignInStatus.Failed, (await Service().AuthenticatorCodeSignInAsync("123456", false)).Status);
    }

    [Fact]
    public async Task Every_attempt_is_told_to_the_store_and_the_audit_names_the_account_as_the_store_says()
    {
        var member = Member();
        var service = Service();
        await service.PasswordSignInAsync(member.Email, "wrong-1", false);
        await service.PasswordSignInAsync("nobody@example.jp", "wrong-1", false);
        member.IsEnabled = false;
        await service.PasswordSignInAsync(member.Email, Right, false);
        member.IsEnabled = true;
        throttled = true;
        await service.PasswordSignInAsync(" " + member.Email, Right, false);
        throttled = false;
        await service.PasswordSignInAsync(member.Email, Right, false);

        Assert.Equal(
            [(member.Id, member.Email, SignInStatus.Failed), (null, "nobody@example.jp", SignInStatus.Failed), (member.Id, member.Email, SignInStatus.Disabled),
             (null, member.Email, SignInStatus.Throttled), (member.Id, member.Email, SignInStatus.Succeeded)],
            accounts.Attempts.ToArray());
        // The store names its accounts (members: never by their email, which is personal data).
        Assert.All(audit.Records, r => Assert.DoesNotContain("@", AuditText.English(r) + r.Actor?.Name, StringComparison.Ordinal));
        Assert.Contains(audit.Records, r => AuditText.English(r) == $"Sign-in failed for member {member.Id}: wrong password.");
        Assert.Contains(audit.Records, r => AuditText.English(r) == "Sign-in failed for anonymous: unknown account." && r.Actor?.Name == "anonymous");
        Assert.Contains(audit.Records, r => AuditText.English(r) == $"member {member.Id} signed in." && r.Actor?.UserId == member.Id);
    }

    [Fact]
    public async Task A_refused_account_is_audited_with_the_stores_reason_and_answers_like_a_disabled_one()
    {
        var member = Member();
        accounts.RefusalReason = "pending email verification";
        member.IsEnabled = false;

        var outcome = await Service().PasswordSignInAsync(member.Email, Right, false);

        Assert.Equal(SignInStatus.Disabled, outcome.Status);
        Assert.Equal(0, accounts.Checks);
        Assert.Equal(1, accounts.DummyChecks);
        Assert.Contains(audit.Records, r => AuditText.English(r) == $"Sign-in failed for member {member.Id}: pending email verification.");
    }

    private sealed class MemberAccount(string id, string email, string password)
    {
        public string Id { get; } = id;
        public string Email { get; } = email;
        public string Password { get; } = password;
        public bool IsEnabled { get; set; } = true;
        public bool TwoFactor { get; set; }
        public DateTimeOffset? LockoutEnd { get; set; }
        public DateTime PasswordSetAtUtc { get; set; }
        public DateTimeOffset? LastSignIn { get; set; }
        public int Failures;
    }

    private sealed class MemberAccounts : ISignInAccounts
    {
        private readonly object gate = new();
        private int checks;
        private int dummyChecks;

        public ConcurrentDictionary<string, MemberAccount> All { get; } = new();
        public int Checks => Volatile.Read(ref checks);
        public int DummyChecks => Volatile.Read(ref dummyChecks);
        public string AuditEntityType => "Member";

        public ConcurrentQueue<(string? Id, string Email, SignInStatus Status)> Attempts { get; } = new();

        public string AuditName(SignInAccount account) => "member " + account.Id;

        public string? AuditNameOfUnknown(string email) => null;

        public Task RecordAttemptAsync(string? id, string email, SignInStatus status, CancellationToken cancellationToken = default)
        {
            Attempts.Enqueue((id, email, status));
            return Task.CompletedTask;
        }

        public Task<SignInAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken = default) =>
            Task.FromResult(Snapshot(All.Values.FirstOrDefault(a => a.Email == email)));

        public Task<SignInAccount?> FindByIdAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(Snapshot(All.GetValueOrDefault(id)));

        public Task<IReadOnlyList<string>> RolesAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<string>>(["member"]);

        public async Task<bool> CheckPasswordAsync(string id, string password, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref checks);
            await Task.Delay(5, cancellationToken);
            return All[id].Password == password;
        }

        public void SpendOneCheck(string password) => Interlocked.Increment(ref dummyChecks);

        public Task<int?> ReserveAttemptAsync(string id, CancellationToken cancellationToken = default)
        {
            lock (gate)
            {
                var account = All[id];
                return Task.FromResult<int?>(IsLocked(account) ? null : ++account.Failures);
            }
        }

        public Task ReleaseAttemptAsync(string id, CancellationToken cancellationToken = default)
        {
            lock (gate)
            {
                All[id].Failures = Math.Max(0, All[id].Failures - 1);
            }
            return Task.CompletedTask;
        }

        public Task ResetAttemptsAsync(string id, CancellationToken cancellationToken = default)
        {
            lock (gate)
            {
                All[id].Failures = 0;
            }
            return Task.CompletedTask;
        }

        public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

        public Task<DateTimeOffset> LockAsync(string id, TimeSpan span, CancellationToken cancellationToken = default)
        {
            lock (gate)
            {
                var account = All[id];
                account.LockoutEnd = Now() + span;
                account.Failures = 0;
                return Task.FromResult(account.LockoutEnd.Value);
            }
        }

        public Task RecordSignInAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
        {
            All[id].LastSignIn = at;
            return Task.CompletedTask;
        }

        private bool IsLocked(MemberAccount account) => account.LockoutEnd > Now();

        public string? RefusalReason { get; set; }

        private SignInAccount? Snapshot(MemberAccount? a) => a is null ? null : new SignInAccount(a.Id, a.Email, a.Email)
        {
            IsEnabled = a.IsEnabled,
            RefusalReason = a.IsEnabled ? null : RefusalReason,
            LockoutEnd = a.LockoutEnd,
            PasswordSetAtUtc = a.PasswordSetAtUtc,
        };
    }

    private sealed class MemberSession : ISignInSession
    {
        private string? pending;

        public string? Issued { get; private set; }
        public bool Persistent { get; private set; }
        public SignInMethod Method { get; private set; }
        public Func<string, MemberAccount>? Lookup { get; set; }

        public Task<bool> RequiresSecondStepAsync(string accountId, CancellationToken cancellationToken = default) => Task.FromResult(Lookup!(accountId).TwoFactor);

        public Task BeginSecondStepAsync(string accountId, CancellationToken cancellationToken = default)
        {
            pending = accountId;
            return Task.CompletedTask;
        }

        public Task<string?> PendingSecondStepAsync(CancellationToken cancellationToken = default) => Task.FromResult(pending);

        public Task<bool> VerifyAuthenticatorCodeAsync(string accountId, string code, CancellationToken cancellationToken = default) => Task.FromResult(code == "123456");

        public Task<int?> RedeemRecoveryCodeAsync(string accountId, string code, CancellationToken cancellationToken = default) => Task.FromResult<int?>(code == "recovery-1" ? 9 : null);

        public Task<string?> VerifyPasskeyAsync(string credentialJson, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);

        public Task IssueAsync(string accountId, bool persistent, SignInMethod method, CancellationToken cancellationToken = default)
        {
            (Issued, Persistent, Method, pending) = (accountId, persistent, method, null);
            return Task.CompletedTask;
        }

        public Task SignOutAsync(CancellationToken cancellationToken = default)
        {
            Issued = null;
            return Task.CompletedTask;
        }
    }

    private sealed class PolicySource(Func<SignInPolicy> policy) : ISignInPolicySource
    {
        public Task<SignInPolicy> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(policy());
    }

    private sealed class Throttle(Func<bool> throttled) : ISignInThrottle
    {
        public bool TryAcquire(string email, out TimeSpan retryAfter)
        {
            retryAfter = throttled() ? TimeSpan.FromSeconds(42) : TimeSpan.Zero;
            return !throttled();
        }
    }

    private sealed class Notifications : ISignInNotifications
    {
        public ConcurrentQueue<(string, int)> Locked { get; } = new();

        public Task LockedOutAsync(SignInAccount account, int failures, CancellationToken cancellationToken = default)
        {
            Locked.Enqueue((account.Id, failures));
            return Task.CompletedTask;
        }
    }

    private sealed class Audit : IAuditLog
    {
        private readonly ConcurrentQueue<AuditRecord> records = new();

        public IReadOnlyList<AuditRecord> Records => [.. records];

        public Task<AuditEntry> WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
        {
            records.Enqueue(record);
            return Task.FromResult(new AuditEntry());
        }
    }
}
