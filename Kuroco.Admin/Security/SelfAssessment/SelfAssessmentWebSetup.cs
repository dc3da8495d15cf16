using Kuroco.Core.Security.SelfAssessment;

namespace Kuroco.Admin.Security.SelfAssessment;

public static class SelfAssessmentWebSetup
{
    /// <summary>The web host's facts for the self-assessment and the HttpClient its header probe uses (no redirects followed: the first response's headers count).</summary>
    public static IServiceCollection AddSelfAssessmentWeb(this IServiceCollection services)
    {
        services.AddScoped<IWebSecurityFacts, WebSecurityFactsProvider>();
        services.AddHttpClient(WebSecurityFactsProvider.ProbeClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        return services;
    }
}
