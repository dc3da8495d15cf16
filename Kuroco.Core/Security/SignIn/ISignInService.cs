namespace Kuroco.Core.Security.SignIn;

/// <summary>
/// The one sign-in use case. It owns every rule of signing in: input checks, the per-account throttle, the atomic attempt
/// count and lockout (with its mails), equal timing for unknown, locked and disabled accounts, password rehash, sign-in
/// history, the audit entries of every outcome, and the decision what comes next (second step, password change).
/// Pages and endpoints only render its <see cref="SignInOutcome"/>.
/// <para>
/// What differs between kinds of accounts sits behind four seams, all injected: <see cref="ISignInAccounts"/> (the
/// account store), <see cref="ISignInPolicySource"/> (the rules), <see cref="ISignInSession"/> (how a sign-in is handed
/// to the client: for staff, Identity's cookies) and <see cref="ISignInNotifications"/> (who is mailed about a lock).
/// </para>
/// </summary>
public interface ISignInService
{
    /// <summary>The rules in force (a form shows "remember me" only when they allow it).</summary>
    Task<SignInPolicy> GetPolicyAsync(CancellationToken cancellationToken = default);

    /// <summary>The first step: email and password. <paramref name="rememberMe"/> is ignored when the policy does not allow it.</summary>
    Task<SignInOutcome> PasswordSignInAsync(string? email, string? password, bool rememberMe, CancellationToken cancellationToken = default);

    /// <summary>True when this client has passed the password step and owes the second one.</summary>
    Task<bool> HasPendingSecondStepAsync(CancellationToken cancellationToken = default);

    /// <summary>The second step with a code from an authenticator app. Wrong codes count towards the lock like wrong passwords.</summary>
    Task<SignInOutcome> AuthenticatorCodeSignInAsync(string? code, bool rememberMe, CancellationToken cancellationToken = default);

    /// <summary>The second step with a one-time recovery code (used up on success). Wrong codes count towards the lock.</summary>
    Task<SignInOutcome> RecoveryCodeSignInAsync(string? code, CancellationToken cancellationToken = default);

    /// <summary>Signing in with a passkey instead of the password (the assertion the browser produced, as JSON).</summary>
    Task<SignInOutcome> PasskeySignInAsync(string? credentialJson, CancellationToken cancellationToken = default);

    /// <summary>Ends this client's sign-in; audited when <paramref name="accountId"/> names the account that signs out.</summary>
    Task SignOutAsync(string? accountId, CancellationToken cancellationToken = default);
}
