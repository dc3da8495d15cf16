using Kuroco.Core.Common;

namespace Kuroco.Core.Members;

/// <summary>
/// The fixed rules of members' own accounts (what the member API and the account mails share): token lifetimes, input
/// limits, the email-domain lists and the website links the mails carry.
/// </summary>
public static class MemberAccountRules
{
    /// <summary>A password-reset link works for one hour, once.</summary>
    public static readonly TimeSpan PasswordResetLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a sign-in without "remember me" (or when the member policy does not allow it) stays refreshable: one
    /// day from the sign-in, however often it is refreshed. With "remember me" it is the member policy's remember-me days.
    /// </summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromDays(1);

    /// <summary>At most one account mail of a kind (verification, reset, "already registered") per member in this time.</summary>
    public static readonly TimeSpan MailInterval = TimeSpan.FromMinutes(1);

    /// <summary>The sign-in history keeps this many attempts per member (the console shows the last 20).</summary>
    public const int SignInHistoryKept = 100;

    /// <summary>Tokens are 43 characters; anything much longer is not one and is refused unread.</summary>
    public const int MaxTokenInput = 128;

    /// <summary>Where a member goes to continue, on the customer's website: the path after <c>Kuroco:Members:LinkBaseUrl</c>.</summary>
    public static string LinkPath(MemberTokenPurpose purpose) => purpose switch
    {
        MemberTokenPurpose.EmailVerification => "/members/verify",
        MemberTokenPurpose.PasswordReset => "/members/reset-password",
        MemberTokenPurpose.Invitation => "/members/invitation",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, null),
    };

    /// <summary>The link a mail carries: the website's base URL (any path it has kept), the purpose's path and the token.</summary>
    public static Uri Link(string linkBaseUrl, MemberTokenPurpose purpose, string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(linkBaseUrl);
        ArgumentException.ThrowIfNullOrEmpty(token);
        return new Uri(linkBaseUrl.TrimEnd('/') + LinkPath(purpose) + "?token=" + Uri.EscapeDataString(token));
    }

    /// <summary>An absolute http(s) URL without query, fragment or user name: what <c>Kuroco:Members:LinkBaseUrl</c> must be.</summary>
    public static bool IsValidLinkBase(string? value) =>
        !string.IsNullOrWhiteSpace(value) && HeaderValues.IsSafe(value)
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0 && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo);

    /// <summary>The domain part of an address, folded like <see cref="MemberText.NormalizeEmail"/> (empty when there is none).</summary>
    public static string DomainOf(string? email)
    {
        var normalized = MemberText.NormalizeEmail(email);
        var at = normalized.LastIndexOf('@');
        return at < 0 ? "" : normalized[(at + 1)..].TrimEnd('.');
    }

    /// <summary>
    /// Whether the registration settings' domain lists let <paramref name="email"/> become a member: not at a denied domain
    /// (or a subdomain of one), and at an allowed one when the allowlist is not empty.
    /// </summary>
    public static bool AllowsDomain(this MemberRegistrationSettings settings, string? email)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var domain = DomainOf(email);
        if (domain.Length == 0)
        {
            return false;
        }
        if (settings.DeniedDomains.Any(d => Matches(domain, d)))
        {
            return false;
        }
        return settings.AllowedDomains.Count == 0 || settings.AllowedDomains.Any(d => Matches(domain, d));
    }

    private static bool Matches(string domain, string listed)
    {
        var entry = MemberText.NormalizeEmail(listed).TrimStart('@', '.').TrimEnd('.');
        return entry.Length > 0
            && (domain == entry || domain.EndsWith("." + entry, StringComparison.Ordinal));
    }

    /// <summary>A display name or reading: one line, no control characters.</summary>
    public static bool IsSingleLineText(string? value) =>
        value is null || !value.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029');
}

/// <summary>The service key of the member sign-in (<c>[FromKeyedServices(MemberSignIn.ServiceKey)] ISignInService</c>).</summary>
public static class MemberSignIn
{
    public const string ServiceKey = "member";
}

/// <summary>How member entries of the audit log name things. A member's email or name never appears in a summary or actor.</summary>
public static class MemberAudit
{
    public const string EntityType = "Member";

    /// <summary>The actor of what a member does through the API (the id is the member's; the name is no personal data).</summary>
    public static Audit.AuditActor Actor(Guid memberId) => new(memberId.ToString(), Name(memberId), []);

    /// <summary>"member {id}": how summaries refer to a member.</summary>
    public static string Name(Guid memberId) => "member " + memberId.ToString();
}
