using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kuroco.Core.Webhooks;

/// <summary>
/// The server-side request forgery rule for webhook targets: which addresses the console never
/// connects to (unless an Administrator allowlisted the host name), and how a host written as a
/// number (decimal, octal, hexadecimal, shortened IPv4, IPv6 in brackets) is read.
/// </summary>
public static class WebhookAddressRules
{
    private static readonly (uint Network, int Prefix)[] ForbiddenV4 =
    [
        (0x00000000, 8),   // 0.0.0.0/8 "this network", incl. the unspecified address
        (0x0A000000, 8),   // 10.0.0.0/8 private
        (0x64400000, 10),  // 100.64.0.0/10 carrier-grade NAT
        (0x7F000000, 8),   // 127.0.0.0/8 loopback
        (0xA9FE0000, 16),  // 169.254.0.0/16 link-local, incl. the 169.254.169.254 cloud metadata address
        (0xAC100000, 12),  // 172.16.0.0/12 private
        (0xC0A80000, 16),  // 192.168.0.0/16 private
        (0xE0000000, 4),   // 224.0.0.0/4 multicast
        (0xF0000000, 4),   // 240.0.0.0/4 reserved, incl. 255.255.255.255 broadcast
    ];

    /// <summary>True when a webhook may not connect to <paramref name="address"/> (unless its host is allowlisted).</summary>
    public static bool IsForbidden(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsForbiddenV4(address);
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return true;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return IsForbiddenV4(address.MapToIPv4());
        }
        var bytes = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback))
        {
            return true;
        }
        // IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96) addresses carry an IPv4 address that may be internal.
        if (bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0
            || (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B && bytes.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0))
        {
            return IsForbiddenV4(new IPAddress(bytes.AsSpan(12, 4)));
        }
        return (bytes[0] & 0xFE) == 0xFC            // fc00::/7 unique local (private)
            || (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80) // fe80::/10 link-local
            || (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0xC0) // fec0::/10 site-local (deprecated)
            || bytes[0] == 0xFF;                     // ff00::/8 multicast
    }

    private static bool IsForbiddenV4(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var value = (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
        foreach (var (network, prefix) in ForbiddenV4)
        {
            var mask = uint.MaxValue << (32 - prefix);
            if ((value & mask) == network)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Lower case, without IPv6 brackets and without trailing dots ("LocalHost." is "localhost").</summary>
    public static string NormalizeHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var h = host.Trim();
        if (h.StartsWith('[') && h.EndsWith(']'))
        {
            h = h[1..^1];
        }
        return h.TrimEnd('.').ToLowerInvariant();
    }

    /// <summary>Names that always mean this machine, whatever DNS says.</summary>
    public static bool IsLocalName(string host)
    {
        var h = NormalizeHost(host);
        return h.Length == 0
            || h == "localhost" || h.EndsWith(".localhost", StringComparison.Ordinal)
            || h == "localhost.localdomain" || h == "ip6-localhost" || h == "ip6-loopback";
    }

    /// <summary>
    /// Reads a host that is an address literal, the way resolvers do: IPv6 (with or without brackets),
    /// dotted IPv4, and the inet_aton forms with 1 to 4 parts in decimal, octal (leading 0) or
    /// hexadecimal (0x) — "2130706433", "0x7f.1", "0177.0.0.1" and "127.1" are all 127.0.0.1.
    /// </summary>
    public static bool TryParseAddressLiteral(string host, out IPAddress address)
    {
        address = IPAddress.None;
        var h = NormalizeHost(host);
        if (h.Length == 0)
        {
            return false;
        }
        if (h.Contains(':', StringComparison.Ordinal))
        {
            if (IPAddress.TryParse(h, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
            {
                address = v6;
                return true;
            }
            return false;
        }
        var parts = h.Split('.');
        if (parts.Length > 4)
        {
            return false;
        }
        var values = new ulong[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParsePart(parts[i], out values[i]))
            {
                return false;
            }
        }
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (values[i] > 255)
            {
                return false;
            }
        }
        var lastBytes = 5 - parts.Length;
        if (values[^1] >= 1UL << (8 * lastBytes))
        {
            return false;
        }
        ulong result = 0;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            result |= values[i] << (8 * (3 - i));
        }
        result |= values[^1];
        address = new IPAddress([(byte)(result >> 24), (byte)(result >> 16), (byte)(result >> 8), (byte)result]);
        return true;
    }

    private static bool TryParsePart(string part, out ulong value)
    {
        value = 0;
        if (part.Length == 0 || part.Length > 12)
        {
            return false;
        }
        if (part.StartsWith("0x", StringComparison.Ordinal))
        {
            return part.Length == 2 || ulong.TryParse(part.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        if (part.Length > 1 && part[0] == '0')
        {
            foreach (var c in part)
            {
                if (c is < '0' or > '7')
                {
                    return false;
                }
                value = value * 8 + (ulong)(c - '0');
            }
            return true;
        }
        foreach (var c in part)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>Why a target was refused.</summary>
public enum WebhookTargetVerdict
{
    Allowed,
    /// <summary>The host is, or resolves to, a refused address (or is a local name).</summary>
    ForbiddenAddress,
    /// <summary>The host has no address.</summary>
    Unresolvable,
}

/// <summary>The save-time check of a target URL's host (delivery repeats it when it connects).</summary>
public static class WebhookTargetGuard
{
    public static async Task<WebhookTargetVerdict> CheckAsync(
        Uri target, IWebhookHostAllowlist allowlist, IWebhookHostResolver resolver, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(allowlist);
        ArgumentNullException.ThrowIfNull(resolver);
        var host = WebhookAddressRules.NormalizeHost(target.IdnHost);
        if (await allowlist.IsAllowedAsync(host, cancellationToken))
        {
            return WebhookTargetVerdict.Allowed;
        }
        var addresses = await AddressesAsync(host, resolver, cancellationToken);
        if (addresses is null)
        {
            return WebhookTargetVerdict.ForbiddenAddress;
        }
        if (addresses.Count == 0)
        {
            return WebhookTargetVerdict.Unresolvable;
        }
        return addresses.Any(WebhookAddressRules.IsForbidden) ? WebhookTargetVerdict.ForbiddenAddress : WebhookTargetVerdict.Allowed;
    }

    /// <summary>
    /// The addresses a host stands for: the literal itself, or what DNS answers. Null for a local
    /// name (localhost and friends), which is refused without asking DNS.
    /// </summary>
    public static async Task<IReadOnlyList<IPAddress>?> AddressesAsync(string host, IWebhookHostResolver resolver, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        if (WebhookAddressRules.TryParseAddressLiteral(host, out var literal))
        {
            return [literal];
        }
        if (WebhookAddressRules.IsLocalName(host))
        {
            return null;
        }
        try
        {
            return await resolver.ResolveAsync(WebhookAddressRules.NormalizeHost(host), cancellationToken);
        }
        catch (SocketException)
        {
            return [];
        }
    }
}
