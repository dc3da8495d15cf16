using Kuroco.Infrastructure.Content;

namespace Kuroco.Tests.Unit.Content;

public sealed class MarkdownRendererTests
{
    private static readonly MarkdownRenderer Renderer = new(new HtmlContentSanitizer());

    [Fact]
    public void Markdown_becomes_html()
    {
        var html = Renderer.ToSafeHtml("# Title\n\n**bold** and a [link](https://example.com/)\n\n| a | b |\n| - | - |\n| 1 | 2 |");
        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.com/\"", html, StringComparison.Ordinal);
        Assert.Contains("<table>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    public void Script_in_markdown_never_survives(string markdown)
    {
        var html = Renderer.ToSafeHtml(markdown);
        // Raw HTML comes out as visible text (escaped), never as an element; a javascript: link loses its URL.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<a href=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("<[a-z][^>]*\\son[a-z]+=", html);
    }

    [Fact]
    public void Empty_is_empty() => Assert.Equal("", Renderer.ToSafeHtml(""));
}
