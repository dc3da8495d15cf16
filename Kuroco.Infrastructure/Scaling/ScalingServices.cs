using Kuroco.Core.Scaling;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Scaling;

public static class ScalingServices
{
    /// <summary>
    /// Several instances sharing one Redis (<c>Redis:Configuration</c>): the output cache in Redis with tag eviction, type
    /// caches dropped everywhere through pub/sub, rate-limit counters in Redis, and a <c>redis</c> readiness check that
    /// degrades (never fails) during an outage. Without the setting nothing changes: one instance, in-process caches and counters.
    /// Call after <c>AddOutputCache</c> (the in-memory store it registers is the fallback during an outage).
    /// </summary>
    public static IServiceCollection AddRedisScaling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.SectionName));
        services.TryAddSingleton<ISharedCounters, InProcessCounters>();
        var options = configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        if (!options.IsConfigured)
        {
            return services;
        }
        services.AddSingleton<RedisConnection>();
        services.Replace(ServiceDescriptor.Singleton<ISharedCounters, RedisSharedCounters>());
        services.AddSingleton<RedisTypeChanges>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisTypeChanges>());
        services.AddScoped<Core.Content.IContentTypeChangeListener, RedisTypeChangePublisher>();
        // First of the item-change listeners, ahead of the output-cache eviction: the other instances drop their list totals
        // before the answers are evicted, so an answer recomputed there after the eviction carries the new total.
        services.Insert(0, ServiceDescriptor.Scoped<Core.Content.IContentChangeListener, RedisContentChangePublisher>());
        services.AddHealthChecks().AddCheck<RedisHealthCheck>(RedisHealthCheck.Name, HealthStatus.Degraded, [DependencyInjection.ReadyTag]);

        // The output cache: the in-memory store AddOutputCache registered becomes the outage fallback, Redis's store the main one.
        var memory = Take(services) ?? throw new InvalidOperationException("AddRedisScaling must come after AddOutputCache.");
        services.AddStackExchangeRedisOutputCache(_ => { });
        services.AddOptions<Microsoft.AspNetCore.OutputCaching.StackExchangeRedis.RedisOutputCacheOptions>()
            .Configure<RedisConnection>((o, connection) =>
            {
                o.InstanceName = connection.Prefix + "output:";
                o.ConnectionMultiplexerFactory = connection.MultiplexerAsync;
            });
        var redis = Take(services) ?? throw new InvalidOperationException("AddStackExchangeRedisOutputCache registered no store.");
        services.AddSingleton<IOutputCacheStore>(sp => new ResilientOutputCacheStore(
            Create(sp, redis), () => Create(sp, memory), sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<ILogger<ResilientOutputCacheStore>>()));
        return services;
    }

    private static ServiceDescriptor? Take(IServiceCollection services)
    {
        var descriptor = services.LastOrDefault(d => d.ServiceType == typeof(IOutputCacheStore));
        services.RemoveAll<IOutputCacheStore>();
        return descriptor;
    }

    private static IOutputCacheStore Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance as IOutputCacheStore
        ?? (descriptor.ImplementationFactory is { } factory
            ? (IOutputCacheStore)factory(services)
            : (IOutputCacheStore)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
