using System.Net;

namespace Kuroco.Core.Security;

/// <summary>One allowlist ready for matching. Empty means open: every address is allowed.</summary>
public sealed class IpAllowlist
{
    private readonly IPNetwork[] networks;

    public IpAllowlist(IpAllowlistKind kind, IEnumerable<IpAllowlistEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Kind = kind;
        Entries = [.. entries];
        // Stored entries were validated on save; a row that no longer parses is skipped rather than
        // opening the list or taking the site down.
        networks = [.. Entries.Select(e => IpRange.TryParse(e.Cidr, out var n) ? n : (IPNetwork?)null).OfType<IPNetwork>()];
        IsOpen = Entries.Count == 0;
    }

    public IpAllowlistKind Kind { get; }

    public IReadOnlyList<IpAllowlistEntry> Entries { get; }

    public bool IsOpen { get; }

    /// <summary>Open lists allow everyone; otherwise the address must fall in a range (an unknown address never does).</summary>
    public bool Allows(IPAddress? address) => IsOpen || networks.Any(n => IpRange.Contains(n, address));
}

/// <summary>Both allowlists at one moment.</summary>
public sealed record IpAllowlists(IpAllowlist Console, IpAllowlist Api)
{
    public static IpAllowlists Open { get; } = new(new IpAllowlist(IpAllowlistKind.Console, []), new IpAllowlist(IpAllowlistKind.Api, []));

    public IpAllowlist For(IpAllowlistKind kind) => kind == IpAllowlistKind.Api ? Api : Console;
}
