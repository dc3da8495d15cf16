using Kuroco.Core.Incidents;
using Kuroco.Core.Monitoring;

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
        // Scrutor wraps the registered implementation (kept under a key) in the cache-evicting decorator, same lifetime.
        services.Decorate<IIncidentService, StatusEvictingIncidentService>();
        services.Decorate<Kuroco.Core.Sla.ISlaService, StatusEvictingSlaService>();
        return services;
    }
}
