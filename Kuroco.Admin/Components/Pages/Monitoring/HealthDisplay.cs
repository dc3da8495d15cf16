using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MudBlazor;

namespace Kuroco.Admin.Components.Pages.Monitoring;

/// <summary>How health checks are shown: names and explanations (English text, the localization keys) and colours.</summary>
internal static class HealthDisplay
{
    public static string CheckName(string name) => name switch
    {
        "database" => "Database",
        "jobs" => "Job storage",
        "maintenance" => "Maintenance mode",
        "mail" => "Mail provider",
        "backup-storage" => "Backup storage",
        "redis" => "Shared Redis",
        _ => name,
    };

    public static string? CheckExplanation(string name) => name switch
    {
        "database" => "The console's database answers queries.",
        "jobs" => "The background job storage answers: mail delivery and the nightly audit check depend on it.",
        "maintenance" => "Degraded while maintenance mode is on (a full restore): the API answers 503 until it ends.",
        "mail" => "The mail provider can be reached (SendGrid's API host; the local outbox when SendGrid is not configured). Not part of /health/ready.",
        "backup-storage" => "Every backup store answers a listing (the local folder, S3). Not part of /health/ready.",
        "redis" => "The Redis the instances share (output cache, type caches, rate limits) answers. Degraded while it is away: this instance then caches and counts rate limits on its own.",
        _ => null,
    };

    public static string StatusName(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "Healthy",
        HealthStatus.Degraded => "Degraded",
        _ => "Unhealthy",
    };

    public static Color StatusColor(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => Color.Success,
        HealthStatus.Degraded => Color.Warning,
        _ => Color.Error,
    };

    public static string StatusIcon(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => Icons.Material.Filled.CheckCircle,
        HealthStatus.Degraded => Icons.Material.Filled.Warning,
        _ => Icons.Material.Filled.Error,
    };
}

/// <summary>What this process can say about itself, measured when asked.</summary>
internal sealed record ProcessSnapshot(DateTime StartedAtUtc, TimeSpan Uptime, long WorkingSetBytes, long ManagedHeapBytes)
{
    public static ProcessSnapshot Take(DateTimeOffset nowUtc)
    {
        using var process = Process.GetCurrentProcess();
        var started = process.StartTime.ToUniversalTime();
        var uptime = nowUtc.UtcDateTime - started;
        return new ProcessSnapshot(started, uptime < TimeSpan.Zero ? TimeSpan.Zero : uptime, Environment.WorkingSet, GC.GetTotalMemory(forceFullCollection: false));
    }
}
