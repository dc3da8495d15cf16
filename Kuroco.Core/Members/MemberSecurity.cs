namespace Kuroco.Core.Members;

public enum MemberSignInOutcome
{
    Succeeded = 0,
    Failed,
    LockedOut,
    /// <summary>Refused because the member is suspended, erased or not verified yet.</summary>
    NotAllowed,
    Throttled,
}

/// <summary>One sign-in attempt of a member (the console shows the last 20; erased with the member's personal data).</summary>
public sealed class MemberSignInRecord
{
    public const int IpAddressMaxLength = 64;
    public const int UserAgentMaxLength = 512;

    public long Id { get; set; }

    public Guid MemberId { get; set; }

    public DateTime AtUtc { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }

    public MemberSignInOutcome Outcome { get; set; }
}

public enum MemberTokenPurpose
{
    EmailVerification = 0,
    PasswordReset = 1,
    Invitation = 2,
}

/// <summary>
/// A single-use secret sent by mail (verification, password reset, invitation). Only its SHA-256 hash is stored
/// (<see cref="MemberSecrets.Hash"/>); it is used up on first use and expires.
/// </summary>
public sealed class MemberToken
{
    public Guid Id { get; set; }

    public Guid MemberId { get; set; }

    public MemberTokenPurpose Purpose { get; set; }

    /// <summary>Hex SHA-256 of the token as mailed.</summary>
    public string TokenHash { get; set; } = "";

    public DateTime CreatedAtUtc { get; set; }

    public DateTime ExpiresAtUtc { get; set; }

    public DateTime? UsedAtUtc { get; set; }

    public bool IsUsable(DateTimeOffset now) => UsedAtUtc is null && ExpiresAtUtc > now.UtcDateTime;
}

/// <summary>
/// A refresh token of the member API (opaque, stored hashed). Each refresh replaces it with a new one of the same
/// <see cref="FamilyId"/>; presenting one that was already used revokes the whole family (reuse detection).
/// </summary>
public sealed class MemberRefreshToken
{
    public Guid Id { get; set; }

    public Guid MemberId { get; set; }

    /// <summary>Every token descended from one sign-in.</summary>
    public Guid FamilyId { get; set; }

    /// <summary>Hex SHA-256 of the token as handed out.</summary>
    public string TokenHash { get; set; } = "";

    /// <summary>Issued with "remember me" (the policy's longer lifetime).</summary>
    public bool Persistent { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public DateTime ExpiresAtUtc { get; set; }

    /// <summary>Set when it was exchanged for its successor.</summary>
    public DateTime? UsedAtUtc { get; set; }

    public DateTime? RevokedAtUtc { get; set; }
}

/// <summary>A consent the member gave (terms, newsletter…), part of the personal-data export.</summary>
public sealed class MemberConsent
{
    public const int KindMaxLength = 64;
    public const int VersionMaxLength = 32;

    public long Id { get; set; }

    public Guid MemberId { get; set; }

    public string Kind { get; set; } = "";

    public string Version { get; set; } = "";

    public DateTime GrantedAtUtc { get; set; }

    public DateTime? WithdrawnAtUtc { get; set; }
}
