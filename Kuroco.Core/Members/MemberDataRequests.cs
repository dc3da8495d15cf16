using Kuroco.Core.Common;

namespace Kuroco.Core.Members;

/// <summary>
/// Personal-data requests of a member (the right of access and the right to erasure): everything held about the member
/// as one document, and erasure. SupportStaff and Administrators (<see cref="MemberDataPolicies"/>). Both are audited; the
/// erasure entry records that it happened and what was removed, never the erased values.
/// </summary>
public interface IMemberDataRequests
{
    /// <summary>Everything held about the member, with the personal values of its audit entries revealed. NotFound for an unknown member.</summary>
    Task<Result<MemberPersonalDataDocument>> ExportAsync(Guid memberId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases the member's personal data: the personal fields anonymized (email <c>erased-{id}@erased.invalid</c>, name
    /// empty, reading and password gone, profile <c>{}</c>, status Erased), tokens and refresh tokens, sign-in history,
    /// consents and group memberships deleted, and the member's data key destroyed, so every personal value of the member
    /// in earlier audit entries becomes unreadable (<see cref="IMemberPersonalData.ShredAsync"/>). The member's current
    /// email must be typed as confirmation (Validation otherwise); NotFound for an unknown member, Conflict when erased already.
    /// </summary>
    Task<Result<MemberErasure>> EraseAsync(Guid memberId, string confirmationEmail, CancellationToken cancellationToken = default);
}

/// <summary>What an erasure removed (counts only).</summary>
public sealed record MemberErasure(Guid MemberId, DateTime ErasedAtUtc, int Groups, int SignIns, int Consents, int Tokens, int RefreshTokens);

/// <summary>Everything held about one member, as the personal-data export writes it (one JSON file).</summary>
public sealed record MemberPersonalDataDocument(
    DateTime ExportedAtUtc,
    MemberPersonalDataProfile Member,
    IReadOnlyList<MemberPersonalDataField> CustomFields,
    IReadOnlyList<MemberPersonalDataGroup> Groups,
    IReadOnlyList<MemberPersonalDataSignIn> SignIns,
    IReadOnlyList<MemberPersonalDataConsent> Consents,
    IReadOnlyList<MemberPersonalDataToken> Tokens,
    IReadOnlyList<MemberPersonalDataSession> Sessions,
    IReadOnlyList<MemberPersonalDataAuditEntry> AuditEntries);

public sealed record MemberPersonalDataProfile(
    Guid Id,
    string Email,
    string DisplayName,
    string? NameKana,
    string Language,
    string Status,
    bool Locked,
    DateTime? LockoutEndUtc,
    bool HasPassword,
    DateTime? PasswordSetAtUtc,
    DateTime CreatedAtUtc,
    DateTime UpdatedAtUtc,
    DateTime? EmailVerifiedAtUtc,
    DateTime? LastSignInAtUtc,
    DateTime? ErasedAtUtc);

/// <summary>A custom profile value: its key, its labels and the value (null when the field is empty).</summary>
public sealed record MemberPersonalDataField(string Key, string LabelEn, string LabelJa, string Kind, object? Value);

public sealed record MemberPersonalDataGroup(Guid Id, string NameJa, string NameEn, DateTime AddedAtUtc);

public sealed record MemberPersonalDataSignIn(DateTime AtUtc, string? IpAddress, string? UserAgent, string Outcome);

public sealed record MemberPersonalDataConsent(string Kind, string Version, DateTime GrantedAtUtc, DateTime? WithdrawnAtUtc);

/// <summary>A mailed link (verification, reset, invitation): when, not the secret (only its hash is held, and it is left out).</summary>
public sealed record MemberPersonalDataToken(string Purpose, DateTime CreatedAtUtc, DateTime ExpiresAtUtc, DateTime? UsedAtUtc);

/// <summary>A sign-in session of the member API (a refresh token): when, not the secret.</summary>
public sealed record MemberPersonalDataSession(Guid FamilyId, bool Persistent, DateTime CreatedAtUtc, DateTime ExpiresAtUtc, DateTime? UsedAtUtc, DateTime? RevokedAtUtc);

/// <summary>
/// An audit entry about the member, with its personal before/after values readable. Entries written since issue 12 are
/// language-neutral: their <see cref="Summary"/> is empty and <see cref="Parameters"/> holds the values (ids, counts, codes)
/// the console renders its sentence from.
/// </summary>
public sealed record MemberPersonalDataAuditEntry(
    long Sequence,
    DateTime OccurredAtUtc,
    string Action,
    string ActorName,
    string Summary,
    string Outcome,
    string? IpAddress,
    IReadOnlyList<Audit.FieldChange> Changes,
    IReadOnlyDictionary<string, string?>? Parameters = null);
