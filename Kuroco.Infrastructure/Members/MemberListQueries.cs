using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// The member list's query path, shared by the list, its count and the bulk actions on "all matching": filters, the
/// search, the index-backed orders and keyset paging. Every order runs along one index of <c>Members</c> in one direction
/// and ends in the id (the email order needs none: the normalized email is unique), so a page is read in index order and a
/// cursor seeks straight to where the previous page ended.
/// </summary>
internal static class MemberListQueries
{
    /// <summary>Above this many matches a page is read by walking the order's index; at or below, the matches are read by id and sorted.</summary>
    public const int FewMatches = 1_000;

    /// <summary>
    /// The members matching <paramref name="filter"/>, in two equivalent forms that SQLite plans differently (it keeps no
    /// statistics): <see cref="MemberListSource.Walk"/> tests each row as a page walks the order's index (cheap when matches
    /// are dense), <see cref="MemberListSource.Count"/> starts from the filter's own index (cheap for counting and for reading
    /// few matches). The search is resolved through <see cref="MemberSearchIndex"/>.
    /// </summary>
    public static async Task<MemberListSource> FilterAsync(KurocoDbContext db, MemberListFilter filter, DateTime nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var walk = db.Members.AsNoTracking();
        var count = walk;
        int? knownTotal = null;
        var terms = filter.SearchTerms();
        if (terms.Count > 0)
        {
            var searchOnly = filter with { Search = null } == MemberListFilter.None;
            var indexed = await MemberSearchIndex.FindAsync(db, terms, countAll: searchOnly, cancellationToken);
            if (indexed?.Ids is { } ids)
            {
                // Few hits: read them by id and sort just those.
                walk = walk.Where(m => EF.Parameter(ids).Contains(m.Id));
                count = count.Where(m => EF.Parameter(ids).Contains(m.Id));
            }
            else
            {
                // Many hits, or no index for these words: a substring test per row (dense hits fill a walked page fast).
                foreach (var term in terms)
                {
                    walk = walk.Where(m => m.SearchText.Contains(term));
                    // "<> ''" lets SQLite count through the narrow partial index IX_Members_SearchText instead of reading the table.
                    count = count.Where(m => m.SearchText != "" && m.SearchText.Contains(term));
                }
                knownTotal = indexed?.Total;
            }
        }
        if (filter.GroupId is { } groupId)
        {
            walk = walk.Where(m => m.Groups.Any(g => g.GroupId == groupId));
            // Counted from the group's side: its index lists the members, each looked up once.
            count = count.Where(m => db.MemberGroupMemberships.Where(g => g.GroupId == groupId).Select(g => g.MemberId).Contains(m.Id));
        }
        (walk, count) = (Where(walk, filter, nowUtc), Where(count, filter, nowUtc));
        return new MemberListSource(walk, count, knownTotal);
    }

    private static IQueryable<Member> Where(IQueryable<Member> members, MemberListFilter filter, DateTime nowUtc)
    {
        members = filter.Status switch
        {
            null => members,
            MemberListStatus.Locked => members.Where(m => m.LockoutEndUtc > nowUtc),
            MemberListStatus.PendingVerification => members.Where(m => m.Status == MemberStatus.PendingVerification),
            MemberListStatus.Active => members.Where(m => m.Status == MemberStatus.Active),
            MemberListStatus.Suspended => members.Where(m => m.Status == MemberStatus.Suspended),
            _ => members.Where(m => m.Status == MemberStatus.Erased),
        };
        if (filter.SignedUpFromUtc is { } signedUpFrom)
        {
            members = members.Where(m => m.CreatedAtUtc >= signedUpFrom);
        }
        if (filter.SignedUpToUtc is { } signedUpTo)
        {
            members = members.Where(m => m.CreatedAtUtc < signedUpTo);
        }
        if (filter.LastSignInFromUtc is { } lastFrom)
        {
            members = members.Where(m => m.LastSignInAtUtc >= lastFrom);
        }
        if (filter.LastSignInToUtc is { } lastTo)
        {
            members = members.Where(m => m.LastSignInAtUtc < lastTo);
        }
        return members;
    }

    /// <summary>
    /// How many match, and where a page of them is read from: with few matches (at most <see cref="FewMatches"/>), those
    /// members by id (found through the filter's own index, then sorted); otherwise the walking form.
    /// </summary>
    public static async Task<(int Total, IQueryable<Member> Rows)> PlanAsync(KurocoDbContext db, MemberListSource source, CancellationToken cancellationToken)
    {
        var total = source.KnownTotal ?? await source.Count.CountAsync(cancellationToken);
        if (total is 0 or > FewMatches)
        {
            return (total, source.Walk);
        }
        var ids = await source.Count.Select(m => m.Id).Take(FewMatches).ToListAsync(cancellationToken);
        return (total, db.Members.AsNoTracking().Where(m => EF.Parameter(ids).Contains(m.Id)));
    }

    /// <summary>The rows in <paramref name="sort"/>'s order (what offset paging skips through).</summary>
    public static IQueryable<Member> Ordered(IQueryable<Member> members, MemberSort sort) => sort switch
    {
        MemberSort.SignedUpAsc => members.OrderBy(m => m.CreatedAtUtc).ThenBy(m => m.Id),
        MemberSort.LastSignInDesc => members.OrderByDescending(m => m.LastSignInAtUtc).ThenByDescending(m => m.Id),
        MemberSort.LastSignInAsc => members.OrderBy(m => m.LastSignInAtUtc).ThenBy(m => m.Id),
        MemberSort.NameAsc => members.OrderBy(m => m.DisplayName).ThenBy(m => m.Id),
        MemberSort.NameDesc => members.OrderByDescending(m => m.DisplayName).ThenByDescending(m => m.Id),
        MemberSort.EmailAsc => members.OrderBy(m => m.NormalizedEmail),
        MemberSort.EmailDesc => members.OrderByDescending(m => m.NormalizedEmail),
        _ => members.OrderByDescending(m => m.CreatedAtUtc).ThenByDescending(m => m.Id),
    };

