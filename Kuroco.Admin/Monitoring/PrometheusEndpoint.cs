using System.Security.Cryptography;
using System.Text;
using Kuroco.Core.Security;
using Kuroco.Infrastructure.Monitoring;

namespace Kuroco.Admin.Monitoring;

/// <summary>
/// The optional Prometheus scrape endpoint (Monitoring:Prometheus:Enabled, default path /metrics): the OpenTelemetry
/// exporter's text format of ASP.NET Core's and this app's meters. Never anonymous: the caller's address must be in
/// Monitoring:Prometheus:AllowedAddresses and/or it must send Monitoring:Prometheus:BearerToken (every rule that is
/// configured must pass; start-up refuses the endpoint with neither). Refused callers get 403.
/// </summary>
public static class PrometheusEndpoint
{
    public static IEndpointRouteBuilder MapPrometheusEndpoint(this IEndpointRouteBuilder endpoints, PrometheusOptions settings)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Enabled)
        {
            return endpoints;
        }
        endpoints.MapPrometheusScrapingEndpoint(settings.Path, meterProvider: null,
                configureBranchedPipeline: branch => branch.Use(async (context, next) =>
                {
                    if (!IsAllowed(context, settings))
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                        return;
                    }
                    await next(context);
                }),
                optionsName: null)
            .AllowAnonymous()
            .WithName("PrometheusMetrics")
            .ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>True when every configured rule passes: the address allowlist and the bearer token.</summary>
    public static bool IsAllowed(HttpContext context, PrometheusOptions settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.HasAccessRule)
        {
            return false;
        }
        if (settings.AllowedAddresses.Count > 0)
        {
            var address = context.Connection.RemoteIpAddress;
            var inList = address is not null && settings.AllowedAddresses.Any(a => IpRange.TryParse(a, out var network) && IpRange.Contains(network.Value, address));
            if (!inList)
            {
                return false;
            }
        }
        if (!string.IsNullOrWhiteSpace(settings.BearerToken))
        {
            var header = context.Request.Headers.Authorization.ToString();
            const string prefix = "Bearer ";
            if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
            var sent = Encoding.UTF8.GetBytes(header[prefix.Length..].Trim());
            var expected = Encoding.UTF8.GetBytes(settings.BearerToken);
            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(sent), SHA256.HashData(expected)))
            {
                return false;
            }
        }
        return true;
    }
}
