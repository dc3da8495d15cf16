using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kuroco.Core.Members;

/// <summary>How member text is folded for lookups and search.</summary>
public static class MemberText
{
    /// <summary>The unique key of an address: trimmed, NFKC (full-width letters become ASCII), lower case.</summary>
    public static string NormalizeEmail(string? email) =>
        (email ?? "").Trim().Normalize(NormalizationForm.FormKC).ToLowerInvariant();

    /// <summary>
    /// Folds text so that a partial search ignores the differences people do not see as different: NFKC (full-width and
    /// half-width forms, half-width katakana), lower case, katakana as hiragana, runs of white space as one space.
    /// </summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var normalized = text.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture);
        var builder = new StringBuilder(normalized.Length);
        var lastWasSpace = false;
        foreach (var c in normalized)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }
                lastWasSpace = true;
                continue;
            }
            lastWasSpace = false;
            // Katakana ァ (U+30A1) … ヶ (U+30F6) map to hiragana ぁ (U+3041) … ゖ (U+3096).
            builder.Append(c is >= '\u30A1' and <= '\u30F6' ? (char)(c - 0x60) : c);
        }
        return builder.ToString().TrimEnd();
    }

    /// <summary>The member's searchable text: folded email, name and reading joined by a separator no query contains.</summary>
    public static string ForSearch(string? email, string? displayName, string? nameKana)
    {
        var text = string.Join('\u001F', new[] { Fold(email), Fold(displayName), Fold(nameKana) }.Where(t => t.Length > 0));
        return text.Length <= Member.SearchTextMaxLength ? text : text[..Member.SearchTextMaxLength];
    }
}

/// <summary>Secrets the member features hand out (tokens in mails, refresh tokens): generated, and stored only as a hash.</summary>
public static class MemberSecrets
{
    /// <summary>256 random bits, base64url (43 characters): safe in a URL and a JSON string.</summary>
    public static string Generate() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Hex SHA-256 of the secret: what the database keeps.</summary>
    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret ?? "")));

    /// <summary>Constant-time comparison of a presented secret with a stored hash.</summary>
    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash ?? ""));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
