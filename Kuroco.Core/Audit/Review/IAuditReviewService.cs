using Kuroco.Core.Common;

namespace Kuroco.Core.Audit.Review;

/// <summary>The review settings in force. Saving validates, audits (before and after) and moves the schedule to the new zone.</summary>
public interface IAuditReviewSettingsStore
{
    ValueTask<AuditReviewSettings> GetAsync(CancellationToken cancellationToken = default);

    Task<Result> SaveAsync(AuditReviewSettings settings, CancellationToken cancellationToken = default);
}

/// <summary>
/// The monthly reviews: history, one month's review, "Prepare now", an officer's decision on a finding and the sign-off.
/// Every change is audited; a signed (or superseded) review refuses every change.
/// </summary>
public interface IAuditReviewService
{
    /// <summary>Every review, every version, newest month first (without findings).</summary>
    Task<IReadOnlyList<AuditReview>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>A month's review with its findings: the given version, or the newest.</summary>
    Task<AuditReview?> GetAsync(DateOnly month, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Adds a new version of a past month in the preparing state and queues its preparation. Earlier versions stay as they are.</summary>
    Task<Result<AuditReview>> RequestPreparationAsync(DateOnly month, CancellationToken cancellationToken = default);

    /// <summary>Acknowledges or escalates a finding with a comment; an escalation mails the Administrators.</summary>
    Task<Result> DecideAsync(long findingId, AuditFindingDecision decision, string? comment, CancellationToken cancellationToken = default);

    /// <summary>Signs the review off once every finding is decided: it becomes read-only and the sign-off entry's hash is kept on it.</summary>
    Task<Result> SignOffAsync(int reviewId, CancellationToken cancellationToken = default);

    /// <summary>Unsigned reviews past their deadline (for the dashboard).</summary>
    Task<IReadOnlyList<AuditReview>> ListOverdueAsync(CancellationToken cancellationToken = default);
}
