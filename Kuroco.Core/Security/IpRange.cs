using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Kuroco.Core.Security;

/// <summary>
/// The CIDR rule of the allowlists: "203.0.113.0/24", "2001:db8::/32" or a single address
/// ("198.51.100.7" means /32, "2001:db8::1" means /128). The address part must be the network's
/// first address ("10.0.0.1/8" is refused: it reads as a typo). An IPv4-mapped IPv6 client address
/// (::ffff:203.0.113.5, as a dual-stack socket reports IPv4 peers) matches IPv4 ranges.
/// </summary>
public static class IpRange
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPNetwork? network)
    {
        network = null;
        var value = text?.Trim(' ');
        if (string.IsNullOrEmpty(value) || value.Length > IpAllowlistEntry.CidrMaxLength)
        {
            return false;
        }
        if (!value.Contains('/', StringComparison.Ordinal))
        {
            // IPAddress.TryParse accepts "1" or "0x7f.1" as IPv4; demand the usual dotted quad or IPv6 text.
            if (!IsPlainAddress(value) || !IPAddress.TryParse(value, out var single))
            {
                return false;
            }
            single = Normalize(single);
            network = new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (!IsPlainAddress(value[..slash]) || !IPAddress.TryParse(value[..slash], out var written)
            || !IPNetwork.TryParse(value, out var parsed) || !parsed.BaseAddress.Equals(written))
        {
            return false;
        }
        if (parsed.BaseAddress.IsIPv4MappedToIPv6)
        {
            // "::ffff:10.0.0.0/104" is "10.0.0.0/8" written the long way.
            if (parsed.PrefixLength < 96)
            {
                return false;
            }
            parsed = new IPNetwork(parsed.BaseAddress.MapToIPv4(), parsed.PrefixLength - 96);
        }
        network = parsed;
        return true;
    }

    public static bool IsValid(string? text) => TryParse(text, out _);

    /// <summary>Whether <paramref name="address"/> lies in <paramref name="network"/> (IPv4-mapped IPv6 compared as IPv4).</summary>
    public static bool Contains(IPNetwork network, IPAddress? address) =>
        address is not null && network.Contains(Normalize(address));

    /// <summary>IPv4-mapped IPv6 addresses become IPv4; everything else is unchanged.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    private static bool IsPlainAddress(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }
        if (text.Contains(':', StringComparison.Ordinal))
        {
            // IPv6 (optionally with an embedded dotted quad); no zone ids ("%eth0") or brackets.
            return text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.');
        }
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
    }
}
