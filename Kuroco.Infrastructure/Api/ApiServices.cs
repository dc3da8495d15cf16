using Kuroco.Core.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuroco.Infrastructure.Api;

public static class ApiServices
{
    /// <summary>API keys: the console's service, the cached validator of the authentication scheme, and the public-types hook.</summary>
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IApiKeyValidator, ApiKeyValidator>();
        services.AddScoped<IApiKeyService, ApiKeyService>();
        // The content feature replaces this with the types' own "public" flag (services.Replace(...)).
        services.TryAddSingleton<IPublicContentTypes, NoPublicContentTypes>();
        return services;
    }
}
