using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Audit.Review;
using Kuroco.Core.Common;
using Kuroco.Core.Jobs;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Audit.Review;

internal sealed class AuditReviewService(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditReviewSettingsStore settingsStore,
    IAuditLog auditLog,
    IAuditContext auditContext,
    IJobScheduler jobs,
    AuditReviewMailer mailer,
    TimeProvider clock) : IAuditReviewService
{
    public async Task<IReadOnlyList<AuditReview>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<AuditReview>().AsNoTracking()
            .OrderByDescending(r => r.Month).ThenByDescending(r => r.Version)
            .ToListAsync(cancellationToken);
    }

    public async Task<AuditReview?> GetAsync(DateOnly month, int? version = null, CancellationToken cancellationToken = default)
    {
        var key = AuditReview.FormatMonth(month);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Set<AuditReview>().AsNoTracking().Include(r => r.Findings).Where(r => r.Month == key);
        query = version is { } v ? query.Where(r => r.Version == v) : query.OrderByDescending(r => r.Version);
        var review = await query.FirstOrDefaultAsync(cancellationToken);
        review?.Findings.Sort((a, b) => a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : a.Id.CompareTo(b.Id));
        return review;
    }

    public async Task<Result<AuditReview>> RequestPreparationAsync(DateOnly month, CancellationToken cancellationToken = default)
    {
        var settings = await settingsStore.GetAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, settings.Zone));
        var first = new DateOnly(month.Year, month.Month, 1);
        if (first >= new DateOnly(today.Year, today.Month, 1))
        {
            return Result.Invalid(AuditReviewMessages.Get("Review.MonthNotPast")).As<AuditReview>();
        }
        var key = AuditReview.FormatMonth(first);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var versions = await db.Set<AuditReview>().Where(r => r.Month == key).Select(r => new { r.Version, r.State }).ToListAsync(cancellationToken);
        if (versions.Any(v => v.State == AuditReviewState.Preparing))
        {
            return Result.Conflict(AuditReviewMessages.Get("Review.AlreadyPreparing")).As<AuditReview>();
        }
        var actor = await auditContext.GetActorAsync();
        var review = NewVersion(first, versions.Count == 0 ? 1 : versions.Max(v => v.Version) + 1, settings, actor.Name, now);
        db.Add(review);
        await db.SaveChangesAsync(cancellationToken);
        await auditLog.WriteAsync(new AuditRecord(AuditActions.AuditReviewRequested, "AuditReview", AuditReviewPreparer.EntityId(review),
            AuditParameters.Of(("month", key), ("version", review.Version.ToString(CultureInfo.InvariantCulture)))), cancellationToken);
        jobs.Enqueue<AuditReviewPreparationJob>(job => job.RunAsync(review.Id, CancellationToken.None));
        return Result.Ok(review);
    }

    public async Task<Result> DecideAsync(long findingId, AuditFindingDecision decision, string? comment, CancellationToken cancellationToken = default)
    {
        comment = comment?.Trim();
        if (decision == AuditFindingDecision.Open || !Enum.IsDefined(decision)
            || string.IsNullOrEmpty(comment) || comment.Length > AuditFinding.CommentMaxLength)
        {
            return Result.Invalid([new FieldError("Comment", AuditReviewMessages.Format("Review.CommentRequired", AuditFinding.CommentMaxLength))]);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var finding = await db.Set<AuditFinding>().FirstOrDefaultAsync(f => f.Id == findingId, cancellationToken);
        if (finding is null)
        {
            return Result.NotFound(AuditReviewMessages.Get("Review.FindingNotFound"));
        }
        var review = await db.Set<AuditReview>().FirstAsync(r => r.Id == finding.ReviewId, cancellationToken);
        if (review.IsReadOnly)
        {
            return Result.Conflict(AuditReviewMessages.Get("Review.ReadOnly"));
        }
        var actor = await auditContext.GetActorAsync();
        var before = new Dictionary<string, string?> { ["Decision"] = finding.Decision.ToString(), ["Comment"] = finding.Comment };
        finding.Decision = decision;
        finding.Comment = comment;
        finding.DecidedById = actor.UserId;
        finding.DecidedByName = actor.Name;
        finding.DecidedAtUtc = clock.GetUtcNow().UtcDateTime;
        // Only a review still open for decisions takes the change (a sign-off in between wins).
        var updated = await db.Set<AuditReview>()
            .Where(r => r.Id == review.Id && (r.State == AuditReviewState.Ready || r.State == AuditReviewState.InReview))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.State, AuditReviewState.InReview), cancellationToken);
        if (updated == 0)
        {
            return Result.Conflict(AuditReviewMessages.Get("Review.ReadOnly"));
        }
        await db.SaveChangesAsync(cancellationToken);
        var escalated = decision == AuditFindingDecision.Escalated;
        await auditLog.WriteAsync(new AuditRecord(
            escalated ? AuditActions.AuditReviewFindingEscalated : AuditActions.AuditReviewFindingAcknowledged,
            "AuditReviewFinding", finding.Id.ToString(CultureInfo.InvariantCulture),
            AuditParameters.Of(("finding", finding.Id.ToString(CultureInfo.InvariantCulture)), ("kind", finding.Kind.ToString()), ("month", review.Month)),
            changes: AuditChanges.Diff(before, new Dictionary<string, string?> { ["Decision"] = finding.Decision.ToString(), ["Comment"] = finding.Comment })),
            cancellationToken);
        if (escalated)
        {
            await mailer.SendEscalatedAsync(review, finding, actor.Name, cancellationToken);
        }
        return Result.Success;
    }

    public async Task<Result> SignOffAsync(int reviewId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var review = await db.Set<AuditReview>().Include(r => r.Findings).FirstOrDefaultAsync(r => r.Id == reviewId, cancellationToken);
        if (review is null)
        {
            return Result.NotFound(AuditReviewMessages.Get("Review.NotFound"));
        }
        if (review.IsReadOnly)
        {
            return Result.Conflict(AuditReviewMessages.Get("Review.ReadOnly"));
        }
        if (review.Findings.Any(f => f.Decision == AuditFindingDecision.Open))
        {
            return Result.Conflict(AuditReviewMessages.Get("Review.FindingsOpen"));
        }
        var actor = await auditContext.GetActorAsync();
        var acknowledged = review.Findings.Count(f => f.Decision == AuditFindingDecision.Acknowledged);
        var escalated = review.Findings.Count(f => f.Decision == AuditFindingDecision.Escalated);
        // Claim the sign-off first, so two officers cannot both sign; then the entry whose hash the review keeps.
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await db.Set<AuditReview>()
            .Where(r => r.Id == reviewId && (r.State == AuditReviewState.Ready || r.State == AuditReviewState.InReview))
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.State, AuditReviewState.Signed)
                .SetProperty(r => r.SignedAtUtc, now)
                .SetProperty(r => r.SignedById, actor.UserId)
                .SetProperty(r => r.SignedByName, actor.Name), cancellationToken);
        if (claimed == 0)
        {
            return Result.Conflict(AuditReviewMessages.Get("Review.ReadOnly"));
        }
        var entry = await auditLog.WriteAsync(new AuditRecord(AuditActions.AuditReviewSignedOff, "AuditReview", AuditReviewPreparer.EntityId(review),
            AuditParameters.Of(
                ("month", review.Month),
                ("version", review.Version.ToString(CultureInfo.InvariantCulture)),
                ("entries", review.EntryCount.ToString(CultureInfo.InvariantCulture)),
                ("acknowledged", acknowledged.ToString(CultureInfo.InvariantCulture)),
                ("escalated", escalated.ToString(CultureInfo.InvariantCulture)))),
            cancellationToken);
        await db.Set<AuditReview>().Where(r => r.Id == reviewId)
            .ExecuteUpdateAsync(u => u
                .SetProperty(r => r.SignOffSequence, entry.Sequence)
                .SetProperty(r => r.SignOffHash, entry.Hash), cancellationToken);
        return Result.Success;
    }

    public async Task<IReadOnlyList<AuditReview>> ListOverdueAsync(CancellationToken cancellationToken = default)
    {
        var settings = await settingsStore.GetAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var waiting = await db.Set<AuditReview>().AsNoTracking()
            .Where(r => r.State == AuditReviewState.Ready || r.State == AuditReviewState.InReview)
            .OrderBy(r => r.Month).ToListAsync(cancellationToken);
        return [.. waiting.Where(r => r.IsOverdue(now, settings.OverdueDays))];
    }

    /// <summary>A new version of a month's review, waiting for its preparation; the month's boundaries in the review zone.</summary>
    internal static AuditReview NewVersion(DateOnly month, int version, AuditReviewSettings settings, string requestedBy, DateTime nowUtc)
    {
        var zone = settings.Zone;
        return new AuditReview
        {
            Month = AuditReview.FormatMonth(month),
            Version = version,
            State = AuditReviewState.Preparing,
            TimeZoneId = settings.TimeZoneId,
            PeriodStartUtc = StartOfDayUtc(month, zone),
            PeriodEndUtc = StartOfDayUtc(month.AddMonths(1), zone),
            CreatedAtUtc = nowUtc,
            RequestedBy = requestedBy.Length <= AuditReview.NameMaxLength ? requestedBy : requestedBy[..AuditReview.NameMaxLength],
        };
    }

    private static DateTime StartOfDayUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}
