using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kuroco.Core.Audit;

/// <summary>
/// What the audit search asks for. Every filter is optional and they combine with AND; the result is newest first by
/// (<see cref="AuditEntry.OccurredAtUtc"/>, <see cref="AuditEntry.Sequence"/>) and read a page at a time by keyset
/// (<see cref="Older"/> / <see cref="Newer"/>), never by offset.
/// </summary>
public sealed record AuditQuery(
    string? Text = null,
    string? Action = null,
    AuditOutcome? Outcome = null,
    DateTime? FromUtc = null,
    DateTime? ToUtc = null,
    int PageSize = 50)
{
    public const int MaxPageSize = 200;

    /// <summary>Totals are counted exactly up to this many; beyond, "10,000+" unless <see cref="CountExactly"/>.</summary>
    public const int CountCap = 10_000;

    /// <summary>Any of these actions (besides <see cref="Action"/>, kept for one-action callers).</summary>
    public IReadOnlyList<string>? Actions { get; init; }

    /// <summary>The actor: a name (the staff email as recorded) or a user id, exactly.</summary>
    public string? User { get; init; }

    /// <summary>A role the actor held when the entry was written.</summary>
    public string? Role { get; init; }

    public string? EntityType { get; init; }
    public string? EntityId { get; init; }

    /// <summary>The client address: one address or a CIDR block (IPv4 or IPv6).</summary>
    public AuditAddressRange? Address { get; init; }

    /// <summary>Only entries up to this sequence: pins a result to the log as it was (an export leaves out its own record).</summary>
    public long? MaxSequence { get; init; }

    /// <summary>The page after this position (older entries): the <see cref="AuditPage.Older"/> of the page before.</summary>
    public AuditCursor? Older { get; init; }

    /// <summary>The page before this position (newer entries): the <see cref="AuditPage.Newer"/> of the page after.</summary>
    public AuditCursor? Newer { get; init; }

    /// <summary>Count every match instead of stopping at <see cref="CountCap"/>.</summary>
    public bool CountExactly { get; init; }

    /// <summary>Return the page without its total (the console shows the rows first and asks for the total after).</summary>
    public bool WithoutTotal { get; init; }

    /// <summary>Every action asked for (both <see cref="Action"/> and <see cref="Actions"/>), or empty for all.</summary>
    public IReadOnlyList<string> AllActions =>
        [.. (Action is null ? [] : new[] { Action }).Concat(Actions ?? []).Where(a => !string.IsNullOrWhiteSpace(a)).Distinct(StringComparer.Ordinal)];
}

/// <summary>A position in the newest-first order of the log: (time, sequence) of one entry.</summary>
public sealed record AuditCursor(DateTime OccurredAtUtc, long Sequence)
{
    public static AuditCursor Of(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new AuditCursor(DateTime.SpecifyKind(entry.OccurredAtUtc, DateTimeKind.Utc), entry.Sequence);
    }

    /// <summary>The form used in addresses and the API: <c>{ticks}-{sequence}</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{OccurredAtUtc.Ticks}-{Sequence}");

    public static bool TryParse(string? value, out AuditCursor? cursor)
    {
        cursor = null;
        var parts = value?.Split('-');
        if (parts is not { Length: 2 }
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || ticks > DateTime.MaxValue.Ticks || sequence < 1)
        {
            return false;
        }
        cursor = new AuditCursor(new DateTime(ticks, DateTimeKind.Utc), sequence);
        return true;
    }
}

/// <summary>
/// One page of the search. <see cref="TotalCount"/> is exact when <see cref="TotalIsExact"/>; otherwise at least
/// <see cref="AuditQuery.CountCap"/> match ("10,000+").
/// </summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, int TotalCount)
{
    public bool TotalIsExact { get; init; } = true;

    /// <summary>False when the page was asked for <see cref="AuditQuery.WithoutTotal"/>: then <see cref="TotalCount"/> is 0.</summary>
    public bool TotalIsCounted { get; init; } = true;

    /// <summary>Where the next (older) page starts, or null on the last page.</summary>
    public AuditCursor? Older { get; init; }

    /// <summary>Where the previous (newer) page ends, or null on the first page.</summary>
    public AuditCursor? Newer { get; init; }
}

/// <summary>How many entries match: exact, or at least <see cref="Count"/> when the count stopped at the cap.</summary>
public sealed record AuditTotal(int Count, bool IsExact);

/// <summary>An address or a CIDR block of client addresses, IPv4 or IPv6.</summary>
public sealed record AuditAddressRange(IPAddress Network, int PrefixLength)
{
    public bool IsSingleAddress => PrefixLength == (Network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);

    /// <summary>Reads <c>192.0.2.7</c>, <c>192.0.2.0/24</c>, <c>2001:db8::1</c> or <c>2001:db8::/32</c> (host bits are cleared).</summary>
    public static bool TryParse(string? value, out AuditAddressRange? range)
    {
        range = null;
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        if (!value.Contains('/', StringComparison.Ordinal))
        {
            if (!IPAddress.TryParse(value, out var single) || single.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
                || !LooksLikeAddress(value, single))
            {
                return false;
            }
            range = new AuditAddressRange(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        if (!IPNetwork.TryParse(value, out var network) && !TryParseLoose(value, out network))
        {
            return false;
        }
        range = new AuditAddressRange(network.BaseAddress, network.PrefixLength);
        return true;
    }

    public bool Contains(string? address) =>
        address is not null && IPAddress.TryParse(address, out var ip) && new IPNetwork(Network, PrefixLength).Contains(ip);

    public override string ToString() => IsSingleAddress
        ? Network.ToString()
        : string.Create(CultureInfo.InvariantCulture, $"{Network}/{PrefixLength}");

    /// <summary>IPAddress.TryParse takes "1" or "1.2" as IPv4 addresses; an auditor means a full address.</summary>
    private static bool LooksLikeAddress(string text, IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 || text.Count(c => c == '.') == 3;

    /// <summary>"192.0.2.7/24" (host bits set) is read as its block, 192.0.2.0/24.</summary>
    private static bool TryParseLoose(string value, out IPNetwork network)
    {
        network = default;
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(value[..slash], out var address) || !LooksLikeAddress(value[..slash], address)
            || !int.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            return false;
        }
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefix > bits)
        {
            return false;
        }
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        network = new IPNetwork(new IPAddress(bytes), prefix);
        return true;
    }
}
