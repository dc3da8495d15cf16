using System.Text.RegularExpressions;
using System.Xml.Linq;
using Kuroco.Core.Members;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Unit.Members;

public sealed partial class MemberAccountMailsTests
{
    private static readonly MemberMailSite Site = new("Example Shop", "https://www.example-shop.jp/club");

    private static Dictionary<string, string> Load(string file) =>
        XDocument.Load(Path.Combine(RepositoryPaths.Root, "Kuroco.Core", "Resources", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    private static Member Member(string language, string name = "山田 花子") => new()
    {
        Id = Guid.NewGuid(),
        Email = "hanako@example.jp",
        DisplayName = name,
        Language = language,
    };

    [Fact]
    public void English_and_Japanese_messages_have_the_same_keys_placeholders_and_no_empty_values()
    {
        var english = Load("MemberAccountMessages.resx");
        var japanese = Load("MemberAccountMessages.ja.resx");
        Assert.Empty(english.Keys.Except(japanese.Keys));
        Assert.Empty(japanese.Keys.Except(english.Keys));
        Assert.DoesNotContain(english.Concat(japanese), kv => string.IsNullOrWhiteSpace(kv.Value));
        foreach (var key in english.Keys)
        {
            Assert.True(Placeholders(english[key]).SetEquals(Placeholders(japanese[key])), key);
        }
    }

    [Fact]
    public void Each_mail_is_in_the_members_language_with_a_link_to_the_website()
    {
        var ja = MemberAccountMails.PasswordReset(Member(MemberLanguages.Japanese), Site, "tok-123");
        var en = MemberAccountMails.PasswordReset(Member(MemberLanguages.English), Site, "tok-123");

        Assert.Contains("https://www.example-shop.jp/club/members/reset-password?token=tok-123", ja.Body, StringComparison.Ordinal);
        Assert.Contains("https://www.example-shop.jp/club/members/reset-password?token=tok-123", en.Body, StringComparison.Ordinal);
        Assert.Contains("パスワード", ja.Subject, StringComparison.Ordinal);
        Assert.StartsWith("Reset your password for Example Shop", en.Subject, StringComparison.Ordinal);
        Assert.Equal("hanako@example.jp", ja.ToAddress);
        Assert.DoesNotContain('\r', ja.Body + en.Body);
        Assert.Contains("/members/verify?token=", MemberAccountMails.Verification(Member("en"), Site, "t", 24).Body, StringComparison.Ordinal);
        Assert.Contains("/members/invitation?token=", MemberAccountMails.Invitation(Member("ja"), Site, "t", 72).Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_with_a_line_break_is_left_out_of_the_headers_and_the_greeting()
    {
        var mail = MemberAccountMails.Invitation(Member(MemberLanguages.English, "Eve\r\nBcc: victim@example.com"), Site, "t", 72);

        Assert.Null(mail.ToName);
        Assert.DoesNotContain("Bcc", mail.Subject + mail.Body, StringComparison.Ordinal);
        Assert.StartsWith("Hello,", mail.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://www.example.com", true)]
    [InlineData("http://localhost:3000/shop", true)]
    [InlineData("ftp://www.example.com", false)]
    [InlineData("https://www.example.com/?a=1", false)]
    [InlineData("/members", false)]
    [InlineData("https://user@www.example.com", false)]
    [InlineData("https://www.example.com\r\n", false)]
    public void The_link_base_must_be_an_absolute_http_url_without_query(string value, bool valid) =>
        Assert.Equal(valid, MemberAccountRules.IsValidLinkBase(value));

    [Fact]
    public void Domain_lists_cover_subdomains_and_the_allowlist_restricts()
    {
        var settings = new MemberRegistrationSettings { DeniedDomains = ["spam.example"], AllowedDomains = [] };
        Assert.False(settings.AllowsDomain("a@spam.example"));
        Assert.False(settings.AllowsDomain("a@mail.SPAM.example"));
        Assert.True(settings.AllowsDomain("a@notspam.example"));
        settings.AllowedDomains = ["partner.example"];
        Assert.True(settings.AllowsDomain("a@partner.example"));
        Assert.False(settings.AllowsDomain("a@other.example"));
        Assert.False(settings.AllowsDomain("no-at-sign"));
    }

    private static HashSet<string> Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"\{(\d+)[^}]*\}")]
    private static partial Regex PlaceholderPattern();
}
