using Kuroco.Core.Security;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Security;

/// <summary>Trusted proxies, IP allowlists and rate limits: registration and their place in the pipeline.</summary>
public static partial class NetworkSecurityExtensions
{
    public static IServiceCollection AddNetworkSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NetworkSecurityOptions>().Bind(configuration.GetSection(NetworkSecurityOptions.SectionName))
            .Validate(o => o.HasValidProxies(), "Kuroco:Security:TrustedProxies: every entry must be an IP address or a CIDR range.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<NetworkSecurityOptions>>((o, security) =>
        {
            // With no known proxy at all, ASP.NET Core believes the headers from ANY peer: so without
            // configured proxies nothing is forwarded. The defaults (loopback) are not trusted either.
            o.ForwardedHeaders = security.Value.TrustedProxies.Count == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in security.Value.TrustedProxies)
            {
                if (IpRange.TryParse(proxy, out var network))
                {
                    o.KnownIPNetworks.Add(network.Value);
                }
            }
            // Walk back through chained trusted proxies; the walk stops at the first untrusted hop.
            o.ForwardLimit = null;
        });
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, IpRestrictionCircuitHandler>();
        return services;
    }

    /// <summary>First in the pipeline: everything after it sees the real client address.</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<NetworkSecurityOptions>>().Value.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }
        return app;
    }

    /// <summary>Before authentication: IP allowlists (unless switched off for an emergency).</summary>
    public static WebApplication UseIpRestrictions(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<NetworkSecurityOptions>>().Value.DisableIpRestrictions)
        {
            LogRestrictionsDisabled(app.Logger);
            return app;
        }
        app.UseMiddleware<IpRestrictionMiddleware>();
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kuroco:Security:DisableIpRestrictions is true: the IP allowlists are NOT enforced. Remove the setting once access is restored.")]
    private static partial void LogRestrictionsDisabled(ILogger logger);
}
