namespace Kuroco.Core.Scaling;

/// <summary>
/// Counters every instance of the app shares (Redis when <c>Redis:Configuration</c> is set), for rate limits that must
/// count across instances. A null answer means no shared store can be reached right now: the caller counts in its
/// own process meanwhile (per-instance limits), and the shared count resumes when the store is back.
/// </summary>
public interface ISharedCounters
{
    /// <summary>True when a shared store is configured (it may still be unreachable for a while).</summary>
    bool IsShared { get; }

    /// <summary>
    /// Counts one use of <paramref name="counter"/> unless it already reached <paramref name="limit"/>: true when counted,
    /// false when used up, null when the shared store cannot be reached. The counter is forgotten after <paramref name="lifetime"/>.
    /// </summary>
    bool? TryTake(string counter, int limit, TimeSpan lifetime);

    /// <summary>How many uses <paramref name="counter"/> holds (0 when none), or null when the shared store cannot be reached.</summary>
    int? Read(string counter);
}

/// <summary>One instance alone: nothing is shared, every counter lives in the process.</summary>
public sealed class InProcessCounters : ISharedCounters
{
    public bool IsShared => false;

    public bool? TryTake(string counter, int limit, TimeSpan lifetime) => null;

    public int? Read(string counter) => null;
}
