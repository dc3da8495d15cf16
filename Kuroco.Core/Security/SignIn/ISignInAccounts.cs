namespace Kuroco.Core.Security.SignIn;

/// <summary>What the sign-in service needs to know of an account: a snapshot read at the start of an attempt.</summary>
public sealed record SignInAccount(string Id, string Email, string DisplayName)
{
    public bool IsEnabled { get; init; } = true;

    /// <summary>False for an account that never locks (not used by the console, but honoured).</summary>
    public bool LockoutEnabled { get; init; } = true;

    public DateTimeOffset? LockoutEnd { get; init; }

    /// <summary>Set for new, reset and bootstrap accounts.</summary>
    public bool MustChangePassword { get; init; }

    /// <summary>When the current password was set (for expiry).</summary>
    public DateTime PasswordSetAtUtc { get; init; }

    /// <summary>
    /// Why a disabled account (<see cref="IsEnabled"/> false) may not sign in, for the audit entry only: a code rendered
    /// through <c>value:reason:{code}</c> (a member <c>pending-verification</c>, <c>member-suspended</c>…); null reads
    /// <c>account-disabled</c>. Callers never see it.
    /// </summary>
    public string? RefusalReason { get; init; }

    public bool IsLockedOut(DateTimeOffset now) => LockoutEnd is { } end && end > now;
}

/// <summary>
/// The account store of one kind of account (staff: the Identity users table). Besides lookups and the password check it
/// keeps the failed-attempt count, which must be changed atomically in the store: parallel guesses each take one of the
/// policy's allowed failures before their secret is checked.
/// </summary>
public interface ISignInAccounts
{
    /// <summary>The entity type audit entries name ("Staff").</summary>
    string AuditEntityType { get; }

    /// <summary>
    /// How audit entries (actor and summary) name the account: staff by their email; a member by an opaque reference,
    /// because a member's email is personal data that must not outlive the member's erasure in the append-only log.
    /// </summary>
    string AuditName(SignInAccount account);

    /// <summary>How an entry names the email tried for no known account, or null to leave it out.</summary>
    string? AuditNameOfUnknown(string email);

    Task<SignInAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken = default);

    Task<SignInAccount?> FindByIdAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The account's roles, sorted, for the audit actor.</summary>
    Task<IReadOnlyList<string>> RolesAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Verifies the password and, when it is right but hashed with outdated settings, stores a new hash.</summary>
    Task<bool> CheckPasswordAsync(string id, string password, CancellationToken cancellationToken = default);

    /// <summary>Costs what one password check costs, against no account: unknown, locked and disabled accounts take as long as a wrong password.</summary>
    void SpendOneCheck(string password);

    /// <summary>Counts one attempt before its secret is checked: the attempt's number since the last success or lock, or null when the account is locked.</summary>
    Task<int?> ReserveAttemptAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Gives back an attempt that was not a failure (refused unchecked, or a right password with a second step still owed).</summary>
    Task ReleaseAttemptAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>A completed sign-in: the count starts again.</summary>
    Task ResetAttemptsAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Locks the account for <paramref name="span"/>, starts a new count and ends its open sessions; returns the lock's end.</summary>
    Task<DateTimeOffset> LockAsync(string id, TimeSpan span, CancellationToken cancellationToken = default);

    /// <summary>Records the time of a completed sign-in.</summary>
    Task RecordSignInAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Told of every attempt's outcome (<paramref name="id"/> null when no account was identified, e.g. unknown or
    /// throttled; <paramref name="email"/> as tried, trimmed): a store that keeps a sign-in history writes it here.
    /// </summary>
    Task RecordAttemptAsync(string? id, string email, SignInStatus status, CancellationToken cancellationToken = default);
}

/// <summary>Who is told when an account locks (staff: the user and every enabled SecurityOfficer, by mail).</summary>
public interface ISignInNotifications
{
    Task LockedOutAsync(SignInAccount account, int failures, CancellationToken cancellationToken = default);
}

/// <summary>The per-account limit on sign-in attempts in a time window, keyed by the email tried (unknown emails alike).</summary>
public interface ISignInThrottle
{
    /// <summary>Counts one attempt; false, with the wait, when the limit is used up.</summary>
    bool TryAcquire(string email, out TimeSpan retryAfter);
}
