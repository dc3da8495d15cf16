using Kuroco.Core.Common;

namespace Kuroco.Core.Audit;

/// <summary>How a retention purge ended.</summary>
public enum AuditPurgeOutcome
{
    /// <summary>Entries older than the cutoff were removed and the checkpoint moved.</summary>
    Purged = 0,

    /// <summary>No entry was older than the cutoff.</summary>
    NothingToPurge = 1,

    /// <summary>The chain did not verify, so nothing was removed: purging would destroy the evidence.</summary>
    RefusedBrokenChain = 2,
}

/// <summary>The result of one run of the retention purge.</summary>
public sealed record AuditPurgeReport(
    DateTime RanAtUtc,
    DateTime CutoffUtc,
    long PurgedCount,
    AuditPurgeOutcome Outcome,
    AuditCheckpoint? Checkpoint,
    AuditChainVerification? Verification = null);

/// <summary>What the audit settings page shows: the setting, who changed it last, the checkpoint and the last purge.</summary>
public sealed record AuditRetentionStatus(
    AuditRetentionSettings Settings,
    DateTime? UpdatedAtUtc,
    string? UpdatedBy,
    AuditCheckpoint? Checkpoint,
    AuditPurgeReport? LastPurge);

/// <summary>The audit retention setting (one row), its checkpoint and the last purge's result.</summary>
public interface IAuditRetentionStore
{
    Task<AuditRetentionSettings> GetAsync(CancellationToken cancellationToken = default);

    Task<AuditRetentionStatus> GetStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves the retention (refused below <see cref="AuditRetentionSettings.MinimumMonths"/>); audited with before and after.</summary>
    Task<Result> SaveAsync(AuditRetentionSettings settings, CancellationToken cancellationToken = default);
}

/// <summary>Removes entries older than the retention, oldest first, moving the checkpoint.</summary>
public interface IAuditRetentionPurge
{
    Task<AuditPurgeReport> PurgeAsync(CancellationToken cancellationToken = default);
}
