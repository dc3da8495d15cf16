using System.Collections.Concurrent;

namespace Kuroco.Core.Security;

/// <summary>
/// Decides which denied requests reach the audit log, so that a flood does not flood the log: at most
/// one entry per address per allowlist (or per user and page for a 403) per <see cref="Window"/>. The entry
/// written when a new window opens carries how many denials of that key went unwritten since the previous entry.
/// </summary>
public sealed class DeniedRequestCoalescer(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>Keys kept at most; past this, windows that have ended are dropped (then, if needed, all).</summary>
    public const int MaxKeys = 10_000;

    private readonly ConcurrentDictionary<string, Slot> slots = new(StringComparer.Ordinal);

    /// <summary>
    /// Counts one denial by an IP allowlist; true when it should be written, with the number of earlier denials of the
    /// same key that were not written.
    /// </summary>
    public bool ShouldWrite(IpAllowlistKind kind, string address, out int suppressed)
    {
        ArgumentNullException.ThrowIfNull(address);
        return ShouldWrite("ip|" + kind + "|" + address, out suppressed);
    }

    /// <summary>Counts one 403 of a signed-in user on a page (<see cref="ShouldWrite(IpAllowlistKind, string, out int)"/>).</summary>
    public bool ShouldWriteForbidden(string userId, string path, out int suppressed)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(path);
        return ShouldWrite("403|" + userId + "|" + path, out suppressed);
    }

    private bool ShouldWrite(string key, out int suppressed)
    {
        var now = clock.GetUtcNow();
        if (slots.Count >= MaxKeys)
        {
            Prune(now);
        }
        var slot = slots.GetOrAdd(key, _ => new Slot());
        lock (slot)
        {
            if (slot.WrittenAt is { } written && now - written < Window)
            {
                slot.Suppressed++;
                suppressed = 0;
                return false;
            }
            suppressed = slot.Suppressed;
            slot.Suppressed = 0;
            slot.WrittenAt = now;
            return true;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, slot) in slots)
        {
            if (slot.WrittenAt is not { } written || now - written >= Window)
            {
                slots.TryRemove(key, out _);
            }
        }
        if (slots.Count >= MaxKeys)
        {
            slots.Clear();
        }
    }

    private sealed class Slot
    {
        public DateTimeOffset? WrittenAt { get; set; }
        public int Suppressed { get; set; }
    }
}
