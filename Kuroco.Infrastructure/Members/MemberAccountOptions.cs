using Kuroco.Core.Common;
using Kuroco.Core.Members;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// Kuroco:Members — where the account mails send members: the customer's website, which shows the pages behind
/// <c>/members/verify?token=…</c>, <c>/members/reset-password?token=…</c> and <c>/members/invitation?token=…</c> and
/// calls the member API with the token. Checked at start-up.
/// </summary>
public sealed class MemberAccountOptions
{
    public const string SectionName = "Kuroco:Members";
    public const string DefaultLinkBaseUrl = "http://localhost:3000";
    public const int SiteNameMaxLength = 100;

    /// <summary>The website's base URL (absolute http or https, no query or fragment; a path such as /shop is kept).</summary>
    public string LinkBaseUrl { get; set; } = DefaultLinkBaseUrl;

    /// <summary>How the mails name the website (subject and signature); empty: the host of <see cref="LinkBaseUrl"/>.</summary>
    public string? SiteName { get; set; }

    public MemberMailSite Site => new(
        string.IsNullOrWhiteSpace(SiteName) ? new Uri(LinkBaseUrl).Host : SiteName.Trim(),
        LinkBaseUrl.TrimEnd('/'));

    public static string? Problem(MemberAccountOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!MemberAccountRules.IsValidLinkBase(options.LinkBaseUrl))
        {
            return $"{SectionName}:LinkBaseUrl must be an absolute http:// or https:// URL without query or fragment (e.g. https://www.example.com); it is '{options.LinkBaseUrl}'.";
        }
        if (options.SiteName is { } name && (name.Length > SiteNameMaxLength || !HeaderValues.IsSafe(name)))
        {
            return $"{SectionName}:SiteName must be one line of at most {SiteNameMaxLength} characters.";
        }
        return null;
    }
}
