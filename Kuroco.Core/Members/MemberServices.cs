using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Security;

namespace Kuroco.Core.Members;

/// <summary>
/// The website members' password policy: the same settings and rules as the staff policy (<see cref="PasswordPolicy"/>),
/// stored and audited separately. Its lockout, history, expiry and remember-me ("auto-login") apply to member sign-in.
/// </summary>
public interface IMemberPasswordPolicyStore
{
    Task<PasswordPolicy> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>As <see cref="IPasswordPolicyStore.SaveAsync"/>: the changes audited, or a validation failure by setting name.</summary>
    Task<Result<IReadOnlyList<FieldChange>>> SaveAsync(PasswordPolicy policy, CancellationToken cancellationToken = default);
}

/// <summary>
/// Personal values of a member that must live outside the member's own row — the before/after of audit entries, above
/// all — are written encrypted with a key of that member's own. Erasing the member destroys the key ("crypto-shredding"):
/// every such copy becomes unreadable at once, while the audit trail's hash chain, computed over the stored (encrypted)
/// text, stays intact and verifiable.
/// </summary>
public interface IMemberPersonalData
{
    /// <summary>The value in its stored form (<c>pd1:</c>…), encrypted with the member's key (made on first use); null stays null.</summary>
    Task<string?> ProtectAsync(Guid memberId, string? value, CancellationToken cancellationToken = default);

    /// <summary>
    /// The readable value of a stored one: a value not in the protected form is returned as it is; a protected value whose
    /// member was erased (the key is gone) gives <see cref="MemberPersonalDataText.Erased"/>.
    /// </summary>
    Task<string?> RevealAsync(string? stored, CancellationToken cancellationToken = default);

    /// <summary>Destroys the member's key: everything protected with it is unreadable from now on. Idempotent.</summary>
    Task ShredAsync(Guid memberId, CancellationToken cancellationToken = default);
}

public static class MemberPersonalDataText
{
    /// <summary>The prefix of a protected value: <c>pd1:{member id}:{payload}</c>.</summary>
    public const string Prefix = "pd1:";

    /// <summary>What a protected value reads as once its member was erased.</summary>
    public const string Erased = "(erased)";

    public static bool IsProtected(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The member a protected value belongs to, or null.</summary>
    public static Guid? MemberOf(string? value)
    {
        if (!IsProtected(value))
        {
            return null;
        }
        var rest = value!.AsSpan(Prefix.Length);
        var colon = rest.IndexOf(':');
        return colon > 0 && Guid.TryParseExact(rest[..colon], "N", out var id) ? id : null;
    }
}

/// <summary>A signed, short-lived access token of the member API and how many seconds it lives.</summary>
public sealed record MemberAccessToken(string Token, int ExpiresInSeconds);

/// <summary>
/// Issues the member API's access tokens (JWT, HMAC-SHA256). The HTTP layer validates them with the "MemberBearer"
/// scheme, which also refuses a token whose member is no longer active or whose security stamp changed (sign-out
/// everywhere, password change, suspension take effect on the next request).
/// </summary>
public interface IMemberAccessTokens
{
    MemberAccessToken Issue(Member member);
}

/// <summary>An invitation staff send (or an import asks for): the member is created pending, with no password, and mailed a link.</summary>
public sealed record MemberInvitation(string Email, string DisplayName, string Language, IReadOnlyList<Guid> GroupIds);

/// <summary>
/// The mails of a member's account that staff start from the console (and an import may start): each makes a single-use,
/// expiring <see cref="MemberToken"/> and mails its link in the member's language. Audited.
/// </summary>
public interface IMemberAccountActions
{
    /// <summary>A password-reset link (the member's refresh tokens are revoked once it is used).</summary>
    Task<Result> SendPasswordResetAsync(Guid memberId, CancellationToken cancellationToken = default);

    /// <summary>A new verification link for a member still pending verification (earlier links stop working).</summary>
    Task<Result> ResendVerificationAsync(Guid memberId, CancellationToken cancellationToken = default);

    /// <summary>Creates the member (pending, no password) under the registration settings and mails the invitation link.</summary>
    Task<Result<Member>> InviteAsync(MemberInvitation invitation, CancellationToken cancellationToken = default);
}
