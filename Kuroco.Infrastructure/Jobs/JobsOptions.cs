namespace Kuroco.Infrastructure.Jobs;

/// <summary>Configuration section "Kuroco:Jobs".</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Kuroco:Jobs";

    /// <summary>Run the Hangfire server in this process (default on; turn off on web-only instances).</summary>
    public bool RunServer { get; set; } = true;

    public int WorkerCount { get; set; } = 2;

    /// <summary>Cron expression of the audit chain verification (default 03:15 every night).</summary>
    public string AuditChainVerificationCron { get; set; } = "15 3 * * *";

    /// <summary>Cron expression of the audit retention purge (default 03:45 every day, after the verification).</summary>
    public string AuditRetentionPurgeCron { get; set; } = "45 3 * * *";

    /// <summary>Time zone the cron expressions are read in.</summary>
    public string TimeZoneId { get; set; } = "Asia/Tokyo";
}
