using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Scaling;

/// <summary>
/// The output cache store with Redis: answers are kept in Redis (<c>Microsoft.AspNetCore.OutputCaching.StackExchangeRedis</c>),
/// so a tag eviction on one instance evicts on all. While Redis is away (or not yet connected after the start), this
/// instance caches in its own memory (a fresh in-memory store per outage, so nothing from an earlier outage is served),
/// and the tags evicted meanwhile are owed to Redis (<see cref="RedisConnection.Owe"/>): evicted there as soon as it is
/// back and before this instance reads from it again — an answer stored there before the outage (a Redis that was only
/// unreachable still holds it) never outlives a publish.
/// </summary>
internal sealed partial class ResilientOutputCacheStore(
    IOutputCacheStore redis,
    Func<IOutputCacheStore> newLocalStore,
    RedisConnection connection,
    ILogger<ResilientOutputCacheStore> logger) : IOutputCacheStore, IDisposable
{
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
                await EvictInRedisAsync(tag, cancellationToken);
                return;
            }
            catch (Exception ex) when (RedisConnection.IsOutage(ex))
            {
                connection.Failed(ex);
                LogFallback(logger, "evict", ex.GetType().Name);
            }
        }
        connection.Owe("evict:" + tag, ct => EvictInRedisAsync(tag, ct));
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
                connection.Failed(ex);
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
                connection.Failed(ex);
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

    /// <summary>
    /// Evicts the tag in Redis and waits until Redis has done it: the store sends the deletes without waiting for them
    /// (fire and forget), so another instance's read right after a publish could still find the answer. A PING on the same
    /// connection comes back only after them.
    /// </summary>
    private async Task EvictInRedisAsync(string tag, CancellationToken cancellationToken)
    {
        await redis.EvictByTagAsync(tag, cancellationToken);
        await connection.Multiplexer.GetDatabase().PingAsync();
    }

    /// <summary>True when Redis is connected and caught up (the changes it missed are done); the outage's memory store is dropped then.</summary>
    private async ValueTask<bool> UseRedisAsync(CancellationToken cancellationToken)
    {
        if (!await connection.CatchUpAsync(cancellationToken))
        {
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
