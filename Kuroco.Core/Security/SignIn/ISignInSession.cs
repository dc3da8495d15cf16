namespace Kuroco.Core.Security.SignIn;

/// <summary>
/// The client side of a sign-in, and the second-step credentials that live with it. For staff this is ASP.NET Core
/// Identity: its two-factor cookie between the steps, its sign-in cookie at the end, its authenticator tokens, recovery
/// codes and passkey ceremony. Another kind of account (members over the JSON API) would hand out tokens instead; the
/// sign-in rules in <see cref="ISignInService"/> stay the same.
/// </summary>
public interface ISignInSession
{
    /// <summary>Whether this account must pass a second step after its password on this client.</summary>
    Task<bool> RequiresSecondStepAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>Remembers on the client that the password step passed and the second step is owed.</summary>
    Task BeginSecondStepAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>The account whose second step this client owes, or null.</summary>
    Task<string?> PendingSecondStepAsync(CancellationToken cancellationToken = default);

    Task<bool> VerifyAuthenticatorCodeAsync(string accountId, string code, CancellationToken cancellationToken = default);

    /// <summary>Uses up the recovery code; the number of codes left, or null when the code is not one of the account's.</summary>
    Task<int?> RedeemRecoveryCodeAsync(string accountId, string code, CancellationToken cancellationToken = default);

    /// <summary>Checks a passkey assertion against the ceremony this client started; the account it proves, or null.</summary>
    Task<string?> VerifyPasskeyAsync(string credentialJson, CancellationToken cancellationToken = default);

    /// <summary>Hands the finished sign-in to the client (staff: the sign-in cookie; after a second step, the step's state is cleared).</summary>
    Task IssueAsync(string accountId, bool persistent, SignInMethod method, CancellationToken cancellationToken = default);

    Task SignOutAsync(CancellationToken cancellationToken = default);
}
