using Kuroco.Core.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuroco.Infrastructure.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>The IP allowlists: a cached provider for the middleware and a scoped service for the screen.</summary>
    public static IServiceCollection AddIpAllowlists(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IIpAllowlistProvider, IpAllowlistProvider>();
        services.AddScoped<IIpAllowlistService, IpAllowlistService>();
        services.AddSingleton<DeniedRequestCoalescer>();
        return services;
    }
}
