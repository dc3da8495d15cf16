using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Security.SignIn;

namespace Kuroco.Infrastructure.SignIn;

/// <summary>
/// The sign-in use case (see <see cref="ISignInService"/>). Knows no kind of account: the store, the rules, the client
/// session and the lock mails come in through its constructor, so the same rules serve staff now and members later.
/// </summary>
public sealed class SignInService(
    ISignInAccounts accounts,
    ISignInPolicySource policies,
    ISignInSession session,
    ISignInNotifications notifications,
    ISignInThrottle throttle,
    IAuditLog audit,
    TimeProvider clock) : ISignInService
{
    /// <summary>How often, and how long, an attempt beyond the allowance waits for the attempts still being checked.</summary>
    private const int MaxWaits = 30;
    private static readonly TimeSpan WaitStep = TimeSpan.FromMilliseconds(100);

    private enum Check
    {
        Verified,
        Wrong,
        Locked,
        LockedNow,
        Disabled,
    }

    public Task<SignInPolicy> GetPolicyAsync(CancellationToken cancellationToken = default) => policies.GetAsync(cancellationToken);

    public async Task<SignInOutcome> PasswordSignInAsync(string? email, string? password, bool rememberMe, CancellationToken cancellationToken = default)
    {
        email = (email ?? "").Trim();
        var outcome = await PasswordStepAsync(email, password, rememberMe, cancellationToken);
        await accounts.RecordAttemptAsync(outcome.AccountId, email, outcome.Status, cancellationToken);
        return outcome;
    }

    private async Task<SignInOutcome> PasswordStepAsync(string email, string? password, bool rememberMe, CancellationToken cancellationToken)
    {
        if (!EmailRules.IsValid(email) || string.IsNullOrEmpty(password) || password.Length > SignInRules.MaxPasswordInput)
        {
            await FailedAsync(null, UnknownName(email), "malformed", "malformed", cancellationToken);
            return SignInOutcome.Failed;
        }
        if (!throttle.TryAcquire(email, out var retryAfter))
        {
            return SignInOutcome.Throttled(retryAfter);
        }
        var policy = await policies.GetAsync(cancellationToken);
        var account = await accounts.FindByEmailAsync(email, cancellationToken);
        if (account is null)
        {
            // Nothing to check: spend the same time, so timing does not reveal which emails exist.
            accounts.SpendOneCheck(password);
            var tried = UnknownName(email);
            await FailedAsync(null, tried, "unknown-account", null, cancellationToken);
            return SignInOutcome.Failed;
        }
        var (check, reserved) = await CheckAsync(account, policy, password, () => accounts.CheckPasswordAsync(account.Id, password, cancellationToken), cancellationToken);
        if (check != Check.Verified)
        {
            var reason = check switch
            {
                Check.Disabled => account.RefusalReason ?? "account-disabled",
                Check.Locked or Check.LockedNow => "account-locked",
                _ => "wrong-password",
            };
            await FailedAsync(account.Id, accounts.AuditName(account), reason, null, cancellationToken);
            return Refused(check, account);
        }
        var persistent = rememberMe && policy.RememberMeAllowed;
        if (await session.RequiresSecondStepAsync(account.Id, cancellationToken))
        {
            // The right password is not a failure, but the second step still has to pass: the earlier failures stand
            // until the sign-in completes (as Identity does it).
            if (reserved)
            {
                await accounts.ReleaseAttemptAsync(account.Id, cancellationToken);
            }
            await session.BeginSecondStepAsync(account.Id, cancellationToken);
            return new SignInOutcome(SignInStatus.RequiresTwoFactor) { AccountId = account.Id };
        }
        return await CompleteAsync(account, policy, persistent, SignInMethod.Password, null, cancellationToken);
    }

    public async Task<bool> HasPendingSecondStepAsync(CancellationToken cancellationToken = default) =>
        await PendingAccountAsync(cancellationToken) is not null;

    public async Task<SignInOutcome> AuthenticatorCodeSignInAsync(string? code, bool rememberMe, CancellationToken cancellationToken = default)
    {
        var normalized = SignInRules.NormalizeCode(code);
        return await RecordedAsync(await SecondStepAsync(SignInMethod.AuthenticatorCode, "authenticator-code", rememberMe, normalized.Length is > 0 and <= SignInRules.MaxCodeInput,
            async account => await session.VerifyAuthenticatorCodeAsync(account.Id, normalized, cancellationToken), null, cancellationToken), cancellationToken);
    }

    public async Task<SignInOutcome> RecoveryCodeSignInAsync(string? code, CancellationToken cancellationToken = default)
    {
        var normalized = (code ?? "").Replace(" ", "", StringComparison.Ordinal);
        int? left = null;
        return await RecordedAsync(await SecondStepAsync(SignInMethod.RecoveryCode, "recovery-code", rememberMe: false, normalized.Length is > 0 and <= SignInRules.MaxRecoveryCodeInput,
            async account =>
            {
                left = await session.RedeemRecoveryCodeAsync(account.Id, normalized, cancellationToken);
                return left is not null;
            },
            async (account, roles) => await audit.WriteAsync(new AuditRecord(AuditActions.RecoveryCodeUsed, accounts.AuditEntityType, account.Id,
                AuditParameters.Of(("left", left?.ToString(CultureInfo.InvariantCulture))))
            {
                Actor = new AuditActor(account.Id, accounts.AuditName(account), roles),
            }, cancellationToken),
            cancellationToken), cancellationToken);
    }

    public async Task<SignInOutcome> PasskeySignInAsync(string? credentialJson, CancellationToken cancellationToken = default) =>
        await RecordedAsync(await PasskeyStepAsync(credentialJson, cancellationToken), cancellationToken);

    private async Task<SignInOutcome> PasskeyStepAsync(string? credentialJson, CancellationToken cancellationToken)
    {
        var accountId = string.IsNullOrEmpty(credentialJson) ? null : await session.VerifyPasskeyAsync(credentialJson, cancellationToken);
        var account = accountId is null ? null : await accounts.FindByIdAsync(accountId, cancellationToken);
        if (account is null)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.SignInFailed, accounts.AuditEntityType, null,
                AuditParameters.Of(("variant", "passkey"), ("reason", "unknown-passkey")), AuditOutcome.Failure)
            {
                Actor = AuditActor.Anonymous,
            }, cancellationToken);
            return SignInOutcome.Failed;
        }
        // The passkey proved the account: a lock or a disabled account still refuses it (nothing is counted: no secret was guessed).
        var refusal = !account.IsEnabled ? Check.Disabled : account.IsLockedOut(clock.GetUtcNow()) ? Check.Locked : (Check?)null;
        if (refusal is { } refused)
        {
            var name = accounts.AuditName(account);
            await FailedAsync(account.Id, name,
                refused == Check.Disabled ? account.RefusalReason ?? "account-disabled" : "account-locked", "passkey", cancellationToken);
            return Refused(refused, account);
        }
        var policy = await policies.GetAsync(cancellationToken);
        return await CompleteAsync(account, policy, persistent: false, SignInMethod.Passkey, "passkey", cancellationToken);
    }

    public async Task SignOutAsync(string? accountId, CancellationToken cancellationToken = default)
    {
        if (accountId is not null)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.SignOut, accounts.AuditEntityType, accountId, AuditParameters.Of()), cancellationToken);
        }
        await session.SignOutAsync(cancellationToken);
    }

    private async Task<SignInAccount?> PendingAccountAsync(CancellationToken cancellationToken) =>
        await session.PendingSecondStepAsync(cancellationToken) is { } id ? await accounts.FindByIdAsync(id, cancellationToken) : null;

    private async Task<SignInOutcome> SecondStepAsync(SignInMethod method, string methodName, bool rememberMe, bool wellFormed,
        Func<SignInAccount, Task<bool>> verify, Func<SignInAccount, IReadOnlyList<string>, Task>? onVerified, CancellationToken cancellationToken)
    {
        var account = await PendingAccountAsync(cancellationToken);
        if (account is null)
        {
            // Only after a right password: without the pending step there is nothing to complete.
            return SignInOutcome.Failed;
        }
        var policy = await policies.GetAsync(cancellationToken);
        var (check, reserved) = await CheckAsync(account, policy, null, () => wellFormed ? verify(account) : Task.FromResult(false), cancellationToken);
        var roles = await accounts.RolesAsync(account.Id, cancellationToken);
        var name = accounts.AuditName(account);
        var actor = new AuditActor(account.Id, name, roles);
        if (check != Check.Verified)
        {
            var reason = check switch
            {
                Check.Disabled => account.RefusalReason ?? "account-disabled",
                Check.Locked or Check.LockedNow => "account-locked",
                _ => $"wrong-{methodName}",
            };
            await audit.WriteAsync(new AuditRecord(AuditActions.SignInFailed, accounts.AuditEntityType, account.Id,
                AuditParameters.Of(("reason", reason)), AuditOutcome.Failure) { Actor = actor }, cancellationToken);
            return Refused(check, account);
        }
        if (onVerified is not null)
        {
            await onVerified(account, roles);
        }
        var persistent = rememberMe && policy.RememberMeAllowed;
        return await CompleteAsync(account, policy, persistent, method, methodName, cancellationToken);
    }

    /// <summary>The account passed every check: the count starts again, the client gets its sign-in, and it is recorded.</summary>
    private async Task<SignInOutcome> CompleteAsync(SignInAccount account, SignInPolicy policy, bool persistent, SignInMethod method,
        string? variant, CancellationToken cancellationToken)
    {
        if (account.LockoutEnabled)
        {
            await accounts.ResetAttemptsAsync(account.Id, cancellationToken);
        }
        await session.IssueAsync(account.Id, persistent, method, cancellationToken);
        var now = clock.GetUtcNow();
        await accounts.RecordSignInAsync(account.Id, now, cancellationToken);
        var roles = await accounts.RolesAsync(account.Id, cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.SignInSucceeded, accounts.AuditEntityType, account.Id,
            variant is null ? AuditParameters.Of() : AuditParameters.Of(("variant", variant)))
        {
            Actor = new AuditActor(account.Id, accounts.AuditName(account), roles),
        }, cancellationToken);
        var mustChange = account.MustChangePassword || policy.IsPasswordExpired(account.PasswordSetAtUtc, now);
        return new SignInOutcome(mustChange ? SignInStatus.RequiresPasswordChange : SignInStatus.Succeeded) { AccountId = account.Id };
    }

    /// <summary>
    /// Checks one secret under the lockout rules. Disabled and locked accounts are refused unchecked (at the cost of one
    /// password check when <paramref name="password"/> is given, so that timing does not tell them apart). Otherwise the
    /// attempt is counted before the secret is checked, so that however many guesses arrive at once, no more than the
    /// policy's number are ever checked before the account locks; exactly one attempt reaches the lock.
    /// </summary>
    private async Task<(Check Check, bool Reserved)> CheckAsync(SignInAccount account, SignInPolicy policy, string? password,
        Func<Task<bool>> verify, CancellationToken cancellationToken)
    {
        if (!account.IsEnabled || account.IsLockedOut(clock.GetUtcNow()))
        {
            SpendOneCheck(password);
            return (account.IsEnabled ? Check.Locked : Check.Disabled, false);
        }
        if (!account.LockoutEnabled)
        {
            return (await verify() ? Check.Verified : Check.Wrong, false);
        }
        var attempt = await accounts.ReserveAttemptAsync(account.Id, cancellationToken);
        // Beyond the allowance while earlier attempts are still being checked: wait a little for them (a right secret
        // among them resets the count; wrong ones lock the account) rather than refusing a right password from a second tab.
        for (var wait = 0; attempt > policy.MaxFailedAttempts && wait < MaxWaits; wait++)
        {
            await accounts.ReleaseAttemptAsync(account.Id, cancellationToken);
            await Task.Delay(WaitStep, cancellationToken);
            attempt = await accounts.ReserveAttemptAsync(account.Id, cancellationToken);
        }
        if (attempt is null)
        {
            SpendOneCheck(password);
            return (Check.Locked, false);
        }
        if (attempt > policy.MaxFailedAttempts)
        {
            // Still beyond the allowance: refused unchecked.
            await accounts.ReleaseAttemptAsync(account.Id, cancellationToken);
            SpendOneCheck(password);
            return (Check.Locked, false);
        }
        if (await verify())
        {
            return (Check.Verified, true);
        }
        if (attempt == policy.MaxFailedAttempts)
        {
            // Exactly one attempt reaches this point per lock, however many run in parallel: one entry, one set of mails.
            var end = await accounts.LockAsync(account.Id, policy.LockoutSpan, cancellationToken);
            var name = accounts.AuditName(account);
            await audit.WriteAsync(new AuditRecord(AuditActions.LockedOut, accounts.AuditEntityType, account.Id,
                AuditParameters.Of(("attempts", attempt.Value.ToString(CultureInfo.InvariantCulture))), AuditOutcome.Denied,
                [new FieldChange("LockoutEnd", null, end.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))])
            {
                Actor = new AuditActor(account.Id, name, []),
            }, cancellationToken);
            await notifications.LockedOutAsync(account, attempt.Value, cancellationToken);
            return (Check.LockedNow, false);
        }
        return (Check.Wrong, false);
    }

    private void SpendOneCheck(string? password)
    {
        if (password is not null)
        {
            accounts.SpendOneCheck(password);
        }
    }

    private static SignInOutcome Refused(Check check, SignInAccount account) => new(check switch
    {
        Check.Disabled => SignInStatus.Disabled,
        Check.Locked or Check.LockedNow => SignInStatus.LockedOut,
        _ => SignInStatus.Failed,
    }) { AccountId = account.Id };

    /// <summary>A second step or passkey attempt, told to the account store like a password attempt (no email was typed).</summary>
    private async Task<SignInOutcome> RecordedAsync(SignInOutcome outcome, CancellationToken cancellationToken)
    {
        await accounts.RecordAttemptAsync(outcome.AccountId, "", outcome.Status, cancellationToken);
        return outcome;
    }

    /// <summary>How an entry names an email that matches no account: as the store decides, when it is safe to record.</summary>
    private string UnknownName(string email) =>
        accounts.AuditNameOfUnknown(email) is { Length: > 0 } name && HeaderValues.IsSafe(name) ? name : AuditActor.Anonymous.Name;

    /// <summary>
    /// One entry per refused attempt, naming the account (or the email tried, when it is safe to record) and the reason
    /// (a code: <c>wrong-password</c>, <c>account-locked</c>…; the entry is rendered in the viewer's language).
    /// </summary>
    private Task FailedAsync(string? accountId, string actorName, string reason, string? variant, CancellationToken cancellationToken) =>
        audit.WriteAsync(new AuditRecord(AuditActions.SignInFailed, accounts.AuditEntityType, accountId,
            variant is null ? AuditParameters.Of(("reason", reason)) : AuditParameters.Of(("reason", reason), ("variant", variant)), AuditOutcome.Failure)
        {
            Actor = new AuditActor(accountId, actorName, []),
        }, cancellationToken);
}
