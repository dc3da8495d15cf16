using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Kuroco.Admin.Security;
using Kuroco.Core.Api;
using Kuroco.Core.Scaling;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Api;

/// <summary>
/// The API's counters: fixed one-minute windows (aligned to the clock's minutes) per client address and
/// per presented key. ASP.NET Core's own fixed-window limiter does not say how much of a window is left
/// or when it resets, and its partitioned form hides the partition's limiter, so the API's partitions
/// of the app's one rate limiter (<see cref="RateLimiting"/>) are <see cref="ApiWindowLimiter"/>s over these
/// counters, and the X-RateLimit-* headers read the same counters. Counting happens in the limiter only.
/// With several instances sharing Redis (<see cref="ISharedCounters"/>) the counts live there, so every instance counts
/// one budget; while the shared store cannot be reached each instance counts in its own memory.
/// </summary>
public sealed class ApiRateLimitCounters(TimeProvider clock, IOptions<RateLimitOptions> options, ISharedCounters shared)
{
    public const string LimitHeader = "X-RateLimit-Limit";
    public const string RemainingHeader = "X-RateLimit-Remaining";
    public const string ResetHeader = "X-RateLimit-Reset";

    private static readonly long WindowTicks = RateLimiting.Window.Ticks;
    private readonly ConcurrentDictionary<string, Counter> counters = new(StringComparer.Ordinal);
    private long lastSweep;

    public int PerClient => options.Value.ApiPerClientPerMinute;

    public int PerKey => options.Value.ApiPerKeyPerMinute;

    public TimeProvider Clock => clock;

    /// <summary>The counter name of a request's client, or null without a peer address.</summary>
    public static string? ClientCounter(HttpContext context) =>
        context.Connection.RemoteIpAddress is null ? null : "client|" + RateLimiting.ClientKey(context);

    /// <summary>The counter name of the presented key (a hash of it: the secret is never kept), or null when none is well-formed.</summary>
    public static string? KeyCounter(HttpContext context) =>
        ApiKeyAuthenticationHandler.ReadKey(context.Request) is { } key && ApiKeySecret.IsAcceptable(key)
            ? "key|" + Convert.ToHexString(ApiKeySecret.Hash(key), 0, 16)
            : null;

    /// <summary>Counts one request against the client and the key; false with the wait when either is used up.</summary>
    public bool TryAcquire(string? client, string? key, out TimeSpan retryAfter)
    {
        var now = clock.GetUtcNow().UtcTicks;
        var window = now - now % WindowTicks;
        retryAfter = TimeSpan.FromTicks(window + WindowTicks - now);
        SweepEveryWindow(now, window);
        if (client is not null && !Take(client, PerClient, window))
        {
            return false;
        }
        if (key is not null && !Take(key, PerKey, window))
        {
            return false;
        }
        return true;
    }

    /// <summary>Counts one request against the single counter <paramref name="name"/> (sign-in limits with several instances); false with the wait when it is used up.</summary>
    public bool TryAcquireOne(string name, int limit, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(name);
        var now = clock.GetUtcNow().UtcTicks;
        var window = now - now % WindowTicks;
        retryAfter = TimeSpan.FromTicks(window + WindowTicks - now);
        SweepEveryWindow(now, window);
        return Take(name, limit, window);
    }

    /// <summary>What the headers report: the tighter of the request's limits, what is left of it, and the seconds until the window resets.</summary>
    public (int Limit, int Remaining, int ResetSeconds) Report(string? client, string? key)
    {
        var now = clock.GetUtcNow().UtcTicks;
        var window = now - now % WindowTicks;
        var reset = RateLimiting.RetryAfterSeconds(TimeSpan.FromTicks(window + WindowTicks - now));
        (int Limit, int Remaining)? tightest = null;
        foreach (var (name, limit) in new[] { (client, PerClient), (key, PerKey) })
        {
            if (name is null)
            {
                continue;
            }
            var remaining = Math.Max(0, limit - Used(name, window));
            if (tightest is null || remaining < tightest.Value.Remaining)
            {
                tightest = (limit, remaining);
            }
        }
        var (l, r) = tightest ?? (PerClient, PerClient);
        return (l, r, reset);
    }

