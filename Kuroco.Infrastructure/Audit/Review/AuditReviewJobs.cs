using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Audit.Review;
using Kuroco.Core.Jobs;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Audit.Review;

/// <summary>
/// On the 1st of each month (02:00 in the review zone): prepares the previous month's review, unless one already exists
/// (a second run, or an officer who pressed "Prepare now" first, adds nothing).
/// </summary>
public sealed class AuditReviewMonthlyJob(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditReviewSettingsStore settingsStore,
    AuditReviewPreparer preparer,
    TimeProvider clock) : IRecurringJob
{
    public const string JobId = "audit-review-monthly";

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var settings = await settingsStore.GetAsync(cancellationToken);
        var zone = settings.Zone;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, zone));
        var month = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var key = AuditReview.FormatMonth(month);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var existing = await db.Set<AuditReview>().Where(r => r.Month == key).OrderByDescending(r => r.Version).FirstOrDefaultAsync(cancellationToken);
        if (existing is { State: not AuditReviewState.Failed })
        {
            if (existing.State == AuditReviewState.Preparing)
            {
                await preparer.PrepareAsync(existing.Id, cancellationToken);
            }
            return;
        }
        var review = AuditReviewService.NewVersion(month, (existing?.Version ?? 0) + 1, settings, "system", clock.GetUtcNow().UtcDateTime);
        db.Add(review);
        await db.SaveChangesAsync(cancellationToken);
        await preparer.PrepareAsync(review.Id, cancellationToken);
    }
}

/// <summary>A review asked for with "Prepare now", prepared in the background.</summary>
public sealed class AuditReviewPreparationJob(AuditReviewPreparer preparer)
{
    public Task RunAsync(int reviewId, CancellationToken cancellationToken) => preparer.PrepareAsync(reviewId, cancellationToken);
}

/// <summary>
/// Daily: mails the officers and Administrators about every review still unsigned <see cref="AuditReviewSettings.OverdueDays"/>
/// days after it was prepared, at most once per calendar day (in the review zone) per review, and audits each reminder.
/// </summary>
public sealed class AuditReviewReminderJob(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditReviewSettingsStore settingsStore,
    AuditReviewMailer mailer,
    IAuditLog auditLog,
    TimeProvider clock) : IRecurringJob
{
    public const string JobId = "audit-review-overdue-reminder";

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var settings = await settingsStore.GetAsync(cancellationToken);
        var zone = settings.Zone;
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var waiting = await db.Set<AuditReview>()
            .Where(r => r.State == AuditReviewState.Ready || r.State == AuditReviewState.InReview)
            .ToListAsync(cancellationToken);
        foreach (var review in waiting.Where(r => r.IsOverdue(now, settings.OverdueDays)))
        {
            if (review.LastReminderAtUtc is { } last && DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(last, zone)) >= today)
            {
                continue;
            }
            review.LastReminderAtUtc = now;
            review.ReminderCount++;
            await db.SaveChangesAsync(cancellationToken);
            await mailer.SendOverdueAsync(review, settings.OverdueDays, cancellationToken);
            await auditLog.WriteAsync(new AuditRecord(AuditActions.AuditReviewOverdueReminded, "AuditReview", AuditReviewPreparer.EntityId(review),
                AuditParameters.Of(
                    ("month", review.Month),
                    ("days", settings.OverdueDays.ToString(CultureInfo.InvariantCulture)),
                    ("reminder", review.ReminderCount.ToString(CultureInfo.InvariantCulture)))) { Actor = AuditActor.System }, cancellationToken);
        }
    }
}
