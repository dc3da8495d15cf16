using System.Collections.Concurrent;
using System.Text;
using Kuroco.Core.Content;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// The delivery list's <c>totalCount</c>, kept per type, language, walked key, normalized filter and the member groups the count
/// depends on, so that a list with its total does not COUNT every matching index entry on each request. A type's counts are dropped
/// the moment its index may have changed on this instance: after every SaveChanges that rewrites its rows (<see cref="ContentIndexInterceptor"/>),
/// after a publish, unpublish, trash or restore (<see cref="DeliveryCountEviction"/>, called after the commit), after a type change or a
/// rebuild of its index, and all at once when the delivery's types are read again (a type change on another instance through Redis).
/// A publish on another instance is not broadcast: every count also expires <see cref="Lifetime"/> after it was taken, which bounds
/// how long another instance may report the old total. Bounded in memory (<see cref="Capacity"/> characters of keys, about 8 MB).
/// </summary>
public sealed class DeliveryCounts(TimeProvider clock) : IDisposable
{
    /// <summary>How long a count is used at most (the staleness bound across instances; on this instance eviction is immediate).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    /// <summary>The cache's size limit, in characters of keys (each entry counts its key's length plus 64).</summary>
    public const long Capacity = 4_000_000;

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = Capacity });
    private readonly ConcurrentDictionary<string, CancellationTokenSource> generations = new(StringComparer.Ordinal);

    /// <summary>
    /// The cached count, or <paramref name="count"/>'s. The type's generation is taken before counting: a count that raced with a change
    /// is stored against the generation the change ended (so it is never read), never against the next one.
    /// </summary>
    public async Task<int> GetOrCountAsync(string typeApiId, string key, Func<Task<int>> count)
    {
        ArgumentNullException.ThrowIfNull(count);
        var cacheKey = typeApiId + "\u001d" + key;
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(cacheKey, out Counted? cached) && cached!.Until > now)
        {
            return cached.Count;
        }
        var generation = generations.GetOrAdd(typeApiId, _ => new CancellationTokenSource()).Token;
        var counted = await count();
        using (var entry = cache.CreateEntry(cacheKey))
        {
            // The lifetime is checked against the app's clock above; the cache's own (wall-clock) expiry only clears memory.
            entry.Value = new Counted(counted, now + Lifetime);
            entry.Size = cacheKey.Length + 64;
            entry.AbsoluteExpirationRelativeToNow = Lifetime * 4;
            entry.ExpirationTokens.Add(new CancellationChangeToken(generation));
        }
        return counted;
    }

    /// <summary>Drops every count of the type (its next list counts again).</summary>
    public void Forget(string typeApiId)
    {
        if (generations.TryRemove(typeApiId, out var generation))
        {
            // Not disposed: a reader may still be taking its token; a source without a timer holds nothing to release.
            generation.Cancel();
        }
    }

    /// <summary>Drops every count of every type.</summary>
    public void ForgetAll()
    {
        foreach (var typeApiId in generations.Keys)
        {
            Forget(typeApiId);
        }
    }

    /// <summary>
    /// The part of a count's key after the type: the language, the key the count walks, the member groups (sorted; none for anonymous
    /// callers and members in no group, who read the same) and the conditions in a canonical order (the parameter names as sent and the
    /// order of conditions and of <c>in</c> values do not change a count). Separated by control characters, which no value may hold.
    /// </summary>
    public static string Key(string language, string walkedKey, ContentAudience audience, IReadOnlyList<DeliveryCondition> conditions)
    {
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentNullException.ThrowIfNull(conditions);
        var key = new StringBuilder(language).Append('\u001e').Append(walkedKey).Append('\u001e');
        key.AppendJoin(',', audience.Groups.Order());
        foreach (var condition in conditions.Select(Canonical).Order(StringComparer.Ordinal))
        {
            key.Append('\u001e').Append(condition);
        }
        return key.ToString();
    }

    private static string Canonical(DeliveryCondition condition) =>
        string.Join('\u001f', [((int)condition.Kind).ToString(System.Globalization.CultureInfo.InvariantCulture), condition.SingleValued ? "1" : "0",
            string.Join('\u001c', condition.Keys.Order(StringComparer.Ordinal)), .. condition.Values.Order(StringComparer.Ordinal)]);

    public void Dispose() => cache.Dispose();

    private sealed record Counted(int Count, DateTimeOffset Until);
}

/// <summary>A type's items were published, unpublished, trashed or restored (after the commit): its counts go.</summary>
internal sealed class DeliveryCountEviction(DeliveryCounts counts) : IContentChangeListener, IContentTypeChangeListener
{
    public Task OnChangedAsync(ContentChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        counts.Forget(change.TypeApiId);
        return Task.CompletedTask;
    }

    public Task OnTypeChangedAsync(string typeApiId, CancellationToken cancellationToken = default)
    {
        counts.Forget(typeApiId);
        return Task.CompletedTask;
    }
}
