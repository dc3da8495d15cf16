using Kuroco.Core.Content;

namespace Kuroco.Core.Members;

public enum MemberRegistrationMode
{
    /// <summary>Anyone may register over the API (subject to the domain lists).</summary>
    Open = 0,

    /// <summary>Only people staff invite by mail (an expiring link) can become members.</summary>
    InvitationOnly = 1,

    /// <summary>No new members, by registration or invitation.</summary>
    Closed = 2,
}

/// <summary>How people become members (one stored row; Administrators edit it under /members/settings).</summary>
public sealed class MemberRegistrationSettings
{
    public const int MaxDomains = 500;
    public const int DomainMaxLength = 253;
    public const int MinInvitationHours = 1;
    public const int MaxInvitationHours = 24 * 30;
    public const int MinVerificationHours = 1;
    public const int MaxVerificationHours = 24 * 7;

    public MemberRegistrationMode Mode { get; set; } = MemberRegistrationMode.Open;

    /// <summary>When not empty, only addresses at these domains (or their subdomains) may register or be invited.</summary>
    public List<string> AllowedDomains { get; set; } = [];

    /// <summary>Addresses at these domains (or their subdomains) may never register or be invited.</summary>
    public List<string> DeniedDomains { get; set; } = [];

    /// <summary>A member must confirm the email address before the first sign-in.</summary>
    public bool RequireEmailVerification { get; set; } = true;

    public int VerificationLinkHours { get; set; } = 24;

    public int InvitationLinkHours { get; set; } = 72;

    public DateTime UpdatedAtUtc { get; set; }

    public MemberRegistrationSettings Clone() => new()
    {
        Mode = Mode,
        AllowedDomains = [.. AllowedDomains],
        DeniedDomains = [.. DeniedDomains],
        RequireEmailVerification = RequireEmailVerification,
        VerificationLinkHours = VerificationLinkHours,
        InvitationLinkHours = InvitationLinkHours,
        UpdatedAtUtc = UpdatedAtUtc,
    };
}

/// <summary>
/// The custom profile fields Administrators define for members (one stored row). Each is a content
/// <see cref="FieldDefinition"/> of a kind members can hold (<see cref="AllowedKinds"/>), validated with the same
/// rule kinds as content (<see cref="FieldRules"/>); values live in <see cref="Member.ProfileJson"/>.
/// </summary>
public sealed class MemberProfileSchema
{
    public const int MaxFields = 50;

    /// <summary>Text, number, date, single/multiple choice and yes/no.</summary>
    public static IReadOnlyList<FieldKind> AllowedKinds { get; } =
        [FieldKind.ShortText, FieldKind.LongText, FieldKind.Number, FieldKind.DateTime, FieldKind.SingleChoice, FieldKind.MultipleChoice, FieldKind.Boolean];

    public List<FieldDefinition> Fields { get; set; } = [];

    public DateTime UpdatedAtUtc { get; set; }

    public Guid ConcurrencyToken { get; set; } = Guid.NewGuid();

    public IEnumerable<FieldDefinition> ActiveFields => Fields.Where(f => !f.IsArchived);
}
