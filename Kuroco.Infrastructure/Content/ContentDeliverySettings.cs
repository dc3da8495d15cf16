using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// Every content type as the delivery API sees it, for the endpoints' type lookup and the API's scope check
/// (<see cref="ContentType.IsPublic"/>): one query for the whole set, kept <see cref="Lifetime"/> and dropped
/// at once on this instance when a type changes (other instances see the change within the lifetime).
/// Reading the type from the database on every request was a tenth of an uncached answer's time.
/// The types handed out are shared: callers must not change them. Forgetting the set forgets the cached list totals too
/// (<see cref="DeliveryCounts"/>): a type change reaches them this way from other instances (Redis pub/sub calls <see cref="Forget"/>).
/// </summary>
internal sealed class DeliveryContentTypes(IDbContextFactory<KurocoDbContext> contexts, TimeProvider clock, DeliveryCounts counts) : IPublicContentTypes, IDeliveryContentTypes
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private volatile Snapshot? current;
    private long generation;

    public async ValueTask<bool> IsPublicAsync(string typeApiId, CancellationToken cancellationToken = default) =>
        !string.IsNullOrEmpty(typeApiId) && (await FindAsync(typeApiId, cancellationToken))?.IsPublic == true;

    public async ValueTask<ContentType?> FindAsync(string typeApiId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(typeApiId))
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var snapshot = current;
        if (snapshot is null || snapshot.ExpiresAt <= now || snapshot.Generation != Interlocked.Read(ref generation))
        {
            var started = Interlocked.Read(ref generation);
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var types = await db.ContentTypes.AsNoTracking().ToListAsync(cancellationToken);
            // A read that raced with a type change carries the older generation, so the next call reads again.
            snapshot = new Snapshot(types.ToDictionary(t => t.ApiId, StringComparer.Ordinal), now + Lifetime, started);
            current = snapshot;
        }
        return snapshot.Types.GetValueOrDefault(typeApiId);
    }

    /// <summary>Forgets the set and every cached list total; the next lookup reads it again.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref generation);
        counts.ForgetAll();
    }

    private sealed record Snapshot(Dictionary<string, ContentType> Types, DateTimeOffset ExpiresAt, long Generation);
}

/// <summary>A type changed (fields, public flag, cache settings): the set is read again.</summary>
internal sealed class DeliveryContentTypesEviction(DeliveryContentTypes types) : IContentTypeChangeListener
{
    public Task OnTypeChangedAsync(string typeApiId, CancellationToken cancellationToken = default)
    {
        types.Forget();
        return Task.CompletedTask;
    }
}

/// <summary>Calls every <see cref="IContentTypeChangeListener"/> after a committed type change; a failure is logged and never undoes it.</summary>
internal sealed partial class ContentTypeChangeNotifier(IEnumerable<IContentTypeChangeListener> listeners, ILogger<ContentTypeChangeNotifier> logger)
{
    public async Task NotifyAsync(string typeApiId, CancellationToken cancellationToken)
    {
        foreach (var listener in listeners)
        {
            try
            {
                await listener.OnTypeChangedAsync(typeApiId, cancellationToken);
            }
#pragma warning disable CA1031 // A listener's failure must not undo or hide the committed change.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogListenerFailed(logger, listener.GetType().Name, typeApiId, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Content type listener {Listener} failed for type {TypeApiId}; the change stands.")]
    private static partial void LogListenerFailed(ILogger logger, string listener, string typeApiId, Exception exception);
}

public static class ContentDeliverySettingsServices
{
    /// <summary>
    /// Public types (in place of the API feature's "nothing is public"), type-change listeners, the cached list totals and the published
    /// reader (behind its three interfaces).
    /// </summary>
    public static IServiceCollection AddContentDeliverySettings(this IServiceCollection services)
    {
        services.AddSingleton<DeliveryCounts>();
        // Stateless (it only drops the singleton's counts): one per listener role, no forwarding needed.
        services.AddScoped<IContentChangeListener, DeliveryCountEviction>();
        services.AddScoped<IContentTypeChangeListener, DeliveryCountEviction>();
        services.AddSingleton<DeliveryContentTypes>();
        services.Replace(ServiceDescriptor.Singleton<IPublicContentTypes>(sp => sp.GetRequiredService<DeliveryContentTypes>()));
        services.AddSingleton<IDeliveryContentTypes>(sp => sp.GetRequiredService<DeliveryContentTypes>());
        services.AddScoped<ContentTypeChangeNotifier>();
        services.AddScoped<IContentTypeChangeListener, DeliveryContentTypesEviction>();
        // Stateless over singletons (the context factory, options, the cached counts, the SQLite read sessions): one per role, nothing
        // forwarded and nothing per request.
        services.AddSingleton<IPublishedContentReader, PublishedContentReader>();
        services.AddSingleton<IPublishedReferenceReader, PublishedContentReader>();
        services.AddSingleton<IPublishedJsonReader, PublishedContentReader>();
        return services;
    }
}
