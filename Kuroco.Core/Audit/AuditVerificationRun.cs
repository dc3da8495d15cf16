namespace Kuroco.Core.Audit;

public enum AuditVerificationStatus
{
    Queued = 0,
    Running = 1,
    Intact = 2,
    Broken = 3,

    /// <summary>The job stopped without a result (an error); the log says why.</summary>
    Failed = 4,

    /// <summary>
    /// The process running the job went away (restart, crash): its heartbeat stopped, or the instance restarted.
    /// No result; a new run may start at once.
    /// </summary>
    Interrupted = 5,
}

/// <summary>One "Verify now" run: queued from the console, run as a background job that stores its progress here.</summary>
public sealed record AuditVerificationRun(
    Guid Id,
    AuditVerificationStatus Status,
    DateTime RequestedAtUtc,
    string RequestedBy,
    DateTime? StartedAtUtc,
    DateTime? FinishedAtUtc,
    long TotalEntries,
    long CheckedEntries,
    AuditChainProblem Problem,
    long? FirstBrokenSequence)
{
    public bool IsFinished => Status is AuditVerificationStatus.Intact or AuditVerificationStatus.Broken
        or AuditVerificationStatus.Failed or AuditVerificationStatus.Interrupted;

    /// <summary>Share of the entries checked, 0–100 (100 once finished).</summary>
    public double Percent => IsFinished ? 100 : TotalEntries <= 0 ? 0 : Math.Min(100, 100.0 * CheckedEntries / TotalEntries);

    /// <summary>Entries checked per second since the job started, up to <paramref name="nowUtc"/> (or the end).</summary>
    public double EntriesPerSecond(DateTime nowUtc)
    {
        if (StartedAtUtc is not { } started)
        {
            return 0;
        }
        var seconds = ((FinishedAtUtc ?? nowUtc) - started).TotalSeconds;
        return seconds <= 0 ? 0 : CheckedEntries / seconds;
    }
}

/// <summary>Starts "Verify now" as a background job and reads its progress (any instance, any circuit, after a reload).</summary>
public interface IAuditVerificationRuns
{
    /// <summary>Queues a run, or returns the one already queued or running (a run whose process died does not count).</summary>
    Task<AuditVerificationRun> StartAsync(CancellationToken cancellationToken = default);

    /// <summary>The newest run, or null when none was ever started. A run whose process died reads as <see cref="AuditVerificationStatus.Interrupted"/>.</summary>
    Task<AuditVerificationRun?> GetLatestAsync(CancellationToken cancellationToken = default);
}
