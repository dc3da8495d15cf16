using Kuroco.Admin;

namespace Kuroco.Tests.Unit.Security;

public sealed class LocalUrlTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/x")]
    [InlineData("/audit?page=2&q=a%20b")]
    [InlineData("/settings/staff#top")]
    [InlineData("~/x")]
    public void Paths_of_this_site_are_local(string url)
    {
        Assert.True(LocalUrl.IsLocal(url));
        Assert.Equal(url, LocalUrl.OrRoot(url));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("//evil.example")]
    [InlineData("///evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("/x\\..\\evil")]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("JavaScript:alert(1)")]
    [InlineData("data:text/html,hi")]
    [InlineData("evil.example")]
    [InlineData("x")]
    [InlineData("~//evil.example")]
    [InlineData("~/\\evil.example")]
    [InlineData("~")]
    [InlineData("/x\r\nSet-Cookie: a=b")]
    [InlineData("/x\nLocation: https://evil.example")]
    [InlineData("/x\r")]
    [InlineData("/\t/evil.example")]
    [InlineData("/x\0")]
    public void Anything_that_could_leave_the_site_or_break_a_header_is_not_local(string? url)
    {
        Assert.False(LocalUrl.IsLocal(url));
        Assert.Equal("/", LocalUrl.OrRoot(url));
    }

    [Fact]
    public void Overlong_urls_are_not_local()
    {
        Assert.True(LocalUrl.IsLocal("/" + new string('a', 2047)));
        Assert.False(LocalUrl.IsLocal("/" + new string('a', 2048)));
    }

    [Theory]
    [InlineData("/日本", "/%E6%97%A5%E6%9C%AC")]
    [InlineData("/content/items/news?q=お茶", "/content/items/news?q=%E3%81%8A%E8%8C%B6")]
    [InlineData("/x嘊", "/x%E5%98%8A")]
    [InlineData("/a b", "/a%20b")]
    [InlineData("/x?q=\"<>`{|}^", "/x?q=%22%3C%3E%60%7B%7C%7D%5E")]
    [InlineData("/emoji/😀", "/emoji/%F0%9F%98%80")]
    [InlineData("/audit?page=2&q=a%20b#top", "/audit?page=2&q=a%20b#top")]
    [InlineData("/100%", "/100%25")]
    [InlineData("/%zz", "/%25zz")]
    public void Redirect_targets_are_percent_encoded_as_utf8_without_double_encoding(string url, string expected)
    {
        Assert.Equal(expected, LocalUrl.ForRedirect(url));
        Assert.True(expected.All(char.IsAscii));
        // Already encoded: unchanged.
        Assert.Equal(expected, LocalUrl.Encode(expected));
        Assert.Equal(Uri.UnescapeDataString(expected), Uri.UnescapeDataString(LocalUrl.Encode(Uri.UnescapeDataString(expected))));
    }

    [Theory]
    [InlineData("//evil.example/日本")]
    [InlineData("/\\evil.example/日本")]
    [InlineData("https://evil.example/日本")]
    [InlineData("/日本\r\nSet-Cookie: a=b")]
    public void Encoding_never_turns_an_off_site_target_into_a_redirect(string url) =>
        Assert.Equal("/", LocalUrl.ForRedirect(url));

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character() =>
        Assert.Equal("/x%EF%BF%BD", LocalUrl.Encode("/x\uD800"));

    [Fact]
    public void A_return_url_rides_in_the_query_of_a_step_page()
    {
        Assert.Equal("/account/login?returnUrl=%2Fcontent%2Fitems%2Fnews%3Fq%3D%E3%81%8A%E8%8C%B6", LocalUrl.WithReturnUrl("/account/login", "/content/items/news?q=お茶"));
        Assert.Equal("/account/login?returnUrl=%2F", LocalUrl.WithReturnUrl("/account/login", "//evil.example"));
    }
}
