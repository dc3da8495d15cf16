using Kuroco.Core.Sla;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Sla;

public static class SlaServiceCollectionExtensions
{
    /// <summary>The SLA: settings, maintenance windows and month/day availability (validators come with Core's assembly scan).</summary>
    public static IServiceCollection AddSla(this IServiceCollection services)
    {
        services.AddScoped<ISlaService, SlaService>();
        return services;
    }
}
