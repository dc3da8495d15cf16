using Kuroco.Core.Backups;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Backups.FullRestore;

public static class FullRestoreServices
{
    /// <summary>The full restore: its run file (outside the database), the request/confirmation service and the job.</summary>
    public static IServiceCollection AddFullRestore(this IServiceCollection services)
    {
        services.AddSingleton<FullRestoreRunFile>();
        services.AddScoped<IFullRestoreService, FullRestoreService>();
        services.AddScoped<FullRestoreJob>();
        return services;
    }
}
