using Kuroco.Core.Demo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Demo;

public static class DemoServices
{
    /// <summary>Demo settings (Kuroco:Demo, a bad ApiKey value stops the start) and the start-up seeder.</summary>
    public static IServiceCollection AddDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.SectionName))
            .Validate(o => o.IsValid(), DemoOptions.InvalidApiKeyMessage)
            .ValidateOnStart();
        services.AddSingleton<DemoSeeder>();
        return services;
    }
}
