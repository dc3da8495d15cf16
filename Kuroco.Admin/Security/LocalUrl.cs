using System.Text;

namespace Kuroco.Admin;

/// <summary>
/// Redirect targets, in one place. Only paths of this site are followed (no open redirect: "//host", "/\host",
/// backslashes and control characters are refused), and what goes into a Location header is percent-encoded: a header
/// carries ASCII only, so a shared link with a Japanese path or query ("/content/items/news?q=お茶") would otherwise
/// answer 500 ("Invalid non-ASCII or control character in header").
/// </summary>
public static class LocalUrl
{
    private const int MaxLength = 2048;

    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxLength)
        {
            return false;
        }
        foreach (var c in url)
        {
            if (char.IsControl(c) || c == '\\')
            {
                return false;
            }
        }
        // "/path" but not "//host" or "/\host"; "~/path" as ASP.NET allows.
        if (url[0] == '/')
        {
            return url.Length == 1 || (url[1] != '/' && url[1] != '\\');
        }
        return url.Length > 1 && url[0] == '~' && url[1] == '/' && (url.Length == 2 || (url[2] != '/' && url[2] != '\\'));
    }

    /// <summary>The URL when it is local, else the dashboard. Not yet encoded: for a return URL carried in a query.</summary>
    public static string OrRoot(string? url) => IsLocal(url) ? url! : "/";

    /// <summary>The one value for a Location header: the URL when local (else "/"), percent-encoded.</summary>
    public static string ForRedirect(string? url) => Encode(OrRoot(url));

    /// <summary><paramref name="path"/> with the (local) return URL as its query, e.g. "/account/login?returnUrl=%2Fcontent".</summary>
    public static string WithReturnUrl(string path, string? returnUrl) =>
        $"{path}?returnUrl={Uri.EscapeDataString(OrRoot(returnUrl))}";

    /// <summary>
    /// Percent-encodes, as UTF-8, every character that may not appear in a URL as is (non-ASCII, space, control
    /// characters, and " &lt; &gt; \ ^ ` { | }). Reserved characters keep their meaning and an existing %XX escape is
    /// kept, so encoding twice changes nothing.
    /// </summary>
    public static string Encode(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        StringBuilder? encoded = null;
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < url.Length; i++)
        {
            var c = url[i];
            if (IsAllowed(c) || (c == '%' && i + 2 < url.Length && char.IsAsciiHexDigit(url[i + 1]) && char.IsAsciiHexDigit(url[i + 2])))
            {
                encoded?.Append(c);
                continue;
            }
            encoded ??= new StringBuilder(url.Length + 16).Append(url, 0, i);
            Rune rune;
            if (char.IsHighSurrogate(c) && i + 1 < url.Length && char.IsLowSurrogate(url[i + 1]))
            {
                rune = new Rune(c, url[i + 1]);
                i++;
            }
            else
            {
                rune = Rune.TryCreate(c, out var single) ? single : Rune.ReplacementChar;
            }
            var count = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..count])
            {
                encoded.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
            }
        }
        return encoded?.ToString() ?? url;
    }

    private const string HexDigits = "0123456789ABCDEF";

    private static bool IsAllowed(char c) =>
        c is > ' ' and < (char)0x7F && c is not ('%' or '"' or '<' or '>' or '\\' or '^' or '`' or '{' or '|' or '}');
}
