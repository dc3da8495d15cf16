using System.Security.Cryptography;
using System.Text.Json;
using Kuroco.Core.Content;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace Kuroco.Admin.Content;

/// <summary>
/// Keyset cursors of the delivery list: the last item's sort values and id, bound to the type, language and
/// sort they came from, protected (authenticated encryption) with a Data Protection key and written as base64url.
/// A cursor that was changed, truncated, made by another server's keys or used with another sort does not decode.
/// </summary>
public sealed class DeliveryCursor(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("Kuroco.Content.DeliveryCursor.v1");

    public string Encode(string typeApiId, string language, string sortSignature, DeliveryPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(typeApiId, language, sortSignature, [.. position.Values], position.Id));
        return WebEncoders.Base64UrlEncode(protector.Protect(payload));
    }

    /// <summary>The position, or null when the cursor is not one this server issued for this type, language and sort.</summary>
    public DeliveryPosition? Decode(string cursor, string typeApiId, string language, string sortSignature, int sortKeys)
    {
        try
        {
            var payload = JsonSerializer.Deserialize<Payload>(protector.Unprotect(WebEncoders.Base64UrlDecode(cursor)));
            if (payload is null || payload.T != typeApiId || payload.L != language || payload.S != sortSignature
                || payload.V is null || payload.V.Length != sortKeys || payload.V.Any(v => v is null))
            {
                return null;
            }
            return new DeliveryPosition(payload.V, payload.I);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or JsonException)
        {
            return null;
        }
    }

    private sealed record Payload(string T, string L, string S, string[] V, Guid I);
}
