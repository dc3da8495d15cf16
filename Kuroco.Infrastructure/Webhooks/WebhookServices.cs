using Kuroco.Core.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Webhooks;

public static class WebhookServices
{
    /// <summary>Webhooks: the dispatcher content code calls, the delivery job, the guarded HTTP client and the admin service.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName))
            .Validate(o => o.TimeoutSeconds is >= 1 and <= 60 && o.ConnectTimeoutSeconds is >= 1 and <= 60 && o.RetryDelays.Count <= 10 && o.RetentionDays is >= 1 and <= 3650,
                "Kuroco:Webhooks: TimeoutSeconds and ConnectTimeoutSeconds must be 1–60, RetentionDays 1–3650, at most 10 retry delays.")
            .ValidateOnStart();
        services.TryAddSingleton<IWebhookHostResolver, DnsWebhookHostResolver>();
        services.AddSingleton<IWebhookHostAllowlist, WebhookHostAllowlist>();
        services.AddSingleton<WebhookSecrets>();
        services.AddScoped<IWebhookDispatcher, WebhookDispatcher>();
        services.AddScoped<Core.Content.IContentChangeListener, ContentWebhookListener>();
        services.AddScoped<IWebhookService, WebhookService>();
        services.AddScoped<WebhookDeliveryJob>();
        services.AddScoped<WebhookDeliveryCleanupJob>();
        services.AddHttpClient(WebhookHttp.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookHttp.CreateHandler(
                sp.GetRequiredService<IWebhookHostResolver>(),
                sp.GetRequiredService<IWebhookHostAllowlist>(),
                TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.ConnectTimeoutSeconds)))
            // Delivery logs its own outcome; the default handler logs would print target URLs on every attempt.
            .RemoveAllLoggers();
        return services;
    }
}
