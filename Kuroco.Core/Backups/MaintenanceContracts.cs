using Kuroco.Core.Audit;
using Kuroco.Core.Common;

namespace Kuroco.Core.Backups;

/// <summary>
/// Maintenance mode as every instance on the machine sees it (kept outside the database, so it survives a restore of the
/// database and a restart in the middle of one). While on, the API answers 503 with Retry-After, /health/ready reports
/// "Degraded", the console shows a banner, and background jobs other than the full restore wait.
/// </summary>
public sealed record MaintenanceState(
    bool IsOn,
    string? Reason,
    DateTimeOffset? StartedAtUtc,
    DateTimeOffset? ExpectedEndUtc,
    string? StartedById,
    string? StartedByName)
{
    /// <summary>Retry-After when no end is expected (or the expected end has passed).</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromMinutes(2);

    public static MaintenanceState Off { get; } = new(false, null, null, null, null, null);

    /// <summary>How long a client should wait before trying again, in whole seconds (at least 1).</summary>
    public int RetryAfterSeconds(DateTimeOffset nowUtc)
    {
        var wait = ExpectedEndUtc is { } end && end > nowUtc ? end - nowUtc : DefaultRetryAfter;
        return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
    }
}

/// <summary>Why maintenance mode is on (stored codes; the console localizes them).</summary>
public static class MaintenanceReasons
{
    /// <summary>Turned on by an Administrator by hand.</summary>
    public const string Manual = "manual";

    /// <summary>A full restore is running.</summary>
    public const string FullRestore = "full-restore";

    public static IReadOnlyList<string> All { get; } = [Manual, FullRestore];
}

/// <summary>The current state, cheap enough to ask on every request (cached, re-read from the shared file).</summary>
public interface IMaintenanceMode
{
    MaintenanceState Current { get; }
}

/// <summary>Turns maintenance mode on and off. Audited. By hand: Administrators only (the full restore turns it on as its requester).</summary>
public interface IMaintenanceSwitch
{
    /// <summary>
    /// Turns it on (or changes the reason and expected end while on). <paramref name="actor"/> names who asked when that is
    /// not the current user (a job); otherwise the current user must be an Administrator.
    /// </summary>
    Task<Result> TurnOnAsync(string reason, DateTimeOffset? expectedEndUtc, AuditActor? actor, CancellationToken cancellationToken);

    /// <summary>Turns it off; nothing happens (and nothing is audited) when it is already off.</summary>
    Task<Result> TurnOffAsync(AuditActor? actor, CancellationToken cancellationToken);
}
