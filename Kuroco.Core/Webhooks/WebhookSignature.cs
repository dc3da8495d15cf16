using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kuroco.Core.Webhooks;

/// <summary>
/// <c>Kuroco-Webhook-Signature: sha256=&lt;hex&gt;</c>, the lower-case hex HMAC-SHA256 of
/// <c>"{timestamp}.{body}"</c> keyed with the UTF-8 bytes of the subscription's secret.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "Kuroco-Webhook-Id";
    public const string TimestampHeader = "Kuroco-Webhook-Timestamp";
    public const string SignatureHeader = "Kuroco-Webhook-Signature";
    public const string Prefix = "sha256=";

    /// <summary>How old a timestamp a receiver should still accept (the README's advice).</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    public static string Compute(string secret, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        var message = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return Prefix + Convert.ToHexStringLower(mac);
    }

    /// <summary>What a receiver does: recompute, compare in constant time, and refuse old or future timestamps.</summary>
    public static bool Verify(string secret, string timestampHeader, string body, string signatureHeader, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return false;
        }
        var age = now - DateTimeOffset.FromUnixTimeSeconds(timestamp);
        if (age.Duration() > tolerance)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Compute(secret, timestamp, body));
        var given = Encoding.ASCII.GetBytes(signatureHeader ?? "");
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
