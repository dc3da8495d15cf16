using Kuroco.Core.Content;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Content;

public static class ContentServiceCollectionExtensions
{
    /// <summary>Content types, items, versions, the published reader, the sanitizer and the content jobs.</summary>
    public static IServiceCollection AddContent(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ContentOptions>().Bind(configuration.GetSection(ContentOptions.SectionName))
            .Validate(o => o.TrashRetentionDays is >= 1 and <= 3650, "Kuroco:Content:TrashRetentionDays must be between 1 and 3650.")
            .Validate(o => ContentLanguages.IsSupported(o.DefaultLanguage), "Kuroco:Content:DefaultLanguage must be ja or en.")
            .Validate(o => string.IsNullOrEmpty(o.FallbackLanguage) || ContentLanguages.IsSupported(o.FallbackLanguage), "Kuroco:Content:FallbackLanguage must be ja, en or empty.")
            .ValidateOnStart();
        services.AddSingleton<IHtmlContentSanitizer, HtmlContentSanitizer>();
        services.AddSingleton<IMarkdownRenderer, MarkdownRenderer>();
        services.AddScoped<ContentChangeNotifier>();
        services.AddScoped<IContentTypeService, ContentTypeService>();
        // Items: editing, publishing (and the schedule), the trash and versions; one small service each, sharing the
        // working-copy checks. Publishing saves through the editing service (save and publish in one step).
        services.AddSingleton<ContentItemChecks>();
        services.AddScoped<ContentItemService>();
        services.AddScoped<IContentItemService>(sp => sp.GetRequiredService<ContentItemService>());
        services.AddScoped<IContentPublishingService, ContentPublishingService>();
        services.AddScoped<IContentTrashService, ContentTrashService>();
        services.AddScoped<IContentVersionService, ContentVersionService>();
        services.AddScoped<Core.Media.IMediaUsageProvider, ContentMediaUsageProvider>();
        services.AddScoped<IContentReviewService, ContentReviewService>();
        services.AddScoped<ContentScheduleJob>();
        services.AddScoped<ContentTrashPurgeJob>();
        // Delivery index: kept by an interceptor on every context (DatabaseSetup adds registered interceptors).
        services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, ContentIndexInterceptor>();
        services.AddSingleton<ContentIndexer>();
        services.AddHostedService<ContentIndexStartup>();
        services.AddContentDeliverySettings();
        services.AddContentTypeDirectory();
        return services;
    }
}
