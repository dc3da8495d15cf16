using Kuroco.Core.Incidents;
using Kuroco.Core.Monitoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Incidents;

public static class IncidentServiceCollectionExtensions
{
    /// <summary>Incidents: the service, notices and contacts, the three-hour rule's job and the alert listener.</summary>
    public static IServiceCollection AddIncidents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IncidentOptions>().Bind(configuration.GetSection(IncidentOptions.SectionName))
            .Validate(o => o.Problem() is null, $"{IncidentOptions.SectionName}: ProgressReportInterval 5–1440 minutes, OpenFromAlerts Off/Info/Warning/Critical, a known TimeZone, an absolute http(s) LinkBaseUrl, valid OnCall addresses.")
            .ValidateOnStart();
        services.AddScoped<IIncidentService, IncidentService>();
        services.AddScoped<INoticeContactService, NoticeContactService>();
        services.AddScoped<IncidentNoticeSender>();
        services.AddScoped<IncidentOverdueJob>();
        // The alert evaluator (feat/monitoring) calls every registered listener.
        services.AddScoped<IAlertListener, IncidentAlertListener>();
        return services;
    }
}
