using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuroco.Infrastructure.Scaling;

/// <summary>
/// <c>redis</c> on /health/ready: Healthy when Redis answers PING; Degraded (never Unhealthy) when it does not — the
/// instance keeps serving with its own cache and limits, so a load balancer must not take it out.
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
            return HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"Redis answers ({latency.TotalMilliseconds:0.#} ms)."));
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            return HealthCheckResult.Degraded(away, ex);
        }
    }
}
