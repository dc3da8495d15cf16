using System.Collections.Concurrent;
using Kuroco.Core.Api;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Api;

/// <summary>
/// Resolves a presented key: by its non-secret prefix from the database, then its SHA-256 compared in
/// constant time. Found keys are kept for <see cref="CacheFor"/> (keyed by the hash, never the secret),
/// so a busy key costs no database round trip; revocation on this instance drops the entry at once,
/// other instances notice within <see cref="CacheFor"/>. Expiry is checked on every request against the clock.
/// Unknown keys are not cached (the per-client rate limit bounds the lookups they cause).
/// </summary>
internal sealed class ApiKeyValidator(IDbContextFactory<KurocoDbContext> contexts, TimeProvider clock) : IApiKeyValidator
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, CachedKey> cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> touched = new();

    public async ValueTask<ApiKeyLookup> ValidateAsync(string presentedKey, CancellationToken cancellationToken = default)
    {
        if (!ApiKeySecret.IsAcceptable(presentedKey))
        {
            return new ApiKeyLookup(null, ApiKeyRejection.Malformed);
        }
        var hash = ApiKeySecret.Hash(presentedKey);
        var cacheKey = Convert.ToHexString(hash);
        var now = clock.GetUtcNow();
        if (!cache.TryGetValue(cacheKey, out var cached) || now - cached.LoadedAt >= CacheFor)
        {
            var prefix = ApiKeySecret.Prefix(presentedKey);
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var candidates = await db.ApiKeys.AsNoTracking().Where(k => k.Prefix == prefix).ToListAsync(cancellationToken);
            ApiKey? match = null;
            foreach (var candidate in candidates)
            {
                if (ApiKeySecret.HashesEqual(candidate.SecretHash, hash))
                {
                    match = candidate;
                }
            }
            if (match is null)
            {
                cache.TryRemove(cacheKey, out _);
                return new ApiKeyLookup(null, ApiKeyRejection.Unknown);
            }
            cached = new CachedKey(match, now);
            cache[cacheKey] = cached;
            SweepIfLarge(now);
        }
        var key = cached.Key;
        if (key.RevokedAtUtc.HasValue)
        {
            return new ApiKeyLookup(null, ApiKeyRejection.Revoked);
        }
        if (key.ExpiresAtUtc is { } expires && expires <= now.UtcDateTime)
        {
            return new ApiKeyLookup(null, ApiKeyRejection.Expired);
        }
        return new ApiKeyLookup(new ApiKeyIdentity(key.Id, key.Name, key.Scope, key.ExpiresAtUtc), ApiKeyRejection.None);
    }

    public async ValueTask TouchAsync(Guid keyId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (touched.TryGetValue(keyId, out var last) && now - last < TouchInterval)
        {
            return;
        }
        touched[keyId] = now;
        var at = now.UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.ApiKeys.Where(k => k.Id == keyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAtUtc, at), cancellationToken);
    }

    public void Forget(Guid keyId)
    {
        foreach (var entry in cache)
        {
            if (entry.Value.Key.Id == keyId)
            {
                cache.TryRemove(entry.Key, out _);
            }
        }
    }

    private void SweepIfLarge(DateTimeOffset now)
    {
        if (cache.Count < 1024)
        {
            return;
        }
        foreach (var entry in cache)
        {
            if (now - entry.Value.LoadedAt >= CacheFor)
            {
                cache.TryRemove(entry.Key, out _);
            }
        }
    }

    private sealed record CachedKey(ApiKey Key, DateTimeOffset LoadedAt);
}

/// <summary>No content type is public until the content feature says otherwise (it replaces this registration).</summary>
internal sealed class NoPublicContentTypes : IPublicContentTypes
{
    public ValueTask<bool> IsPublicAsync(string typeApiId, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
}
