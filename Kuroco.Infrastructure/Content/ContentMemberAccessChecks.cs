using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// What the content services check and write about a restriction to member groups: that every newly chosen group exists,
/// and the groups by name for the audit log's before/after.
/// </summary>
internal static class ContentMemberAccessChecks
{
    /// <summary>
    /// A validation error on <paramref name="field"/> for the first group of <paramref name="chosen"/> that does not exist, or
    /// null. Groups already in <paramref name="stored"/> are not checked again: a group deleted since stays in the restriction
    /// (it grants nothing) until an editor removes it, so a deletion never turns member-only content public.
    /// </summary>
    public static async Task<FieldError?> UnknownGroupAsync(KurocoDbContext db, IReadOnlyCollection<Guid> chosen, IReadOnlyCollection<Guid>? stored, string field,
        CancellationToken cancellationToken)
    {
        var added = chosen.Except(stored ?? []).Distinct().ToList();
        if (added.Count == 0)
        {
            return null;
        }
        var existing = await db.MemberGroups.AsNoTracking().Where(g => added.Contains(g.Id)).Select(g => g.Id).ToListAsync(cancellationToken);
        var unknown = added.Except(existing).FirstOrDefault();
        return unknown == Guid.Empty ? null : new FieldError(field, ContentMessages.Format("Content.Access.GroupUnknown", unknown));
    }

    /// <summary>"NameJa / NameEn" of each group among <paramref name="ids"/> that exists.</summary>
    public static async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(KurocoDbContext db, IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var list = ids.Distinct().ToList();
        if (list.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }
        var groups = await db.MemberGroups.AsNoTracking().Where(g => list.Contains(g.Id)).Select(g => new { g.Id, g.NameJa, g.NameEn }).ToListAsync(cancellationToken);
        return groups.ToDictionary(g => g.Id, g => string.Join(" / ", new[] { g.NameJa, g.NameEn }.Where(n => !string.IsNullOrWhiteSpace(n))));
    }
}
