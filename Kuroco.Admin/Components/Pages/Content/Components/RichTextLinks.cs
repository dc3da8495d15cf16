using System.Text.RegularExpressions;

namespace Kuroco.Admin.Components.Pages.Content.Components;

/// <summary>
/// The addresses a link in rich text may have: http and https addresses, mailto, and paths on the site
/// (starting with /, ./, ../, # or ?). The same rule as <c>isAllowedHref</c> in wwwroot/js/richtext-editor.js,
/// so the editor's dialog refuses what the editor would not keep. The server-side sanitizer decides in the end.
/// </summary>
public static partial class RichTextLinks
{
    public static bool IsAllowed(string? href)
    {
        var value = href?.Trim();
        if (string.IsNullOrEmpty(value) || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }
        return Absolute().IsMatch(value) || Relative().IsMatch(value);
    }

    [GeneratedRegex(@"^(https?://[^/?#]|mailto:.)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Absolute();

    [GeneratedRegex(@"^(/(?!/)|/$|\.\.?/|#|\?)", RegexOptions.CultureInvariant)]
    private static partial Regex Relative();
}

/// <summary>The link dialog's answer to the editor: an address (empty: remove the link) and, for a new link without selected text, its text.</summary>
public sealed record RichTextLink(string Href, string? Text);

/// <summary>An image chosen from the media library for the editor: its URL and alternative text in the item's language.</summary>
public sealed record RichTextImage(string Src, string Alt);
