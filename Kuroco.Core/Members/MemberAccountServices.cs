using System.Text.Json;
using Kuroco.Core.Common;

namespace Kuroco.Core.Members;

/// <summary>What a website sends to register a member (the member API's <c>POST /api/v1/members/register</c>).</summary>
public sealed record MemberRegistrationRequest(
    string? Email,
    string? Password,
    string? DisplayName,
    string? Language,
    string? NameKana = null,
    IReadOnlyDictionary<string, JsonElement>? Profile = null);

/// <summary>
/// Becoming a member over the API: registering, confirming the address, accepting an invitation. Answers never say
/// whether an address is already a member.
/// </summary>
public interface IMemberRegistration
{
    /// <summary>
    /// Registers, or — for an address that is already a member — mails that member instead; the caller cannot tell the
    /// two apart (both hash the password). Refusals that do not depend on the address's membership: <see cref="ErrorKind.Forbidden"/>
    /// when registration is closed or by invitation only, <see cref="ErrorKind.Validation"/> for bad input, a refused
    /// domain or a password the member policy refuses.
    /// </summary>
    Task<Result> RegisterAsync(MemberRegistrationRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Uses a verification link's token (the member becomes active) or an invitation's (with <paramref name="password"/>,
    /// required then and checked against the member policy). A bad, used or expired token is one generic validation failure.
    /// </summary>
    Task<Result> VerifyAsync(string? token, string? password, CancellationToken cancellationToken = default);
}

/// <summary>The tokens a member's client holds: a short-lived access token (JWT) and an opaque, single-use refresh token.</summary>
public sealed record MemberTokenPair(string AccessToken, int ExpiresIn, string RefreshToken, DateTime RefreshTokenExpiresAtUtc);

public enum MemberRefreshStatus
{
    Refreshed = 0,

    /// <summary>Unknown, expired or revoked, or the member may no longer sign in.</summary>
    Invalid,

    /// <summary>Presented a second time: the whole family (every token of that sign-in) was revoked.</summary>
    Reused,
}

public sealed record MemberRefreshOutcome(MemberRefreshStatus Status, MemberTokenPair? Tokens = null);

/// <summary>A member's sign-ins as refresh-token families (one per sign-in; rotated on every refresh).</summary>
public interface IMemberSessions
{
    /// <summary>A new sign-in: an access token and the first refresh token of a new family.</summary>
    Task<MemberTokenPair> IssueAsync(Member member, bool persistent, CancellationToken cancellationToken = default);

    /// <summary>Exchanges a refresh token for a new pair (rotation); a used one revokes its family (reuse detection).</summary>
    Task<MemberRefreshOutcome> RefreshAsync(string? refreshToken, CancellationToken cancellationToken = default);

    /// <summary>Ends the sign-in the refresh token belongs to (its family). Unknown or spent tokens change nothing.</summary>
    Task LogoutAsync(string? refreshToken, CancellationToken cancellationToken = default);

    /// <summary>Revokes every refresh token of the member; the number revoked.</summary>
    Task<int> RevokeAllAsync(Guid memberId, CancellationToken cancellationToken = default);
}

/// <summary>A member as the member API shows it to that member.</summary>
public sealed record MemberProfileView(Member Member, IReadOnlyList<MemberGroup> Groups, IReadOnlyList<Content.FieldDefinition> Fields);

/// <summary>
/// What <c>PATCH /api/v1/members/me</c> changes: null leaves a value as it is; an empty reading clears it; a profile
/// key with JSON null clears that field. <see cref="EmailGiven"/>: the body tried to change the email (refused).
/// </summary>
public sealed record MemberProfileChange(
    string? DisplayName,
    string? NameKana,
    string? Language,
    IReadOnlyDictionary<string, JsonElement>? Profile,
    bool EmailGiven = false);

/// <summary>What a signed-in member does to their own account.</summary>
public interface IMemberSelfService
{
    Task<Result<MemberProfileView>> GetAsync(Guid memberId, CancellationToken cancellationToken = default);

    /// <summary>Changes name, reading, language and custom profile fields (validated with the fields' rules); audited.</summary>
    Task<Result<MemberProfileView>> UpdateAsync(Guid memberId, MemberProfileChange change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks the current password, sets the new one under the member policy and its history, changes the security
    /// stamp (every access token stops working) and revokes every refresh token; the caller gets a new pair.
    /// </summary>
    Task<Result<MemberTokenPair>> ChangePasswordAsync(Guid memberId, string? currentPassword, string? newPassword, bool rememberMe,
        CancellationToken cancellationToken = default);
}

/// <summary>A forgotten password: the mail with a one-hour, single-use link, and the reset through it.</summary>
public interface IMemberPasswordReset
{
    /// <summary>
    /// Accepts the request whatever the address: the lookup and mail happen after the answer, so the answer and its time
    /// say nothing about which addresses are members. Only an active member gets a mail.
    /// </summary>
    Task RequestAsync(string? email, CancellationToken cancellationToken = default);

    /// <summary>Sets the password through a reset link; every sign-in of the member ends. A bad token is one generic failure.</summary>
    Task<Result> ResetAsync(string? token, string? password, CancellationToken cancellationToken = default);
}
