using Kuroco.Core.Common;

namespace Kuroco.Core.Backups;

/// <summary>Where a full restore is.</summary>
public enum FullRestoreStatus
{
    /// <summary>Requested; waits for a second Administrator or Operator until it expires.</summary>
    Pending,

    /// <summary>Rejected by the confirming person.</summary>
    Rejected,

    /// <summary>Withdrawn by its requester.</summary>
    Cancelled,

    /// <summary>Nobody confirmed it in time.</summary>
    Expired,

    /// <summary>Confirmed: the job runs the steps.</summary>
    Running,

    /// <summary>Every step done; maintenance mode left.</summary>
    Succeeded,

    /// <summary>A step failed; the safety backup was put back (see <see cref="FullRestoreRun.RolledBack"/>).</summary>
    Failed,
}

public enum FullRestoreStepStatus
{
    Waiting,
    Running,
    Done,
    Failed,
    Skipped,
}

/// <summary>One step of a run as shown live on /backups/restore; <see cref="Detail"/> is invariant (counts, ids).</summary>
public sealed record FullRestoreStep(string Code, FullRestoreStepStatus Status, DateTimeOffset? StartedAtUtc, DateTimeOffset? FinishedAtUtc, string? Detail);

/// <summary>The steps of a full restore, in order (codes the page localizes as <c>Step.{code}</c>).</summary>
public static class FullRestoreSteps
{
    public const string Maintenance = "maintenance";
    public const string SafetyBackup = "safety-backup";
    public const string Database = "database";
    public const string Migrations = "migrations";
    public const string AuditTrail = "audit-trail";
    public const string Media = "media";
    public const string JobStore = "jobs";
    public const string Verification = "verification";
    public const string Finish = "finish";

    public static IReadOnlyList<string> All { get; } = [Maintenance, SafetyBackup, Database, Migrations, AuditTrail, Media, JobStore, Verification, Finish];
}

/// <summary>
/// A full restore: who asked, who confirmed, and its steps. Kept outside the database (the restore overwrites that),
/// in the data folder: one current run at a time.
/// </summary>
public sealed record FullRestoreRun(
    string Id,
    string GenerationId,
    string RequestedById,
    string RequestedByName,
    DateTimeOffset RequestedAtUtc,
    DateTimeOffset ExpiresAtUtc,
    FullRestoreStatus Status,
    string? DecidedById,
    string? DecidedByName,
    DateTimeOffset? DecidedAtUtc,
    IReadOnlyList<FullRestoreStep> Steps,
    double Fraction,
    string? Problem,
    string? SafetyGenerationId,
    bool RolledBack,
    DateTimeOffset? FinishedAtUtc)
{
    /// <summary>How long a request waits for its confirmation.</summary>
    public static readonly TimeSpan ConfirmationWindow = TimeSpan.FromMinutes(30);

    public bool IsActive(DateTimeOffset nowUtc) => Status == FullRestoreStatus.Running || (Status == FullRestoreStatus.Pending && ExpiresAtUtc > nowUtc);
}

/// <summary>
/// The full restore at /backups/restore: an Administrator requests it (typing the generation id), a different
/// Administrator or Operator confirms it, then a background job restores the generation over the live system under
/// maintenance mode. Every decision and step is audited.
/// </summary>
public interface IFullRestoreService
{
    /// <summary>The current or last run, with an expired request shown as <see cref="FullRestoreStatus.Expired"/>.</summary>
    Task<FullRestoreRun?> GetAsync(CancellationToken cancellationToken);

    /// <summary>Requests a restore of <paramref name="generationId"/>; <paramref name="typedConfirmation"/> must repeat the id. Administrators only.</summary>
    Task<Result<FullRestoreRun>> RequestAsync(string generationId, string typedConfirmation, CancellationToken cancellationToken);

    /// <summary>Confirms a pending request: an Administrator or Operator other than the requester. Starts the job.</summary>
    Task<Result> ConfirmAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Rejects a pending request (an Administrator or Operator), or withdraws it (its requester).</summary>
    Task<Result> RejectAsync(string runId, CancellationToken cancellationToken);
}

/// <summary>
/// Optional for an <see cref="IBackupSnapshot"/>: every media file it holds (paths relative to the media folder, '/'
/// separated). Without it the full restore asks for the files the restored database names (originals and thumbnails).
/// The media part is decrypted and checked on first use (a scoped restore of members never pays for it); a damaged
/// media part throws <see cref="InvalidDataException"/> here and from <see cref="IBackupSnapshot.OpenMediaFileAsync"/>.
/// </summary>
public interface IBackupMediaListing
{
    Task<IReadOnlyList<string>> ListMediaFilesAsync(CancellationToken cancellationToken);
}
