using Kuroco.Core.Backups;
using Kuroco.Infrastructure.Backups.Alarm;
using Kuroco.Infrastructure.Backups.Drill;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Backups;

/// <summary>Configuration of the weekly restore drill (section "Backups", beside the engine's settings).</summary>
public sealed class BackupDrillOptions
{
    /// <summary>Cron of the restore drill, read in the backup zone (Backups:TimeZone); default Sunday 07:00.</summary>
    public string DrillCron { get; set; } = BackupDrillJob.DefaultCron;
}

public static class BackupChecksServiceCollectionExtensions
{
    /// <summary>The checks around the backups: the weekly restore drill and the nightly alarm with its mail to Operators.</summary>
    public static IServiceCollection AddBackupChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackupDrillOptions>().Bind(configuration.GetSection(BackupOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.DrillCron) && o.DrillCron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is 5 or 6,
                "Backups:DrillCron must be a cron expression of 5 fields (e.g. \"0 7 * * 0\", Sunday 07:00).")
            .ValidateOnStart();
        services.AddScoped<BackupDrillJob>();
        services.AddScoped<IBackupDrills, BackupDrillService>();
        services.AddScoped<BackupAlarmMailer>();
        services.AddScoped<BackupAlarmJob>();
        services.AddScoped<IBackupAlarms, BackupAlarms>();
        return services;
    }
}