    /// <summary>Adds the X-RateLimit-* headers to the response when it starts (success, error and 429 alike).</summary>
    public void AddHeaders(HttpContext context)
    {
        var client = ClientCounter(context);
        var key = KeyCounter(context);
        context.Response.OnStarting(() =>
        {
            var (limit, remaining, reset) = Report(client, key);
            var headers = context.Response.Headers;
            headers[LimitHeader] = limit.ToString(CultureInfo.InvariantCulture);
            headers[RemainingHeader] = remaining.ToString(CultureInfo.InvariantCulture);
            headers[ResetHeader] = reset.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
    }

    private bool Take(string name, int limit, long window)
    {
        // The shared count first (several instances); when it cannot be reached, this instance's own.
        if (shared.TryTake(SharedName(name, window), limit, SharedLifetime) is { } taken)
        {
            return taken;
        }
        var counter = counters.GetOrAdd(name, static _ => new Counter());
        lock (counter)
        {
            if (counter.Window != window)
            {
                counter.Window = window;
                counter.Count = 0;
            }
            if (counter.Count >= limit)
            {
                return false;
            }
            counter.Count++;
            return true;
        }
    }

    private static readonly TimeSpan SharedLifetime = RateLimiting.Window * 2;

    private static string SharedName(string name, long window) => name + "|" + window.ToString(CultureInfo.InvariantCulture);

    private int Used(string name, long window)
    {
        if (shared.Read(SharedName(name, window)) is { } used)
        {
            return used;
        }
        if (!counters.TryGetValue(name, out var counter))
        {
            return 0;
        }
        lock (counter)
        {
            return counter.Window == window ? counter.Count : 0;
        }
    }

    private void SweepEveryWindow(long now, long window)
    {
        var last = Interlocked.Read(ref lastSweep);
        if (now - last < WindowTicks || Interlocked.CompareExchange(ref lastSweep, now, last) != last)
        {
            return;
        }
        foreach (var entry in counters)
        {
            if (entry.Value.Window < window)
            {
                counters.TryRemove(entry);
            }
        }
    }

    private sealed class Counter
    {
        public long Window;
        public int Count;
    }
}

/// <summary>
/// One partition of the app's rate limiter for an API request: it counts on <see cref="ApiRateLimitCounters"/>
/// (client and key together) and reports Retry-After like ASP.NET Core's own limiters, so the app's one
/// rejection handler answers the 429.
/// </summary>
public sealed class ApiWindowLimiter(ApiRateLimitCounters counters, string? client, string? key) : RateLimiter
{
    private long lastUsedTicks = counters.Clock.GetUtcNow().UtcTicks;

    public override TimeSpan? IdleDuration => TimeSpan.FromTicks(counters.Clock.GetUtcNow().UtcTicks - Interlocked.Read(ref lastUsedTicks));

    public override RateLimiterStatistics? GetStatistics()
    {
        var (_, remaining, _) = counters.Report(client, key);
        return new RateLimiterStatistics { CurrentAvailablePermits = remaining };
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        Interlocked.Exchange(ref lastUsedTicks, counters.Clock.GetUtcNow().UtcTicks);
        if (permitCount == 0)
        {
            return Lease.Acquired;
        }
        return counters.TryAcquire(client, key, out var retryAfter) ? Lease.Acquired : new Lease(false, retryAfter);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    internal sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }
            metadata = null;
            return false;
        }
    }
}


/// <summary>
/// One partition of the app's rate limiter counting on a single counter of <see cref="ApiRateLimitCounters"/>: the
/// per-address sign-in limits when several instances share Redis, so the budget is one across instances.
/// </summary>
public sealed class SharedWindowLimiter(ApiRateLimitCounters counters, string name, int limit) : RateLimiter
{
    private long lastUsedTicks = counters.Clock.GetUtcNow().UtcTicks;

    public override TimeSpan? IdleDuration => TimeSpan.FromTicks(counters.Clock.GetUtcNow().UtcTicks - Interlocked.Read(ref lastUsedTicks));

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        Interlocked.Exchange(ref lastUsedTicks, counters.Clock.GetUtcNow().UtcTicks);
        if (permitCount == 0)
        {
            return ApiWindowLimiter.Lease.Acquired;
        }
        return counters.TryAcquireOne(name, limit, out var retryAfter) ? ApiWindowLimiter.Lease.Acquired : new ApiWindowLimiter.Lease(false, retryAfter);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));
}
