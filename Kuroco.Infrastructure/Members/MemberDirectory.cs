using Kuroco.Core.Audit;
using Kuroco.Core.Content;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// Reads members for the console with a short-lived context per call (a Blazor circuit's components may read at once).
/// The list's query path is <see cref="MemberListQueries"/>.
/// </summary>
internal sealed class MemberDirectory(IDbContextFactory<KurocoDbContext> contexts, TimeProvider clock) : IMemberDirectory
{
    public async Task<MemberListPage> ListAsync(MemberListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var source = await MemberListQueries.FilterAsync(db, query.Filter, now, cancellationToken);
        var (total, members) = await MemberListQueries.PlanAsync(db, source, cancellationToken);
        var size = Math.Clamp(query.PageSize, 1, MemberListQuery.MaxPageSize);
        List<MemberListRow> rows;
        bool more;
        if (query.After is { } cursor)
        {
            rows = total == 0 ? [] : await MemberListQueries.PageAfterAsync(members, query.Sort, cursor, size, cancellationToken);
            more = rows.Count == size;
        }
        else
        {
            var skip = (long)Math.Max(0, query.Page) * size;
            // Nothing to read past the end: the page query would otherwise walk the whole index looking for rows the count said are not there.
            rows = skip >= total ? [] : await MemberListQueries.ReadAsync(MemberListQueries.Ordered(members, query.Sort).Skip((int)skip), size, cancellationToken);
            more = skip + rows.Count < total;
        }
        var ids = rows.Select(r => r.Id).ToList();
        var groups = ids.Count == 0
            ? []
            : await db.MemberGroupMemberships.AsNoTracking().Where(g => ids.Contains(g.MemberId))
                .Select(g => new { g.MemberId, g.GroupId }).ToListAsync(cancellationToken);
        var items = rows.Select(r => new MemberListItem(r.Id, r.Email, r.DisplayName, r.NameKana, r.Language, r.Status,
            r.LockoutEndUtc is { } end && end > now, r.CreatedAtUtc, r.LastSignInAtUtc,
            [.. groups.Where(g => g.MemberId == r.Id).Select(g => g.GroupId)])).ToList();
        return new MemberListPage(items, total, more && items.Count > 0 ? MemberListCursor.After(items[^1], query.Sort) : null);
    }

    public async Task<int> CountAsync(MemberListFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var source = await MemberListQueries.FilterAsync(db, filter, clock.GetUtcNow().UtcDateTime, cancellationToken);
        return source.KnownTotal ?? await source.Count.CountAsync(cancellationToken);
    }

    public async Task<MemberDetail?> GetAsync(Guid memberId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var member = await db.Members.AsNoTracking().Include(m => m.Groups).FirstOrDefaultAsync(m => m.Id == memberId, cancellationToken);
        return member is null ? null : ToDetail(member);
    }

    public async Task<IReadOnlyList<MemberSignInRecord>> RecentSignInsAsync(Guid memberId, int count = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.MemberSignIns.AsNoTracking().Where(r => r.MemberId == memberId)
            .OrderByDescending(r => r.AtUtc).ThenByDescending(r => r.Id)
            .Take(Math.Clamp(count, 1, 200)).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> HistoryAsync(Guid memberId, int count = 50, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var take = Math.Clamp(count, 1, 500);
        var id = MemberAuditWriter.EntityId(memberId);
        var own = await db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == MemberAuditWriter.EntityType && e.EntityId == id)
            .OrderByDescending(e => e.Sequence).Take(take).ToListAsync(cancellationToken);
        // Bulk actions write one entry per batch, naming the members it changed in its changes.
        var bulk = await db.AuditEntries.AsNoTracking()
            .Where(e => (e.Action == AuditActions.MembersBulkAddedToGroup || e.Action == AuditActions.MembersBulkSuspended)
                && e.EntityType == MemberAuditWriter.EntityType && e.Changes != null && e.Changes.Contains(id))
            .OrderByDescending(e => e.Sequence).Take(take).ToListAsync(cancellationToken);
        return [.. own.Concat(bulk).OrderByDescending(e => e.Sequence).Take(take)];
    }

    internal static MemberDetail ToDetail(Member member) => new(
        member.Id, member.Email, member.DisplayName, member.NameKana, member.Language, member.Status, member.LockoutEndUtc,
        member.AccessFailedCount, member.PasswordHash is not null, ContentValues.Parse(member.ProfileJson),
        [.. member.Groups.Select(g => g.GroupId)], member.CreatedAtUtc, member.UpdatedAtUtc, member.EmailVerifiedAtUtc,
        member.LastSignInAtUtc, member.ConcurrencyToken);
}
