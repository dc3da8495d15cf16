namespace Kuroco.Core.Security.SignIn;

/// <summary>What a sign-in attempt came to. Only <see cref="Succeeded"/> and <see cref="RequiresPasswordChange"/> leave the client signed in.</summary>
public enum SignInStatus
{
    /// <summary>Signed in.</summary>
    Succeeded = 0,

    /// <summary>Signed in, but the account may do nothing but change its password (first sign-in, forced by an Administrator, expired).</summary>
    RequiresPasswordChange,

    /// <summary>The password was right; a second step (authenticator or recovery code) completes the sign-in.</summary>
    RequiresTwoFactor,

    /// <summary>Refused: the account is locked (now, or by this very attempt).</summary>
    LockedOut,

    /// <summary>Refused: the account is disabled.</summary>
    Disabled,

    /// <summary>Refused: unknown account, wrong secret, malformed request, or no sign-in waiting for its second step.</summary>
    Failed,

    /// <summary>Refused unchecked: too many attempts for this account in the current window; try again after <see cref="SignInOutcome.RetryAfter"/>.</summary>
    Throttled,
}

/// <summary>The secret a sign-in step checked (used in audit summaries).</summary>
public enum SignInMethod
{
    Password = 0,
    AuthenticatorCode,
    RecoveryCode,
    Passkey,
}

/// <summary>
/// The outcome of one sign-in step. Refusals deliberately carry no reason a page could show: the user is told the same
/// thing for an unknown account, a wrong password, a locked and a disabled account (the audit log has the reason).
/// </summary>
public sealed record SignInOutcome(SignInStatus Status)
{
    /// <summary>The account concerned, when one was identified (never for an unknown email).</summary>
    public string? AccountId { get; init; }

    /// <summary>For <see cref="SignInStatus.Throttled"/>: how long to wait.</summary>
    public TimeSpan RetryAfter { get; init; }

    /// <summary>The client is now signed in (possibly confined to the password change).</summary>
    public bool IsSignedIn => Status is SignInStatus.Succeeded or SignInStatus.RequiresPasswordChange;

    public static SignInOutcome Failed { get; } = new(SignInStatus.Failed);

    public static SignInOutcome Throttled(TimeSpan retryAfter) => new(SignInStatus.Throttled) { RetryAfter = retryAfter };
}
