using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;

namespace Kuroco.Core.Security;

/// <summary>
/// The one password policy of the console (staff now, members later). Every setting has a safe
/// default; the limits are constants so that the validator, the screen and the tests agree.
/// </summary>
public sealed class PasswordPolicy
{
    public const int MinLengthFloor = 8;
    public const int MinLengthCeiling = 64;
    public const int MaxLengthFloor = 64;
    public const int MaxLengthCeiling = 1024;
    public const int MaxCharacterClasses = 4;
    public const int ExpiryDaysMax = 3650;
    public const int ExpiryWarningDaysMax = 90;
    public const int MaxFailedAttemptsMin = 3;
    public const int MaxFailedAttemptsMax = 20;
    public const int LockoutMinutesMin = 1;
    public const int LockoutMinutesMax = 1440;
    public const int HistoryCountMax = 24;
    public const int RememberMeDaysMin = 1;
    public const int RememberMeDaysMax = 90;
    public const int StrengthScoreMax = 4;

    /// <summary>Minimum length in Unicode characters (code points). Vendor doc: 8 or more; NIST 800-63B 3.1.1.2.</summary>
    public int MinLength { get; set; } = 12;

    /// <summary>Maximum length; spaces and any Unicode character are allowed (ASVS 2.1.2/2.1.4).</summary>
    public int MaxLength { get; set; } = 128;

    public bool RequireLowercase { get; set; } = true;
    public bool RequireUppercase { get; set; } = true;
    public bool RequireDigit { get; set; } = true;
    public bool RequireSymbol { get; set; } = true;

    /// <summary>How many of the four classes (lowercase, uppercase, digit, symbol/other) must be present. 0 = no minimum.</summary>
    public int MinCharacterClasses { get; set; }

    /// <summary>Days a password stays valid; 0 = never expires (NIST recommends no periodic change).</summary>
    public int ExpiryDays { get; set; }

    /// <summary>The dashboard warns this many days before expiry.</summary>
    public int ExpiryWarningDays { get; set; } = 14;

    /// <summary>Consecutive failed sign-ins that lock the account (vendor doc: 5).</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    public int LockoutMinutes { get; set; } = 15;

    /// <summary>When set, a locked account stays locked until an Administrator unlocks it.</summary>
    public bool LockoutUntilUnlocked { get; set; }

    /// <summary>The new password may not equal any of the last N passwords; 0 = off.</summary>
    public int HistoryCount { get; set; } = 5;

    public bool RememberMeAllowed { get; set; } = true;
    public int RememberMeDays { get; set; } = 14;

    /// <summary>Refuse passwords containing the email's local part or the display name.</summary>
    public bool RejectPersonalInfo { get; set; } = true;

    /// <summary>Refuse passwords on the list of ~30,000 most common passwords (NIST 800-63B: blocklist).</summary>
    public bool RejectCommonPasswords { get; set; } = true;

    /// <summary>Minimum zxcvbn strength score, 0 (any) to 4 (very strong).</summary>
    public int MinStrengthScore { get; set; } = 2;

    /// <summary>The lockout span Identity uses: the configured minutes, or about a century when only an Administrator may unlock.</summary>
    public TimeSpan LockoutSpan => LockoutUntilUnlocked ? TimeSpan.FromDays(36500) : TimeSpan.FromMinutes(LockoutMinutes);

    /// <summary>When a password set at <paramref name="changedAtUtc"/> expires; null when passwords never expire.</summary>
    public DateTime? ExpiresAtUtc(DateTime changedAtUtc) => ExpiryDays > 0 ? changedAtUtc.AddDays(ExpiryDays) : null;

    public bool IsExpired(DateTime changedAtUtc, DateTimeOffset now) => ExpiresAtUtc(changedAtUtc) is { } end && end <= now.UtcDateTime;

    public PasswordPolicy Clone() => (PasswordPolicy)MemberwiseClone();

    /// <summary>Every setting as (name, invariant text), in a fixed order: for audit entries and the save confirmation.</summary>
    public IReadOnlyList<(string Name, string Value)> Settings() =>
    [
        (nameof(MinLength), Text(MinLength)),
        (nameof(MaxLength), Text(MaxLength)),
        (nameof(RequireLowercase), Text(RequireLowercase)),
        (nameof(RequireUppercase), Text(RequireUppercase)),
        (nameof(RequireDigit), Text(RequireDigit)),
        (nameof(RequireSymbol), Text(RequireSymbol)),
        (nameof(MinCharacterClasses), Text(MinCharacterClasses)),
        (nameof(ExpiryDays), Text(ExpiryDays)),
        (nameof(ExpiryWarningDays), Text(ExpiryWarningDays)),
        (nameof(MaxFailedAttempts), Text(MaxFailedAttempts)),
        (nameof(LockoutMinutes), Text(LockoutMinutes)),
        (nameof(LockoutUntilUnlocked), Text(LockoutUntilUnlocked)),
        (nameof(HistoryCount), Text(HistoryCount)),
        (nameof(RememberMeAllowed), Text(RememberMeAllowed)),
        (nameof(RememberMeDays), Text(RememberMeDays)),
        (nameof(RejectPersonalInfo), Text(RejectPersonalInfo)),
        ("RejectCommonList", Text(RejectCommonPasswords)), // not "…Passwords": the audit log masks fields named like secrets
        (nameof(MinStrengthScore), Text(MinStrengthScore)),
    ];

    /// <summary>The settings that differ from <paramref name="before"/>, with both values.</summary>
    public IReadOnlyList<FieldChange> ChangesFrom(PasswordPolicy before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return [.. before.Settings().Zip(Settings())
            .Where(p => p.First.Value != p.Second.Value)
            .Select(p => new FieldChange(p.First.Name, p.First.Value, p.Second.Value))];
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Text(bool value) => value ? "true" : "false";
}

/// <summary>The stored policy. Reads are cached; a save validates, stores and audits every changed setting.</summary>
public interface IPasswordPolicyStore
{
    Task<PasswordPolicy> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves the policy; the value is the changes written to the audit log (empty when nothing changed). An invalid
    /// policy is a <see cref="ErrorKind.Validation"/> failure by setting name ("MinLength") and nothing is changed.
    /// </summary>
    Task<Result<IReadOnlyList<FieldChange>>> SaveAsync(PasswordPolicy policy, CancellationToken cancellationToken = default);
}
