using Kuroco.Infrastructure.Content;
using Kuroco.Tests.Browser.Content;

namespace Kuroco.Tests.Unit.Content;

/// <summary>
/// The server-side sanitizer is the authority over rich text, and the editor (wwwroot/js/richtext-editor.js) writes
/// only what it keeps unchanged: otherwise every save would rewrite the value behind the editor's back. The samples
/// are the editor's own output (its serializer run in Chromium, see RichTextEditorBrowserTests); hostile markup that
/// arrives by other ways (the HTML source view, the management API, a paste that bypassed the editor) is still removed.
/// </summary>
public sealed class HtmlContentSanitizerTests
{
    private static readonly HtmlContentSanitizer Sanitizer = new();

    public static TheoryData<string> EditorOutput() => new()
    {
        "<h2>A</h2>\n<h3>B</h3>\n<h4>C</h4>\n<p>x <strong>b</strong> <em>i</em> <s>s</s> <code>c</code></p>",
        "<ol start=\"3\">\n<li>\n<p>a</p>\n<ul>\n<li><p>b</p></li>\n</ul>\n</li>\n<li><p>c</p></li>\n</ol>",
        "<blockquote>\n<p>q</p>\n</blockquote>\n<pre><code>let a = 1 &lt; 2;</code></pre>\n<hr>\n<p>a<br>b</p>",
        "<p><a href=\"mailto:a@example.com\">m</a> <a href=\"/about\">r</a> <a href=\"#top\">h</a> <a href=\"../x\">p</a> <a href=\"https://example.com/a?b=1&amp;c=2\">q</a></p>",
        "<p>&lt;script&gt; &amp; \"quotes\" 'single' &nbsp;x</p>\n<img src=\"/media/0b5f5d3c-8c4e-4b8f-9a66-1f0b0c7d2a11\" alt=\"\">\n<p>after</p>",
        "<table>\n<thead>\n<tr>\n<th colspan=\"2\"><p>H</p></th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td><p>1</p></td>\n<td><p>2</p></td>\n</tr>\n</tbody>\n</table>",
        "<p>a</p>\n<img src=\"https://example.com/a.png\" alt=\"A &quot;quoted&quot; &amp; alt\">",
        RichTextEditorBrowserTests.ExpectedJapaneseBody(Guid.Parse("6c0d6c2e-51d4-4a57-9f77-0a5a3c1a9e10")),
        RichTextEditorBrowserTests.ExpectedEnglishBody,
    };

    [Theory]
    [MemberData(nameof(EditorOutput))]
    public void What_the_editor_writes_survives_sanitizing_unchanged(string html) =>
        Assert.Equal(html, Sanitizer.Sanitize(html));

    [Fact]
    public void Hostile_markup_in_a_paste_is_removed_on_the_server()
    {
        const string pasted = RichTextEditorBrowserTests.WordClipboard
            + "<img src=x onerror=\"alert(1)\"><img src=\"data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=\"><iframe src=\"https://evil.example\"></iframe>"
            + "<a href=\"javascript:alert(2)\">j</a><a href=\" JaVaScRiPt:alert(3)\">k</a><form action=\"/x\"><input name=a><button>b</button></form>"
            + "<svg><script>alert(4)</script></svg><p style=\"background:url(javascript:alert(5))\">styled</p><object data=\"x\"></object>";

        var html = Sanitizer.Sanitize(pasted);

        foreach (var banned in new[] { "<script", "onerror", "onclick", "javascript:", "data:", "<iframe", "<form", "<input", "<button", "<style", "style=", "<object", "<svg", "<meta", "<o:p" })
        {
            Assert.DoesNotContain(banned, html, StringComparison.OrdinalIgnoreCase);
        }
        // What is left is ordinary content.
        Assert.Contains("Spring tea festival", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.com/tickets\"", html, StringComparison.Ordinal);
        Assert.Contains("styled", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Nothing_stays_nothing(string? html) => Assert.Equal("", Sanitizer.Sanitize(html!));
}
