using Ganss.Xss;
using Kuroco.Core.Content;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// Rich text through Ganss.Xss HtmlSanitizer: an allowlist of tags and attributes, so scripts, styles
/// with expressions, event handlers (on*) and javascript:/data: URLs are removed. Thread-safe once configured.
/// </summary>
internal sealed class HtmlContentSanitizer : IHtmlContentSanitizer
{
    private readonly HtmlSanitizer sanitizer;

    public HtmlContentSanitizer()
    {
        sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedTags.Remove("form");
        sanitizer.AllowedTags.Remove("input");
        sanitizer.AllowedTags.Remove("button");
        sanitizer.AllowedTags.Remove("textarea");
        sanitizer.AllowedTags.Remove("select");
        sanitizer.AllowedTags.Remove("option");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedTags.Remove("style");
    }

    public string Sanitize(string html) => string.IsNullOrEmpty(html) ? "" : sanitizer.Sanitize(html);
}
