using Kuroco.Core.Backups;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuroco.Infrastructure.Maintenance;

/// <summary>
/// Part of /health/ready: "Degraded" while maintenance mode is on. Degraded answers 200, so a load balancer keeps
/// sending staff to the console (the restore page must stay reachable) while the API itself answers 503.
/// </summary>
internal sealed class MaintenanceHealthCheck(IMaintenanceMode mode) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(mode.Current.IsOn ? HealthCheckResult.Degraded("Maintenance mode") : HealthCheckResult.Healthy());
}
