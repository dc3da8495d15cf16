using Kuroco.Core.Backups.Requests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Backups.Requests;

public static class RestoreRequestServiceCollectionExtensions
{
    /// <summary>The restore-request workflow (service, mails, jobs); configuration under "RestoreRequests".</summary>
    public static IServiceCollection AddRestoreRequests(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RestoreRequestOptions>().Bind(configuration.GetSection(RestoreRequestOptions.SectionName))
            .Validate(o => o.IsValid(), "RestoreRequests: DefaultFeeJpy must be 0–100,000,000, TimeZone a known zone id and LinkBaseUrl an absolute http(s) URL without query.")
            .ValidateOnStart();
        services.AddScoped<IRestoreRequestService, RestoreRequestService>();
        services.AddScoped<RestoreRequestMailer>();
        services.AddScoped<RestoreRequestJobs>();
        return services;
    }
}
