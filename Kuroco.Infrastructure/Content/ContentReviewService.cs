using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// Submit, approve and reject. An approval covers the working copy as it is: any later save resets the
/// item to "not reviewed", so only approved content can be published. Each step is kept in the item's
/// review history and audited.
/// </summary>
internal sealed class ContentReviewService(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock) : IContentReviewService
{
    public Task<Result<ContentItem>> SubmitAsync(Guid itemId, string? comment, CancellationToken cancellationToken = default) =>
        StepAsync(itemId, comment, ReviewAction.Submitted, cancellationToken);

    public Task<Result<ContentItem>> ApproveAsync(Guid itemId, string? comment, CancellationToken cancellationToken = default) =>
        StepAsync(itemId, comment, ReviewAction.Approved, cancellationToken);

    public Task<Result<ContentItem>> RejectAsync(Guid itemId, string? comment, CancellationToken cancellationToken = default) =>
        StepAsync(itemId, comment, ReviewAction.Rejected, cancellationToken);

    public async Task<bool> CanReviewAsync(ContentType type, CancellationToken cancellationToken = default)
    {
        var actor = await auditContext.GetActorAsync();
        return ContentReviewRules.CanReview(type, actor.Name, actor.Roles);
    }

    public async Task<IReadOnlyList<ContentReview>> HistoryAsync(Guid itemId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ContentReviews.AsNoTracking().Where(r => r.ItemId == itemId)
            .OrderByDescending(r => r.AtUtc).ThenByDescending(r => r.Id).ToListAsync(cancellationToken);
    }

    private async Task<Result<ContentItem>> StepAsync(Guid itemId, string? comment, ReviewAction action, CancellationToken cancellationToken)
    {
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (comment is { Length: > ContentReview.CommentMaxLength })
        {
            return Result<ContentItem>.Invalid([new FieldError("Comment", ContentMessages.Format("Content.Review.CommentTooLong", ContentReview.CommentMaxLength))]);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var item = await db.ContentItems.FirstOrDefaultAsync(i => i.Id == itemId && i.DeletedAtUtc == null, cancellationToken);
        if (item is null)
        {
            return Result<ContentItem>.NotFound(ContentMessages.Get("Content.Item.NotFound"));
        }
        var type = await db.ContentTypes.AsNoTracking().FirstAsync(t => t.Id == item.TypeId, cancellationToken);
        if (!type.RequiresApproval)
        {
            return Result<ContentItem>.Conflict(ContentMessages.Get("Content.Review.NotEnabled"));
        }
        var actor = await auditContext.GetActorAsync();
        switch (action)
        {
            case ReviewAction.Submitted when item.ReviewState == ReviewState.Pending:
                return Result<ContentItem>.Conflict(ContentMessages.Get("Content.Review.AlreadyPending"));
            case ReviewAction.Approved or ReviewAction.Rejected when !ContentReviewRules.CanReview(type, actor.Name, actor.Roles):
                return Result<ContentItem>.Forbidden(ContentMessages.Get("Content.Review.NotReviewer"));
            case ReviewAction.Approved or ReviewAction.Rejected when item.ReviewState != ReviewState.Pending:
                return Result<ContentItem>.Conflict(ContentMessages.Get("Content.Review.NotPending"));
            case ReviewAction.Rejected when comment is null:
                return Result<ContentItem>.Invalid([new FieldError("Comment", ContentMessages.Get("Content.Review.CommentRequired"))]);
        }
        var before = item.ReviewState;
        var now = clock.GetUtcNow().UtcDateTime;
        item.ReviewState = action switch
        {
            ReviewAction.Submitted => ReviewState.Pending,
            ReviewAction.Approved => ReviewState.Approved,
            _ => ReviewState.Rejected,
        };
        // The review state is not content: the editor's concurrency token stays, so their open page can still publish.
        db.ContentReviews.Add(new ContentReview
        {
            ItemId = item.Id,
            Action = action,
            VersionNumber = item.VersionCount,
            Comment = comment,
            By = actor.Name.Length > 256 ? actor.Name[..256] : actor.Name,
            AtUtc = now,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The editor saved meanwhile: what was reviewed is no longer the working copy.
            return Result<ContentItem>.Conflict(ContentMessages.Get("Content.Review.NotPending"));
        }
        var code = action switch
        {
            ReviewAction.Submitted => AuditActions.ContentReviewSubmitted,
            ReviewAction.Approved => AuditActions.ContentReviewApproved,
            _ => AuditActions.ContentReviewRejected,
        };
        await audit.WriteAsync(new AuditRecord(code, AuditEntityTypes.ContentItem, item.Id.ToString(),
            ContentAudit.Item(item, ("version", item.VersionCount.ToString(CultureInfo.InvariantCulture))), AuditOutcome.Success,
            [new FieldChange("ReviewState", before.ToString(), item.ReviewState.ToString()), new FieldChange("Comment", null, comment)]), cancellationToken);
        return Result.Ok(item);
    }
}
