using Hangfire.Common;
using Kuroco.Core.Backups;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuroco.Infrastructure.Maintenance;

public static class MaintenanceServices
{
    /// <summary>Maintenance mode: the shared state file, the audited switch, the job filter and the readiness check.</summary>
    public static IServiceCollection AddMaintenanceMode(this IServiceCollection services)
    {
        services.AddSingleton<FileMaintenanceMode>();
        services.AddSingleton<IMaintenanceMode>(sp => sp.GetRequiredService<FileMaintenanceMode>());
        services.AddScoped<IMaintenanceSwitch, MaintenanceSwitch>();
        services.AddSingleton<MaintenanceJobFilter>();
        // Hangfire's server takes the filter provider from the container (else the static global one). Another feature
        // may have registered one already (the job log's): wrap it, so both filters run.
        var previous = services.LastOrDefault(d => d.ServiceType == typeof(IJobFilterProvider));
        services.AddSingleton<IJobFilterProvider>(sp =>
            new MaintenanceAwareFilterProvider(
                previous?.ImplementationFactory?.Invoke(sp) as IJobFilterProvider ?? previous?.ImplementationInstance as IJobFilterProvider ?? JobFilterProviders.Providers,
                sp.GetRequiredService<MaintenanceJobFilter>()));
        services.AddHealthChecks().AddCheck<MaintenanceHealthCheck>("maintenance", HealthStatus.Degraded, [DependencyInjection.ReadyTag]);
        return services;
    }
}
