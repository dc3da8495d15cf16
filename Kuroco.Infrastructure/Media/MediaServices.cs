using Kuroco.Core.Media;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Media;

public static class MediaServices
{
    /// <summary>The media library: settings (Kuroco:Media), file store, thumbnails, the file cleanup job and <see cref="IMediaLibrary"/>.</summary>
    public static IServiceCollection AddMedia(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection(MediaOptions.SectionName))
            .Validate(o => o.IsValid(), "Kuroco:Media: MaxUploadBytes must be between 1 byte and 2 GiB, ThumbnailSize 64–1024, ThumbnailMaxSourcePixels 1–1,000,000,000 and DeletedFileRetentionDays 1–3650.")
            .ValidateOnStart();
        services.AddSingleton<MediaFileStore>();
        services.AddSingleton<MediaThumbnailer>();
        services.AddScoped<MediaFileCleanupJob>();
        services.AddScoped<IMediaLibrary, MediaLibrary>();
        return services;
    }
}
