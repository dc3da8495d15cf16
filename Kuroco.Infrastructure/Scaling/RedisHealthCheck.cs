using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuroco.Infrastructure.Scaling;

/// <summary>
/// <c>redis</c> on /health/ready: Healthy when Redis answers PING and has caught up with what it missed during an
/// outage (evictions, type changes); Degraded (never Unhealthy) otherwise — the instance keeps serving with its own
/// cache and limits, so a load balancer must not take it out.
/// </summary>
internal sealed class RedisHealthCheck(RedisConnection connection) : IHealthCheck
{
    public const string Name = "redis";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        const string away = "Redis cannot be reached: this instance caches and counts rate limits on its own until it is back.";
        if (!connection.IsConnected)
        {
            return HealthCheckResult.Degraded(away);
        }
        try
        {
            var latency = await connection.Multiplexer.GetDatabase().PingAsync();
            if (!await connection.CatchUpAsync(cancellationToken))
            {
                return HealthCheckResult.Degraded(string.Create(CultureInfo.InvariantCulture,
                    $"Redis answers but has not yet taken the {connection.OwedCount} evictions or type changes it missed; this instance uses its own cache meanwhile."));
            }
            return HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"Redis answers ({latency.TotalMilliseconds:0.#} ms)."));
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            connection.Failed(ex);
            return HealthCheckResult.Degraded(away, ex);
        }
    }
}
