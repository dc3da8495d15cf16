namespace Kuroco.Core.Members;

/// <summary>
/// Where a member account stands. "Locked" is not a status: it is <see cref="Member.LockoutEndUtc"/> in the future
/// (the sign-in rules lock and unlock it), shown beside the status.
/// </summary>
public enum MemberStatus
{
    /// <summary>Registered or invited; the email address is not confirmed yet, so the member cannot sign in.</summary>
    PendingVerification = 0,

    Active = 1,

    /// <summary>Stopped by staff: cannot sign in, its tokens are revoked, nothing is deleted.</summary>
    Suspended = 2,

    /// <summary>Personal data erased on request: the row stays (for references and the audit trail) with nothing personal in it.</summary>
    Erased = 3,
}

/// <summary>
/// An end user of a customer's website (the seed's "お客様情報"). Never a staff account: members sign in over the JSON
/// API only, with their own password policy, and can never reach the console.
/// </summary>
public sealed class Member
{
    public const int EmailMaxLength = 256;
    public const int DisplayNameMaxLength = 100;
    public const int NameKanaMaxLength = 100;
    public const int PasswordHashMaxLength = 1024;
    public const int SearchTextMaxLength = 1024;

    public Guid Id { get; set; }

    /// <summary>As the member typed it (shown, mailed to).</summary>
    public string Email { get; set; } = "";

    /// <summary><see cref="MemberText.NormalizeEmail"/> of <see cref="Email"/>: unique, what lookups use.</summary>
    public string NormalizedEmail { get; set; } = "";

    public string DisplayName { get; set; } = "";

    /// <summary>The name's reading in katakana or hiragana (フリガナ), optional.</summary>
    public string? NameKana { get; set; }

    /// <summary>The language mails are written in: <see cref="MemberLanguages.Japanese"/> or <see cref="MemberLanguages.English"/>.</summary>
    public string Language { get; set; } = MemberLanguages.Japanese;

    public MemberStatus Status { get; set; } = MemberStatus.PendingVerification;

    /// <summary>Null for a member without a password yet (invited, imported) — such a member cannot sign in.</summary>
    public string? PasswordHash { get; set; }

    public DateTime? PasswordSetAtUtc { get; set; }

    public bool MustChangePassword { get; set; }

    /// <summary>Failed sign-in attempts since the last success or lock (changed atomically by the sign-in rules).</summary>
    public int AccessFailedCount { get; set; }

    public DateTime? LockoutEndUtc { get; set; }

    /// <summary>Changes whenever existing sessions must end (password change, suspension, sign-out everywhere).</summary>
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>Values of the custom profile fields (<see cref="MemberProfileSchema"/>), as a JSON object of strings by field key.</summary>
    public string ProfileJson { get; set; } = "{}";

    /// <summary>
    /// Email, name and reading folded by <see cref="MemberText.ForSearch"/> (NFKC, lower case, katakana as hiragana), so a
    /// partial search matches full-width and half-width forms and either kana.
    /// </summary>
    public string SearchText { get; set; } = "";

    public DateTime CreatedAtUtc { get; set; }

    public DateTime UpdatedAtUtc { get; set; }

    public DateTime? EmailVerifiedAtUtc { get; set; }

    public DateTime? LastSignInAtUtc { get; set; }

    public DateTime? ErasedAtUtc { get; set; }

    /// <summary>Optimistic concurrency: a console save with a stale copy is refused (PreconditionFailed).</summary>
    public Guid ConcurrencyToken { get; set; } = Guid.NewGuid();

    public List<MemberGroupMembership> Groups { get; set; } = [];

    public bool IsLockedOut(DateTimeOffset now) => LockoutEndUtc is { } end && end > now.UtcDateTime;

    /// <summary>Recomputes <see cref="NormalizedEmail"/> and <see cref="SearchText"/> from the fields they fold.</summary>
    public void RefreshDerivedFields()
    {
        NormalizedEmail = MemberText.NormalizeEmail(Email);
        SearchText = MemberText.ForSearch(Email, DisplayName, NameKana);
    }
}

public static class MemberLanguages
{
    public const string Japanese = "ja";
    public const string English = "en";

    public static IReadOnlyList<string> All { get; } = [Japanese, English];

    public static bool IsSupported(string? language) => language is Japanese or English;
}
