using Kuroco.Core.Backups;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Backups.ScopedRestore;

public static class ScopedRestoreServices
{
    /// <summary>The scoped restore (IScopedRestoreService); the restore-request jobs call it with an opened snapshot.</summary>
    public static IServiceCollection AddScopedRestore(this IServiceCollection services)
    {
        services.AddScoped<IScopedRestoreService, ScopedRestoreService>();
        return services;
    }
}
