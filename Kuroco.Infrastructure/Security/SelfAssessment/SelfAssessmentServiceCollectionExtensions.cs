using Kuroco.Core.Security.SelfAssessment;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Security.SelfAssessment;

public static class SelfAssessmentServiceCollectionExtensions
{
    /// <summary>The security self-assessment (Kuroco:SelfAssessment). The web host registers its <see cref="IWebSecurityFacts"/>.</summary>
    public static IServiceCollection AddSelfAssessment(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SelfAssessmentOptions>(configuration.GetSection(SelfAssessmentOptions.SectionName));
        services.AddScoped<ISelfAssessment, SelfAssessmentService>();
        return services;
    }
}
