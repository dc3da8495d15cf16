using System.Text;

namespace Kuroco.Core.Media;

/// <summary>Cleans an uploaded file's name for display: no folders, no control or bidi characters, bounded length.</summary>
public static class MediaFileName
{
    public const string Fallback = "file";

    public static string Sanitize(string? name)
    {
        var text = name ?? "";
        // Only the last segment: a browser may send "C:\fakepath\x.png" or "../../x.png".
        var cut = text.LastIndexOfAny(['/', '\\']);
        if (cut >= 0)
        {
            text = text[(cut + 1)..];
        }
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsControl(rune) || category is System.Globalization.UnicodeCategory.Format
                or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator
                or System.Globalization.UnicodeCategory.Surrogate or System.Globalization.UnicodeCategory.PrivateUse)
            {
                continue;
            }
            builder.Append(rune.ToString());
        }
        var cleaned = builder.ToString().Trim().Trim('.').Trim();
        if (cleaned.Length == 0)
        {
            return Fallback;
        }
        if (cleaned.Length > MediaItem.FileNameMaxLength)
        {
            // Keep the extension visible, cut the middle; never split a surrogate pair.
            var extension = Path.GetExtension(cleaned);
            if (extension.Length > 20)
            {
                extension = "";
            }
            var head = cleaned[..(MediaItem.FileNameMaxLength - extension.Length)];
            if (head.Length > 0 && char.IsHighSurrogate(head[^1]))
            {
                head = head[..^1];
            }
            cleaned = head + extension;
        }
        return cleaned;
    }
}