    /// <summary>
    /// Up to <paramref name="size"/> rows after <paramref name="cursor"/> in <paramref name="sort"/>'s order. Each condition
    /// bounds the order's first column (so the index is entered at the cursor, not read from the start) and breaks ties by id.
    /// A member who never signed in has no last sign-in: those rows come after the others when newest first (and before them
    /// when oldest first), as the database orders NULL, and are read as a second stretch ordered by id.
    /// </summary>
    public static async Task<List<MemberListRow>> PageAfterAsync(IQueryable<Member> members, MemberSort sort, MemberListCursor cursor, int size, CancellationToken cancellationToken)
    {
        var id = cursor.Id;
        switch (sort)
        {
            case MemberSort.SignedUpAsc or MemberSort.SignedUpDesc:
            {
                var at = cursor.At ?? DateTime.MinValue;
                var page = sort == MemberSort.SignedUpDesc
                    ? members.Where(m => m.CreatedAtUtc <= at && (m.CreatedAtUtc < at || m.Id.CompareTo(id) < 0))
                    : members.Where(m => m.CreatedAtUtc >= at && (m.CreatedAtUtc > at || m.Id.CompareTo(id) > 0));
                return await ReadAsync(Ordered(page, sort), size, cancellationToken);
            }
            case MemberSort.NameAsc or MemberSort.NameDesc:
            {
                var name = cursor.Text ?? "";
                var page = sort == MemberSort.NameDesc
                    ? members.Where(m => string.Compare(m.DisplayName, name) <= 0 && (string.Compare(m.DisplayName, name) < 0 || m.Id.CompareTo(id) < 0))
                    : members.Where(m => string.Compare(m.DisplayName, name) >= 0 && (string.Compare(m.DisplayName, name) > 0 || m.Id.CompareTo(id) > 0));
                return await ReadAsync(Ordered(page, sort), size, cancellationToken);
            }
            case MemberSort.EmailAsc or MemberSort.EmailDesc:
            {
                var email = cursor.Text ?? "";
                var page = sort == MemberSort.EmailDesc
                    ? members.Where(m => string.Compare(m.NormalizedEmail, email) < 0)
                    : members.Where(m => string.Compare(m.NormalizedEmail, email) > 0);
                return await ReadAsync(Ordered(page, sort), size, cancellationToken);
            }
            case MemberSort.LastSignInDesc:
            {
                var rows = new List<MemberListRow>();
                if (cursor.At is { } at)
                {
                    rows = await ReadAsync(Ordered(members.Where(m => m.LastSignInAtUtc != null && m.LastSignInAtUtc <= at
                        && (m.LastSignInAtUtc < at || m.Id.CompareTo(id) < 0)), sort), size, cancellationToken);
                    if (rows.Count < size)
                    {
                        rows.AddRange(await ReadAsync(members.Where(m => m.LastSignInAtUtc == null).OrderByDescending(m => m.Id), size - rows.Count, cancellationToken));
                    }
                    return rows;
                }
                return await ReadAsync(members.Where(m => m.LastSignInAtUtc == null && m.Id.CompareTo(id) < 0).OrderByDescending(m => m.Id), size, cancellationToken);
            }
            default:
            {
                // LastSignInAsc: first the members who never signed in (by id), then the others oldest first.
                if (cursor.At is { } at)
                {
                    return await ReadAsync(Ordered(members.Where(m => m.LastSignInAtUtc >= at && (m.LastSignInAtUtc > at || m.Id.CompareTo(id) > 0)), sort), size, cancellationToken);
                }
                var rows = await ReadAsync(members.Where(m => m.LastSignInAtUtc == null && m.Id.CompareTo(id) > 0).OrderBy(m => m.Id), size, cancellationToken);
                if (rows.Count < size)
                {
                    rows.AddRange(await ReadAsync(Ordered(members.Where(m => m.LastSignInAtUtc != null), sort), size - rows.Count, cancellationToken));
                }
                return rows;
            }
        }
    }

    public static Task<List<MemberListRow>> ReadAsync(IQueryable<Member> ordered, int take, CancellationToken cancellationToken) =>
        ordered.Take(take).Select(m => new MemberListRow(m.Id, m.Email, m.DisplayName, m.NameKana, m.Language, m.Status, m.LockoutEndUtc, m.CreatedAtUtc, m.LastSignInAtUtc))
            .ToListAsync(cancellationToken);
}

/// <summary>The members a filter matches, as <see cref="MemberListQueries.FilterAsync"/> plans them; <see cref="KnownTotal"/> when the search index counted them.</summary>
internal sealed record MemberListSource(IQueryable<Member> Walk, IQueryable<Member> Count, int? KnownTotal);

/// <summary>The columns a list page reads.</summary>
internal sealed record MemberListRow(
    Guid Id, string Email, string DisplayName, string? NameKana, string Language, MemberStatus Status, DateTime? LockoutEndUtc, DateTime CreatedAtUtc, DateTime? LastSignInAtUtc);
