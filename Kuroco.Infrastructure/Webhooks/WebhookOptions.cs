namespace Kuroco.Infrastructure.Webhooks;

/// <summary>Kuroco:Webhooks settings.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Kuroco:Webhooks";

    /// <summary>Whole request, connect included.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    public int ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>Finished deliveries older than this are deleted by a nightly job.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>Delays before the retries; a delivery gives up after 1 + this many attempts.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; set; } =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(6)];

    /// <summary>At most this much of a receiver's answer is read (and kept for the log).</summary>
    public const int MaxResponseBytes = 1024;
}
