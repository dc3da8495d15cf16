using System.Collections.Concurrent;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Scaling;

/// <summary>
/// The output cache store with Redis: answers are kept in Redis (<c>Microsoft.AspNetCore.OutputCaching.StackExchangeRedis</c>),
/// so a tag eviction on one instance evicts on all. While Redis is away, this instance caches in its own memory
/// (a fresh in-memory store per outage, so nothing from an earlier outage is served), and the tags evicted meanwhile
/// are evicted in Redis as soon as it is back — an answer stored there before the outage never outlives a publish.
/// </summary>
internal sealed partial class ResilientOutputCacheStore(
    IOutputCacheStore redis,
    Func<IOutputCacheStore> newLocalStore,
    RedisConnection connection,
    ILogger<ResilientOutputCacheStore> logger) : IOutputCacheStore, IDisposable
{
    private readonly ConcurrentDictionary<string, byte> missedEvictions = new(StringComparer.Ordinal);
    private readonly object localLock = new();
    private IOutputCacheStore? local;

    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (Volatile.Read(ref local) is { } fallback)
        {
            await fallback.EvictByTagAsync(tag, cancellationToken);
        }
        if (await UseRedisAsync(cancellationToken))
        {
            try
            {
                await redis.EvictByTagAsync(tag, cancellationToken);
                return;
            }
            catch (Exception ex) when (RedisConnection.IsOutage(ex))
            {
                LogFallback(logger, "evict", ex.GetType().Name);
            }
        }
        missedEvictions.TryAdd(tag, 0);
    }

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (await UseRedisAsync(cancellationToken))
        {
            try
            {
                return await redis.GetAsync(key, cancellationToken);
            }
            catch (Exception ex) when (RedisConnection.IsOutage(ex))
            {
                LogFallback(logger, "read", ex.GetType().Name);
            }
        }
        return await Local().GetAsync(key, cancellationToken);
    }

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        if (await UseRedisAsync(cancellationToken))
        {
            try
            {
                await redis.SetAsync(key, value, tags, validFor, cancellationToken);
                return;
            }
            catch (Exception ex) when (RedisConnection.IsOutage(ex))
            {
                LogFallback(logger, "store", ex.GetType().Name);
            }
        }
        await Local().SetAsync(key, value, tags, validFor, cancellationToken);
    }

    public void Dispose()
    {
        (local as IDisposable)?.Dispose();
        (redis as IDisposable)?.Dispose();
    }

    /// <summary>True when Redis is connected and caught up: the evictions it missed are replayed and the outage's memory store dropped.</summary>
    private async ValueTask<bool> UseRedisAsync(CancellationToken cancellationToken)
    {
        if (!connection.IsConnected)
        {
            return false;
        }
        try
        {
            foreach (var tag in missedEvictions.Keys)
            {
                await redis.EvictByTagAsync(tag, cancellationToken);
                missedEvictions.TryRemove(tag, out _);
            }
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            LogFallback(logger, "replay evictions", ex.GetType().Name);
            return false;
        }
        if (Volatile.Read(ref local) is not null)
        {
            IOutputCacheStore? dropped;
            lock (localLock)
            {
                dropped = local;
                local = null;
            }
            (dropped as IDisposable)?.Dispose();
        }
        return true;
    }

    private IOutputCacheStore Local()
    {
        if (Volatile.Read(ref local) is { } existing)
        {
            return existing;
        }
        lock (localLock)
        {
            return local ??= newLocalStore();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Output cache: Redis failed to {Operation} ({Error}); this instance's memory is used meanwhile.")]
    private static partial void LogFallback(ILogger logger, string operation, string error);
}
