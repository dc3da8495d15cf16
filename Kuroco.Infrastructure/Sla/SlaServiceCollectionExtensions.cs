using Kuroco.Core.Sla;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Sla;

public static class SlaServiceCollectionExtensions
{
    /// <summary>The SLA: settings, maintenance windows and month/day availability and the monthly report job (validators come with Core's assembly scan).</summary>
    public static IServiceCollection AddSla(this IServiceCollection services)
    {
        services.AddScoped<ISlaService, SlaService>();
        services.AddSingleton<SlaReportSchedule>();
        services.AddScoped<SlaMonthlyReportJob>();
        return services;
    }
}
