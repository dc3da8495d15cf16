using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Kuroco.Core.Api;

/// <summary>
/// The secret of an API key: "kk_" and 32 random bytes in base64url (43 characters). Only its SHA-256
/// and a short display prefix are stored; the secret itself is shown once and never kept.
/// </summary>
public static class ApiKeySecret
{
    public const string Marker = "kk_";
    public const int RandomBytes = 32;
    /// <summary>"kk_" + 43 base64url characters.</summary>
    public const int Length = 3 + 43;
    /// <summary>Characters of the key shown in the console to recognise it ("kk_" and 8 more): 48 bits, not enough to guess the rest.</summary>
    public const int PrefixLength = 3 + 8;
    public const int HashLength = 32;
    /// <summary>Display prefix of a chosen key (see <see cref="IsChosenWellFormed"/>): never characters of the key itself.</summary>
    public const string ChosenMarker = "kx_";
    public const int ChosenMinLength = 20;
    public const int ChosenMaxLength = 200;

    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(bytes);
        var key = Marker + Base64Url.EncodeToString(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return key;
    }

    /// <summary>True when <paramref name="key"/> has the shape of a key (checked before any lookup).</summary>
    public static bool IsWellFormed(string? key)
    {
        if (key is null || key.Length != Length || !key.StartsWith(Marker, StringComparison.Ordinal))
        {
            return false;
        }
        for (var i = Marker.Length; i < key.Length; i++)
        {
            var c = key[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// True for a key chosen by the operator rather than generated (the demo key, <c>Kuroco:Demo:ApiKey</c>):
    /// 20–200 printable ASCII characters without whitespace or control characters (so it is a safe header value).
    /// </summary>
    public static bool IsChosenWellFormed(string? key)
    {
        if (key is null || key.Length is < ChosenMinLength or > ChosenMaxLength)
        {
            return false;
        }
        foreach (var c in key)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A generated key or a chosen one: worth a lookup.</summary>
    public static bool IsAcceptable(string? key) => IsWellFormed(key) || IsChosenWellFormed(key);

    public static byte[] Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    /// <summary>
    /// The non-secret part kept for display and lookup. A generated key shows "kk_" and 8 of its 43 random
    /// characters; a chosen key (often short and readable) shows none of its characters: "kx_" and 8 hex
    /// digits of its SHA-256, so the list never reveals part of it.
    /// </summary>
    public static string Prefix(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!IsWellFormed(key) && IsChosenWellFormed(key))
        {
            return ChosenMarker + Convert.ToHexStringLower(Hash(key), 0, 4);
        }
        return key.Length >= PrefixLength ? key[..PrefixLength] : key;
    }

    /// <summary>Compares two hashes in time independent of where they differ.</summary>
    public static bool HashesEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => CryptographicOperations.FixedTimeEquals(a, b);
}
