using Kuroco.Core.Backups;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Backups.S3;

public static class S3BackupServices
{
    /// <summary>
    /// When Backups:Storage is S3 or Both: the S3 store (settings Backups:S3, validated at start-up) as one more
    /// <see cref="IBackupStore"/> after the local one (Both), or instead of it (S3). Nothing is registered for Local (the
    /// default). Call it after AddBackups.
    /// </summary>
    public static IServiceCollection AddS3BackupStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (StorageMode(configuration) == BackupStorageMode.Local)
        {
            return services;
        }
        services.AddOptions<S3BackupOptions>().Bind(configuration.GetSection(S3BackupOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<S3BackupOptions>, S3BackupOptionsValidator>();
        services.AddSingleton<S3BackupClient>();
        services.AddSingleton<S3BackupStore>();
        if (StorageMode(configuration) == BackupStorageMode.S3)
        {
            // S3 alone: the bucket is the only target, so the local store that AddBackups registered (called before this) goes.
            services.RemoveAll<IBackupStore>();
        }
        services.AddSingleton<IBackupStore>(sp => sp.GetRequiredService<S3BackupStore>());
        return services;
    }

    /// <summary>Backups:Storage (Local when unset); anything else than Local, S3 or Both stops the app with a clear message.</summary>
    public static BackupStorageMode StorageMode(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[S3BackupOptions.StorageKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return BackupStorageMode.Local;
        }
        return Enum.TryParse<BackupStorageMode>(value.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : throw new ConfigurationException($"{S3BackupOptions.StorageKey} must be Local, S3 or Both (not \"{value}\").");
    }

    private sealed class S3BackupOptionsValidator : IValidateOptions<S3BackupOptions>
    {
        public ValidateOptionsResult Validate(string? name, S3BackupOptions options)
        {
            var problems = options.Problems();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
