using System.Globalization;
using System.Resources;
using System.Text;
using Kuroco.Core.Common;
using Kuroco.Core.Mail;

namespace Kuroco.Core.Members;

/// <summary>
/// Messages of the member features (Resources/MemberAccountMessages.resx and .ja.resx): API messages in the request's
/// UI culture, mail texts in the member's own language (<see cref="Member.Language"/>), never the staff UI's.
/// </summary>
public static class MemberAccountMessages
{
    private static readonly ResourceManager Resources =
        new("Kuroco.Core.Resources.MemberAccountMessages", typeof(MemberAccountMessages).Assembly);

    /// <summary>In the current UI culture (the API request's Accept-Language).</summary>
    public static string Get(string key) => Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Format(string key, params object[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);

    /// <summary>In a member's language ("ja" or "en"; anything else reads as English).</summary>
    public static string In(string language, string key) => Resources.GetString(key, CultureOf(language)) ?? key;

    public static CultureInfo CultureOf(string? language) =>
        CultureInfo.GetCultureInfo(language == MemberLanguages.Japanese ? "ja" : "en");
}

/// <summary>The customer's website as the mails name and link it (from <c>Kuroco:Members</c>).</summary>
public sealed record MemberMailSite(string Name, string LinkBaseUrl);

/// <summary>
/// The account mails a member receives, each in the member's language, plain text, with links to the customer's
/// website (<see cref="MemberAccountRules.Link"/>). Pure: the services send what these build through <see cref="IMailSender"/>.
/// </summary>
public static class MemberAccountMails
{
    private static readonly Lazy<TimeZoneInfo> Tokyo = new(() => TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));

    public static MailMessage Verification(Member member, MemberMailSite site, string token, int hours) =>
        Build(member, site, "Mail.Verification", Link(site, MemberTokenPurpose.EmailVerification, token), Hours(hours));

    public static MailMessage PasswordReset(Member member, MemberMailSite site, string token) =>
        Build(member, site, "Mail.PasswordReset", Link(site, MemberTokenPurpose.PasswordReset, token),
            Hours((int)MemberAccountRules.PasswordResetLifetime.TotalHours));

    public static MailMessage Invitation(Member member, MemberMailSite site, string token, int hours) =>
        Build(member, site, "Mail.Invitation", Link(site, MemberTokenPurpose.Invitation, token), Hours(hours));

    /// <summary>The lock notice; <paramref name="until"/> null when only the website's support can unlock the account.</summary>
    public static MailMessage LockedOut(Member member, MemberMailSite site, int failures, DateTimeOffset at, DateTimeOffset? until)
    {
        ArgumentNullException.ThrowIfNull(member);
        var language = member.Language;
        var when = until is { } end
            ? string.Format(MemberAccountMessages.CultureOf(language), MemberAccountMessages.In(language, "Mail.LockedOut.Until"), Time(language, end))
            : MemberAccountMessages.In(language, "Mail.LockedOut.UntilUnlocked");
        return Build(member, site, "Mail.LockedOut", Time(language, at), failures.ToString(CultureInfo.InvariantCulture), when);
    }

    public static MailMessage PasswordChanged(Member member, MemberMailSite site, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(member);
        return Build(member, site, "Mail.PasswordChanged", Time(member.Language, at));
    }

    public static MailMessage AlreadyRegistered(Member member, MemberMailSite site) => Build(member, site, "Mail.AlreadyRegistered");

    /// <summary>A time as the member reads it: Japan time for Japanese, UTC for English.</summary>
    public static string Time(string language, DateTimeOffset at)
    {
        var culture = MemberAccountMessages.CultureOf(language);
        var local = language == MemberLanguages.Japanese ? TimeZoneInfo.ConvertTime(at, Tokyo.Value).DateTime : at.UtcDateTime;
        return string.Format(culture, MemberAccountMessages.In(language, "Mail.Time"), local);
    }

    private static string Link(MemberMailSite site, MemberTokenPurpose purpose, string token)
    {
        ArgumentNullException.ThrowIfNull(site);
        return MemberAccountRules.Link(site.LinkBaseUrl, purpose, token).AbsoluteUri;
    }

    private static string Hours(int hours) => hours.ToString(CultureInfo.InvariantCulture);

    /// <summary>Greeting, the kind's body (site name first, then <paramref name="args"/>), footer; subject with the site name.</summary>
    private static MailMessage Build(Member member, MemberMailSite site, string kind, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(site);
        var language = member.Language;
        var culture = MemberAccountMessages.CultureOf(language);
        string Text(string key, params object[] values) => string.Format(culture, MemberAccountMessages.In(language, key), values);
        var name = member.DisplayName?.Trim() ?? "";
        var safeName = name.Length > 0 && HeaderValues.IsSafe(name) ? name : null;
        var body = new StringBuilder()
            .AppendLine(safeName is null ? Text("Mail.GreetingNoName") : Text("Mail.Greeting", safeName))
            .AppendLine()
            .AppendLine(Text(kind + ".Body", [site.Name, .. args]))
            .AppendLine()
            .Append(Text("Mail.Footer", site.Name))
            .ToString()
            .ReplaceLineEndings("\n");
        var toName = safeName is { Length: <= MailMessage.NameMaxLength } ? safeName : null;
        return new MailMessage(member.Email, toName, Text(kind + ".Subject", site.Name), body);
    }
}
