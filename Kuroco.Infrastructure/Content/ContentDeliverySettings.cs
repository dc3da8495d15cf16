using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// Every content type as the delivery API sees it, for the endpoints' type lookup and the API's scope check
/// (<see cref="ContentType.IsPublic"/>): one query for the whole set, kept <see cref="Lifetime"/> and dropped
/// at once on this instance when a type changes (other instances see the change within the lifetime).
/// Reading the type from the database on every request was a tenth of an uncached answer's time.
/// The types handed out are shared: callers must not change them.
/// </summary>
internal sealed class DeliveryContentTypes(IDbContextFactory<KurocoDbContext> contexts, TimeProvider clock) : IPublicContentTypes, IDeliveryContentTypes
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

    /// <summary>Forgets the set; the next lookup reads it again.</summary>
    public void Forget() => Interlocked.Increment(ref generation);

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

/// <summary>Published items by id, for reference expansion: one query for a whole page of references.</summary>
internal sealed class PublishedReferenceReader(IDbContextFactory<KurocoDbContext> contexts, IOptions<ContentOptions> options) : IPublishedReferenceReader
{
    public async Task<IReadOnlyList<PublishedContent>> FindManyAsync(IReadOnlyCollection<Guid> ids, IReadOnlyCollection<string> typeApiIds, string language, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(typeApiIds);
        if (ids.Count == 0 || typeApiIds.Count == 0)
        {
            return [];
        }
        var idList = ids.Distinct().ToList();
        var typeList = typeApiIds.Distinct(StringComparer.Ordinal).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.ContentItems.AsNoTracking()
            .Where(i => idList.Contains(i.Id) && typeList.Contains(i.TypeApiId) && i.Status == ContentStatus.Published && i.DeletedAtUtc == null)
            .Select(i => new { i.Id, i.TypeApiId, i.Slug, i.PublishedAtUtc, i.UpdatedAtUtc, i.PublishedJa, i.PublishedEn })
            .ToListAsync(cancellationToken);
        var found = new List<PublishedContent>(rows.Count);
        foreach (var row in rows)
        {
            var chosen = options.Value.Resolve(language, row.PublishedJa is not null, row.PublishedEn is not null);
            if (chosen is null)
            {
                continue;
            }
            var values = ContentValues.Parse(chosen == ContentLanguages.English ? row.PublishedEn : row.PublishedJa);
            found.Add(new PublishedContent(row.Id, row.TypeApiId, row.Slug, chosen, row.PublishedAtUtc ?? row.UpdatedAtUtc, row.UpdatedAtUtc, values));
        }
        return found;
    }
}

public static class ContentDeliverySettingsServices
{
    /// <summary>Public types (in place of the API feature's "nothing is public"), type-change listeners and the reference reader.</summary>
    public static IServiceCollection AddContentDeliverySettings(this IServiceCollection services)
    {
        services.AddSingleton<DeliveryContentTypes>();
        services.Replace(ServiceDescriptor.Singleton<IPublicContentTypes>(sp => sp.GetRequiredService<DeliveryContentTypes>()));
        services.AddSingleton<IDeliveryContentTypes>(sp => sp.GetRequiredService<DeliveryContentTypes>());
        services.AddScoped<ContentTypeChangeNotifier>();
        services.AddScoped<IContentTypeChangeListener, DeliveryContentTypesEviction>();
        services.AddScoped<IPublishedReferenceReader, PublishedReferenceReader>();
        return services;
    }
}
