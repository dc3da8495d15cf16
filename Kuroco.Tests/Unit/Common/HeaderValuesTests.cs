using Kuroco.Core.Common;

namespace Kuroco.Tests.Unit.Common;

public sealed class HeaderValuesTests
{
    [Theory]
    [InlineData("\r")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\u2028")]
    [InlineData("\u2029")]
    [InlineData("\u0085")]
    [InlineData("\0")]
    public void Line_breaks_and_nul_are_unsafe(string breaker)
    {
        Assert.False(HeaderValues.IsSafe("before" + breaker + "after"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Kuroco 管理画面 – alert\t(tab is folded whitespace, not a line break)")]
    public void Ordinary_text_is_safe(string? value)
    {
        Assert.True(HeaderValues.IsSafe(value));
    }

    [Fact]
    public void HasLineBreak_sees_only_CR_and_LF()
    {
        Assert.True(HeaderValues.HasLineBreak("a\rb"));
        Assert.True(HeaderValues.HasLineBreak("a\nb"));
        Assert.False(HeaderValues.HasLineBreak("a\u2028b"));
        Assert.False(HeaderValues.HasLineBreak(null));
    }
}
