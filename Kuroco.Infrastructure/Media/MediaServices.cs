using Kuroco.Core.Media;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Media;

public static class MediaServices
{
    /// <summary>The media library: settings (Kuroco:Media), file store and <see cref="IMediaLibrary"/>.</summary>
    public static IServiceCollection AddMedia(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection(MediaOptions.SectionName))
            .Validate(o => o.IsValid(), "Kuroco:Media:MaxUploadBytes must be between 1 byte and 2 GiB.")
            .ValidateOnStart();
        services.AddSingleton<MediaFileStore>();
        services.AddScoped<IMediaLibrary, MediaLibrary>();
        return services;
    }
}
