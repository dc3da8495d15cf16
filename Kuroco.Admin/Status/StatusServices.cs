using Kuroco.Core.Incidents;
using Kuroco.Core.Monitoring;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuroco.Admin.Status;

/// <summary>Composition of the public status page: settings, the snapshot, its output cache policy and the evictions.</summary>
internal static class StatusServices
{
    public static IServiceCollection AddStatusPage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StatusPageOptions>().Bind(configuration.GetSection(StatusPageOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOutputCache(o => o.AddPolicy(StatusOutputCachePolicy.Name, p => p.AddPolicy<StatusOutputCachePolicy>(), excludeDefaultPolicy: true));
        services.AddSingleton<StatusOutputCachePolicy>();
        services.AddSingleton<StatusCacheEviction>();
        services.AddScoped<StatusSnapshotBuilder>();
        // After the incidents' own listener (registered by the infrastructure): the incident it opens is shown at once.
        services.AddScoped<IAlertListener, StatusAlertListener>();
        Decorate<IIncidentService>(services, (inner, eviction) => new StatusEvictingIncidentService(inner, eviction));
        Decorate<Kuroco.Core.Sla.ISlaService>(services, (inner, eviction) => new StatusEvictingSlaService(inner, eviction));
        return services;
    }

    /// <summary>Wraps the registered <typeparamref name="TService"/> so each successful change evicts the page's cache.</summary>
    private static void Decorate<TService>(IServiceCollection services, Func<TService, StatusCacheEviction, TService> wrap)
        where TService : class
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(TService) && !d.IsKeyedService);
        if (registered?.ImplementationType is not { } implementation)
        {
            return;
        }
        services.TryAdd(new ServiceDescriptor(implementation, implementation, registered.Lifetime));
        services.Replace(new ServiceDescriptor(typeof(TService),
            sp => wrap((TService)sp.GetRequiredService(implementation), sp.GetRequiredService<StatusCacheEviction>()),
            registered.Lifetime));
    }
}
