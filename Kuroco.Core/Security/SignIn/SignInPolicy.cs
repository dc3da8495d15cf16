namespace Kuroco.Core.Security.SignIn;

/// <summary>
/// The rules one kind of account signs in under: how many wrong secrets lock it and for how long, whether "remember me"
/// is offered, and when a password has expired. Staff take theirs from the stored <see cref="PasswordPolicy"/>; another
/// kind of account (website members) supplies its own through its <see cref="ISignInPolicySource"/>.
/// </summary>
public sealed record SignInPolicy(int MaxFailedAttempts, TimeSpan LockoutSpan, bool RememberMeAllowed, int PasswordExpiryDays)
{
    public static SignInPolicy From(PasswordPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new(policy.MaxFailedAttempts, policy.LockoutSpan, policy.RememberMeAllowed, policy.ExpiryDays);
    }

    /// <summary>True when a password set at <paramref name="setAtUtc"/> must be changed before anything else.</summary>
    public bool IsPasswordExpired(DateTime setAtUtc, DateTimeOffset now) =>
        PasswordExpiryDays > 0 && setAtUtc.AddDays(PasswordExpiryDays) <= now.UtcDateTime;
}

/// <summary>Where the sign-in rules of one kind of account come from (read at every attempt: a policy change applies at once).</summary>
public interface ISignInPolicySource
{
    Task<SignInPolicy> GetAsync(CancellationToken cancellationToken = default);
}
