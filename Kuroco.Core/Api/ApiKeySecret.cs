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

    public static byte[] Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    /// <summary>The non-secret part kept for display and lookup.</summary>
    public static string Prefix(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length >= PrefixLength ? key[..PrefixLength] : key;
    }

    /// <summary>Compares two hashes in time independent of where they differ.</summary>
    public static bool HashesEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => CryptographicOperations.FixedTimeEquals(a, b);
}
