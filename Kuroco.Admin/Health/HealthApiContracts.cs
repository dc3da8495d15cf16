using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuroco.Admin.Health;

/// <summary>
/// What a health endpoint answers: the overall state, how long the checks took, and each check's name and state.
/// Names and states only: exception details could reveal connection strings.
/// </summary>
public sealed record HealthAnswer(string Status, double DurationMs, IReadOnlyDictionary<string, string> Checks)
{
    public static HealthAnswer From(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(
            report.Status.ToString(),
            Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString(), StringComparer.Ordinal));
    }
}
