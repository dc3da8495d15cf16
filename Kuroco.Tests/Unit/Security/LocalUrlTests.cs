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
}
