using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// Bulk actions in batches of <see cref="IMemberBulkActions.BatchSize"/>: each batch is one transaction of set-based
/// statements and one audit entry listing the members it changed (not one entry per member: 10,000 audit writes would take
/// most of a minute). A batch that fails leaves the batches before it done and itself undone.
/// </summary>
internal sealed class MemberBulkActions(IDbContextFactory<KurocoDbContext> contexts, MemberAuditWriter audit, TimeProvider clock) : IMemberBulkActions
{
    public async Task<Result<MemberBulkOutcome>> AddToGroupAsync(MemberSelection selection, Guid groupId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var group = await db.MemberGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == groupId, cancellationToken);
        if (group is null)
        {
            return Result<MemberBulkOutcome>.NotFound(MemberConsoleMessages.Get("Members.GroupNotFound"));
        }
        var selected = await ResolveAsync(db, selection, cancellationToken);
        if (!selected.TryGetValue(out var ids))
        {
            return selected.As<MemberBulkOutcome>();
        }
        var changed = 0;
        var batches = ids.Chunk(IMemberBulkActions.BatchSize).ToList();
        for (var b = 0; b < batches.Count; b++)
        {
            var batch = batches[b];
            var now = clock.GetUtcNow().UtcDateTime;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var already = await db.MemberGroupMemberships.Where(m => m.GroupId == groupId && batch.Contains(m.MemberId)).Select(m => m.MemberId).ToListAsync(cancellationToken);
            // Erased members are not put into groups: nothing of them is left to give access to.
            var adding = await db.Members.Where(m => batch.Contains(m.Id) && !already.Contains(m.Id) && m.Status != MemberStatus.Erased)
                .Select(m => m.Id).ToListAsync(cancellationToken);
            if (adding.Count == 0)
            {
                continue;
            }
            db.MemberGroupMemberships.AddRange(adding.Select(id => new MemberGroupMembership { MemberId = id, GroupId = groupId, AddedAtUtc = now }));
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            await TouchAsync(db, adding, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            changed += adding.Count;
            await audit.WriteBulkAsync(AuditActions.MembersBulkAddedToGroup,
                Batch(adding.Count, b, batches.Count, ids.Count, ("group", MemberAuditWriter.EntityId(groupId))),
                adding, [new FieldChange("Group", null, MemberAuditWriter.EntityId(groupId))], cancellationToken);
        }
        return Result.Ok(new MemberBulkOutcome(ids.Count, changed));
    }

    public async Task<Result<MemberBulkOutcome>> SuspendAsync(MemberSelection selection, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var selected = await ResolveAsync(db, selection, cancellationToken);
        if (!selected.TryGetValue(out var ids))
        {
            return selected.As<MemberBulkOutcome>();
        }
        var changed = 0;
        var batches = ids.Chunk(IMemberBulkActions.BatchSize).ToList();
        for (var b = 0; b < batches.Count; b++)
        {
            var batch = batches[b];
            var now = clock.GetUtcNow().UtcDateTime;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var suspending = await db.Members.Where(m => batch.Contains(m.Id) && (m.Status == MemberStatus.Active || m.Status == MemberStatus.PendingVerification))
                .Select(m => m.Id).ToListAsync(cancellationToken);
            if (suspending.Count == 0)
            {
                continue;
            }
            // One new stamp for the batch: it only has to differ from every stamp a token was issued with.
            var stamp = Guid.NewGuid().ToString("N");
            var token = Guid.NewGuid();
            await db.Members.Where(m => suspending.Contains(m.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, MemberStatus.Suspended)
                .SetProperty(m => m.SecurityStamp, stamp)
                .SetProperty(m => m.ConcurrencyToken, token)
                .SetProperty(m => m.UpdatedAtUtc, now), cancellationToken);
            await db.MemberRefreshTokens.Where(t => suspending.Contains(t.MemberId) && t.RevokedAtUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAtUtc, now), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            changed += suspending.Count;
            await audit.WriteBulkAsync(AuditActions.MembersBulkSuspended,
                Batch(suspending.Count, b, batches.Count, ids.Count),
                suspending, [new FieldChange("Status", null, nameof(MemberStatus.Suspended)), new FieldChange("SecurityStamp", null, "renewed")], cancellationToken);
        }
        return Result.Ok(new MemberBulkOutcome(ids.Count, changed));
    }

    /// <summary>The ids a selection covers (existing members only), or why there are none to act on.</summary>
    private async Task<Result<List<Guid>>> ResolveAsync(KurocoDbContext db, MemberSelection selection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        List<Guid> ids;
        if (selection.Ids is { } picked)
        {
            if (picked.Count > MemberSelection.MaxMembers)
            {
                return TooLarge();
            }
            var wanted = picked.Distinct().ToList();
            ids = [];
            foreach (var chunk in wanted.Chunk(IMemberBulkActions.BatchSize))
            {
                ids.AddRange(await db.Members.Where(m => chunk.Contains(m.Id)).Select(m => m.Id).ToListAsync(cancellationToken));
            }
        }
        else
        {
            var source = await MemberListQueries.FilterAsync(db, selection.Filter ?? MemberListFilter.None, clock.GetUtcNow().UtcDateTime, cancellationToken);
            ids = await source.Count.Select(m => m.Id).Take(MemberSelection.MaxMembers + 1).ToListAsync(cancellationToken);
            if (ids.Count > MemberSelection.MaxMembers)
            {
                return TooLarge();
            }
        }
        return ids.Count == 0 ? Result<List<Guid>>.Invalid(MemberConsoleMessages.Get("Members.SelectionEmpty")) : Result.Ok(ids);
    }

    /// <summary>A member's groups changed: its concurrency token moves on (a page open on it must reload before saving).</summary>
    private static Task<int> TouchAsync(KurocoDbContext db, List<Guid> ids, DateTime now, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid();
        return db.Members.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.ConcurrencyToken, token)
            .SetProperty(m => m.UpdatedAtUtc, now), cancellationToken);
    }

    private static Result<List<Guid>> TooLarge() =>
        Result<List<Guid>>.TooLarge(MemberConsoleMessages.Format("Members.SelectionTooLarge", MemberSelection.MaxMembers));

    /// <summary>The parameters of one batch's entry: how many changed, which batch of how many, how many were selected.</summary>
    private static IReadOnlyDictionary<string, string?> Batch(int changed, int batch, int batches, int selected, params ReadOnlySpan<(string Name, string? Value)> more) =>
        AuditParameters.Of([
            ("count", changed.ToString(CultureInfo.InvariantCulture)),
            ("batch", (batch + 1).ToString(CultureInfo.InvariantCulture)),
            ("batches", batches.ToString(CultureInfo.InvariantCulture)),
            ("selected", selected.ToString(CultureInfo.InvariantCulture)),
            .. more,
        ]);
}
