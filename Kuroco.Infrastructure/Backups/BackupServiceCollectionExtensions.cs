using Kuroco.Core.Backups;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Backups;

public static class BackupServiceCollectionExtensions
{
    /// <summary>
    /// The backup engine (section "Backups"): the local store, the key store, the service and the snapshot opener. Other
    /// stores (S3) are added as further <see cref="IBackupStore"/> registrations; the engine writes to every one.
    /// </summary>
    public static IServiceCollection AddBackups(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackupOptions>().Bind(configuration.GetSection(BackupOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<BackupOptions>, BackupOptionsValidation>();
        services.AddSingleton<BackupLock>();
        services.AddSingleton<BackupKeyStore>();
        services.AddSingleton<BackupPartReader>();
        services.AddScoped<BackupSources>();
        services.AddSingleton<LocalBackupStore>();
        services.AddSingleton<IBackupStore>(sp => sp.GetRequiredService<LocalBackupStore>());
        services.AddScoped<BackupSettingsStore>();
        services.AddScoped<IBackupSettingsStore>(sp => sp.GetRequiredService<BackupSettingsStore>());
        services.AddScoped<IBackupRetentionPolicy>(sp => sp.GetRequiredService<BackupSettingsStore>());
        services.AddSingleton<BackupSchedule>();
        services.AddScoped<BackupJob>();
        services.AddScoped<IBackupRunner, BackupRunner>();
        services.AddScoped<IBackupRunReader, BackupRunReader>();
        services.AddScoped<IBackupService, BackupService>();
        services.AddScoped<IBackupSnapshotOpener, BackupSnapshotOpener>();
        return services;
    }
}

/// <summary>Start-up validation of <see cref="BackupOptions"/> with a message that names the setting.</summary>
internal sealed class BackupOptionsValidation : Microsoft.Extensions.Options.IValidateOptions<BackupOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, BackupOptions options) =>
        options.Problem() is { } problem
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problem)
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
}
