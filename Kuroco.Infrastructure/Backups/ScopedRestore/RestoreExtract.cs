using System.Text.RegularExpressions;
using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Core.Media;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Members;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Backups.ScopedRestore;

/// <summary>
/// The records of a scope as they were in the backup, with their dependants: a member with its group memberships, consents
/// and password history (its custom profile values live in the row); a group with its members; a content type with all its
/// items; an item with its versions, reviews and the media its values name; a media item. Sessions, one-time tokens and the
/// sign-in history are never extracted (see <see cref="ScopedRestoreService"/>).
/// </summary>
internal sealed partial class RestoreExtract
{
    public Dictionary<Guid, Member> Members { get; } = [];
    public List<MemberGroupMembership> Memberships { get; } = [];
    public List<MemberConsent> Consents { get; } = [];
    public List<MemberPasswordHistoryEntry> PasswordHistory { get; } = [];

    /// <summary>Groups in scope (a MemberGroup target); a member's other groups are only referenced.</summary>
    public Dictionary<Guid, MemberGroup> Groups { get; } = [];

    /// <summary>Types in scope (a ContentType target).</summary>
    public Dictionary<Guid, ContentType> Types { get; } = [];

    /// <summary>The backup's type of every extracted item (in scope or not).</summary>
    public Dictionary<Guid, ContentType> ItemTypes { get; } = [];
    public Dictionary<Guid, ContentItem> Items { get; } = [];
    public List<ContentVersion> Versions { get; } = [];
    public List<ContentReview> Reviews { get; } = [];
    public Dictionary<Guid, MediaItem> Media { get; } = [];

    public static async Task<Result<RestoreExtract>> ReadAsync(KurocoDbContext backup, RestoreScope scope, CancellationToken cancellationToken)
    {
        if (scope.Targets.Count == 0)
        {
            return Result<RestoreExtract>.Invalid(ScopedRestoreMessages.Get("Restore.EmptyScope"));
        }
        var extract = new RestoreExtract();
        var missing = new List<string>();
        foreach (var target in scope.Targets)
        {
            if (target.Kind != RestoreTargetKind.ContentType && !Guid.TryParse(target.Key, out _))
            {
                return Result<RestoreExtract>.Invalid(ScopedRestoreMessages.Format("Restore.BadTargetKey", target.Key));
            }
            var found = target.Kind switch
            {
                RestoreTargetKind.Member => await extract.AddMemberAsync(backup, Guid.Parse(target.Key), cancellationToken),
                RestoreTargetKind.MemberGroup => await extract.AddGroupAsync(backup, Guid.Parse(target.Key), cancellationToken),
                RestoreTargetKind.ContentType => await extract.AddTypeAsync(backup, target.Key, cancellationToken),
                RestoreTargetKind.ContentItem => await extract.AddItemAsync(backup, Guid.Parse(target.Key), cancellationToken),
                RestoreTargetKind.MediaItem => await extract.AddMediaAsync(backup, [Guid.Parse(target.Key)], cancellationToken) > 0,
                _ => false,
            };
            if (!found)
            {
                missing.Add(target.Kind + " " + target.Key);
            }
        }
        if (missing.Count > 0)
        {
            return Result<RestoreExtract>.NotFound(ScopedRestoreMessages.Format("Restore.TargetNotInBackup", string.Join(", ", missing)));
        }
        return Result.Ok(extract);
    }

    private async Task<bool> AddMemberAsync(KurocoDbContext backup, Guid id, CancellationToken cancellationToken)
    {
        if (Members.ContainsKey(id))
        {
            return true;
        }
        var member = await backup.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (member is null)
        {
            return false;
        }
        Members[id] = member;
        Memberships.AddRange(await backup.MemberGroupMemberships.AsNoTracking().Where(m => m.MemberId == id).OrderBy(m => m.GroupId).ToListAsync(cancellationToken));
        Consents.AddRange(await backup.MemberConsents.AsNoTracking().Where(c => c.MemberId == id).OrderBy(c => c.Id).ToListAsync(cancellationToken));
        PasswordHistory.AddRange(await backup.Set<MemberPasswordHistoryEntry>().AsNoTracking().Where(h => h.MemberId == id).OrderBy(h => h.Id).ToListAsync(cancellationToken));
        return true;
    }

    private async Task<bool> AddGroupAsync(KurocoDbContext backup, Guid id, CancellationToken cancellationToken)
    {
        var group = await backup.MemberGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (group is null)
        {
            return false;
        }
        Groups[id] = group;
        var memberIds = await backup.MemberGroupMemberships.AsNoTracking().Where(m => m.GroupId == id).Select(m => m.MemberId).OrderBy(m => m).ToListAsync(cancellationToken);
        foreach (var memberId in memberIds)
        {
            await AddMemberAsync(backup, memberId, cancellationToken);
        }
        return true;
    }

    private async Task<bool> AddTypeAsync(KurocoDbContext backup, string apiId, CancellationToken cancellationToken)
    {
        var type = await backup.ContentTypes.AsNoTracking().FirstOrDefaultAsync(t => t.ApiId == apiId, cancellationToken);
        if (type is null)
        {
            return false;
        }
        Types[type.Id] = type;
        ItemTypes[type.Id] = type;
        var itemIds = await backup.ContentItems.AsNoTracking().Where(i => i.TypeId == type.Id).OrderBy(i => i.Slug).Select(i => i.Id).ToListAsync(cancellationToken);
        foreach (var itemId in itemIds)
        {
            await AddItemAsync(backup, itemId, cancellationToken);
        }
        return true;
    }

    private async Task<bool> AddItemAsync(KurocoDbContext backup, Guid id, CancellationToken cancellationToken)
    {
        if (Items.ContainsKey(id))
        {
            return true;
        }
        var item = await backup.ContentItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (item is null)
        {
            return false;
        }
        Items[id] = item;
        if (!ItemTypes.ContainsKey(item.TypeId)
            && await backup.ContentTypes.AsNoTracking().FirstOrDefaultAsync(t => t.Id == item.TypeId, cancellationToken) is { } type)
        {
            ItemTypes[type.Id] = type;
        }
        Versions.AddRange(await backup.ContentVersions.AsNoTracking().Where(v => v.ItemId == id).OrderBy(v => v.Number).ToListAsync(cancellationToken));
        Reviews.AddRange(await backup.ContentReviews.AsNoTracking().Where(r => r.ItemId == id).OrderBy(r => r.Id).ToListAsync(cancellationToken));
        // Media fields hold the media item's id; a GUID's text cannot occur by accident (as ContentMediaUsageProvider reads them).
        var named = new[] { item.ValuesJa, item.ValuesEn, item.PublishedJa, item.PublishedEn }
            .SelectMany(v => GuidText().Matches(v ?? "").Select(m => Guid.Parse(m.Value)))
            .Distinct().ToList();
        await AddMediaAsync(backup, named, cancellationToken);
        return true;
    }

    private async Task<int> AddMediaAsync(KurocoDbContext backup, List<Guid> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Where(id => !Media.ContainsKey(id)).ToList();
        var found = wanted.Count == 0 ? [] : await backup.MediaItems.AsNoTracking().Where(m => wanted.Contains(m.Id)).ToListAsync(cancellationToken);
        foreach (var media in found)
        {
            Media[media.Id] = media;
        }
        return ids.Count(Media.ContainsKey);
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidText();
}
