using System.Globalization;
using System.Text.Json;
using Kuroco.Core.Backups;
using Kuroco.Core.Content;
using Kuroco.Core.Media;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Media;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Backups.ScopedRestore;

/// <summary>
/// Compares an extract with live data, record by record: Add, Overwrite (the fields that differ, as display text), Unchanged
/// or Conflict. A record deleted and created again live (a new id) is another record: the backup's one is added, and its
/// email, slug or name meets the new one as a conflict. Pure reads; the same planner runs for the preview and again inside
/// the apply's transaction, so the two can be compared.
/// </summary>
internal sealed class RestorePlanner(KurocoDbContext live, RestoreExtract extract, MediaFileStore files)
{
    private const int ShortLength = 200;

    private readonly List<RestoreRecordDiff> records = [];

    public static string MemberKey(Guid id) => "member:" + Id(id);
    public static string MembershipKey(Guid memberId, Guid groupId) => "membership:" + Id(memberId) + ":" + Id(groupId);
    public static string GroupKey(Guid id) => "member-group:" + Id(id);
    public static string TypeKey(Guid id) => "content-type:" + Id(id);
    public static string ItemKey(Guid id) => "content:" + Id(id);
    public static string VersionKey(long id) => "content-version:" + id.ToString(CultureInfo.InvariantCulture);
    public static string MediaKey(Guid id) => "media:" + Id(id);

    public static string Id(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    public async Task<List<RestoreRecordDiff>> PlanAsync(CancellationToken cancellationToken)
    {
        foreach (var group in extract.Groups.Values.OrderBy(g => g.NameJa, StringComparer.Ordinal))
        {
            await PlanGroupAsync(group, cancellationToken);
        }
        var liveGroups = await live.MemberGroups.AsNoTracking().ToDictionaryAsync(g => g.Id, cancellationToken);
        foreach (var member in extract.Members.Values.OrderBy(m => m.NormalizedEmail, StringComparer.Ordinal))
        {
            await PlanMemberAsync(member, liveGroups, cancellationToken);
        }
        foreach (var type in extract.Types.Values.OrderBy(t => t.ApiId, StringComparer.Ordinal))
        {
            await PlanTypeAsync(type, cancellationToken);
        }
        foreach (var item in extract.Items.Values.OrderBy(i => i.TypeApiId, StringComparer.Ordinal).ThenBy(i => i.Slug, StringComparer.Ordinal))
        {
            await PlanItemAsync(item, cancellationToken);
        }
        foreach (var media in extract.Media.Values.OrderBy(m => m.Id))
        {
            await PlanMediaAsync(media, cancellationToken);
        }
        return records;
    }

    private async Task PlanGroupAsync(MemberGroup backup, CancellationToken cancellationToken)
    {
        var current = await live.MemberGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == backup.Id, cancellationToken);
        var taken = await GroupNameOwnerAsync(live, backup.NameJa, backup.NameEn, backup.Id, cancellationToken);
        var fields = Compare(current is null ? null : GroupValues(current), GroupValues(backup));
        var name = backup.NameJa.Length > 0 ? backup.NameJa + " / " + backup.NameEn : backup.NameEn;
        Add(GroupKey(backup.Id), RestoreEntityTypes.MemberGroup, Id(backup.Id), name, current, fields, null,
            taken is null ? null : RestoreConflictCodes.GroupNameTaken, taken is { } other ? Id(other) : null);
    }

    public static async Task<Guid?> GroupNameOwnerAsync(KurocoDbContext db, string nameJa, string nameEn, Guid exceptId, CancellationToken cancellationToken)
    {
        var others = await db.MemberGroups.AsNoTracking().Where(g => g.Id != exceptId).Select(g => new { g.Id, g.NameJa, g.NameEn }).ToListAsync(cancellationToken);
        return others.FirstOrDefault(o =>
            (nameJa.Length > 0 && string.Equals(o.NameJa, nameJa, StringComparison.OrdinalIgnoreCase))
            || (nameEn.Length > 0 && string.Equals(o.NameEn, nameEn, StringComparison.OrdinalIgnoreCase)))?.Id;
    }

    private async Task PlanMemberAsync(Member backup, Dictionary<Guid, MemberGroup> liveGroups, CancellationToken cancellationToken)
    {
        var key = MemberKey(backup.Id);
        var current = await live.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == backup.Id, cancellationToken);
        var normalized = MemberText.NormalizeEmail(backup.Email);
        var owner = await live.Members.AsNoTracking().Where(m => m.NormalizedEmail == normalized && m.Id != backup.Id)
            .Select(m => (Guid?)m.Id).FirstOrDefaultAsync(cancellationToken);
        var fields = Compare(current is null ? null : MemberValues(current), MemberValues(backup));
        if (current is { Status: MemberStatus.Erased } && backup.Status != MemberStatus.Erased)
        {
            records.Add(new RestoreRecordDiff(key, RestoreEntityTypes.Member, Id(backup.Id), backup.Email, RestoreChangeKind.Conflict, fields, null,
                RestoreConflictCodes.MemberErased, null));
        }
        else
        {
            Add(key, RestoreEntityTypes.Member, Id(backup.Id), backup.Email, current, fields, null,
                owner is null ? null : RestoreConflictCodes.EmailTaken, owner is { } o ? Id(o) : null);
        }
        var liveMemberships = current is null ? [] : await live.MemberGroupMemberships.AsNoTracking()
            .Where(m => m.MemberId == backup.Id).Select(m => m.GroupId).ToListAsync(cancellationToken);
        foreach (var membership in extract.Memberships.Where(m => m.MemberId == backup.Id))
        {
            // Only to groups that exist live or come back with this restore; a membership of a group deleted since is dropped.
            var group = extract.Groups.GetValueOrDefault(membership.GroupId) ?? liveGroups.GetValueOrDefault(membership.GroupId);
            if (group is null)
            {
                continue;
            }
            var has = liveMemberships.Contains(membership.GroupId);
            records.Add(new RestoreRecordDiff(MembershipKey(backup.Id, membership.GroupId), RestoreEntityTypes.Membership,
                Id(backup.Id) + ":" + Id(membership.GroupId), group.NameJa.Length > 0 ? group.NameJa + " / " + group.NameEn : group.NameEn,
                has ? RestoreChangeKind.Unchanged : RestoreChangeKind.Add, [], key, null, null));
        }
    }

    private async Task PlanTypeAsync(ContentType backup, CancellationToken cancellationToken)
    {
        var current = await live.ContentTypes.AsNoTracking().FirstOrDefaultAsync(t => t.Id == backup.Id, cancellationToken);
        var owner = await live.ContentTypes.AsNoTracking().Where(t => t.ApiId == backup.ApiId && t.Id != backup.Id)
            .Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken);
        var fields = Compare(current is null ? null : TypeValues(current), TypeValues(backup));
        if (owner is { } other)
        {
            records.Add(new RestoreRecordDiff(TypeKey(backup.Id), RestoreEntityTypes.ContentType, Id(backup.Id), backup.Name,
                RestoreChangeKind.Conflict, fields, null, RestoreConflictCodes.TypeKeyTaken, Id(other)));
            return;
        }
        Add(TypeKey(backup.Id), RestoreEntityTypes.ContentType, Id(backup.Id), backup.Name, current, fields, null, null, null);
    }

    private async Task PlanItemAsync(ContentItem backup, CancellationToken cancellationToken)
    {
        var key = ItemKey(backup.Id);
        var name = backup.TypeApiId + "/" + backup.Slug;
        var current = await live.ContentItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == backup.Id, cancellationToken);
        var liveType = await live.ContentTypes.AsNoTracking().FirstOrDefaultAsync(t => t.Id == backup.TypeId, cancellationToken);
        var fields = Compare(current is null ? null : ItemValues(current), ItemValues(backup));
        if (liveType is null && !extract.Types.ContainsKey(backup.TypeId))
        {
            records.Add(new RestoreRecordDiff(key, RestoreEntityTypes.ContentItem, Id(backup.Id), name, RestoreChangeKind.Conflict, fields, null,
                RestoreConflictCodes.TypeMissing, null));
        }
        else
        {
            var apiId = liveType?.ApiId ?? backup.TypeApiId;
            var owner = await SlugOwnerAsync(live, backup.TypeId, apiId, backup.Slug, backup.Id, cancellationToken);
            Add(key, RestoreEntityTypes.ContentItem, Id(backup.Id), name, current, fields, null,
                owner is null ? null : RestoreConflictCodes.SlugTaken, owner is { } o ? Id(o) : null);
        }
        var liveNumbers = current is null ? [] : await live.ContentVersions.AsNoTracking().Where(v => v.ItemId == backup.Id)
            .Select(v => v.Number).ToListAsync(cancellationToken);
        foreach (var version in extract.Versions.Where(v => v.ItemId == backup.Id))
        {
            records.Add(new RestoreRecordDiff(VersionKey(version.Id), RestoreEntityTypes.ContentVersion,
                version.Id.ToString(CultureInfo.InvariantCulture), "v" + version.Number.ToString(CultureInfo.InvariantCulture) + " " + version.Note,
                liveNumbers.Contains(version.Number) ? RestoreChangeKind.Unchanged : RestoreChangeKind.Add, [], key, null, null));
        }
    }

    public static Task<Guid?> SlugOwnerAsync(KurocoDbContext db, Guid typeId, string typeApiId, string slug, Guid exceptId, CancellationToken cancellationToken) =>
        db.ContentItems.AsNoTracking()
            .Where(i => (i.TypeId == typeId || i.TypeApiId == typeApiId) && i.Slug == slug && i.Id != exceptId)
            .Select(i => (Guid?)i.Id).FirstOrDefaultAsync(cancellationToken);

    private async Task PlanMediaAsync(MediaItem backup, CancellationToken cancellationToken)
    {
        var current = await live.MediaItems.AsNoTracking().FirstOrDefaultAsync(m => m.Id == backup.Id, cancellationToken);
        var fields = Compare(current is null ? null : MediaValues(current, LiveFileHash(current)), MediaValues(backup, backup.Sha256));
        var parent = extract.Items.Values.FirstOrDefault(i => Mentions(i, backup.Id)) is { } item ? ItemKey(item.Id) : null;
        Add(MediaKey(backup.Id), RestoreEntityTypes.MediaItem, Id(backup.Id), backup.OriginalFileName, current, fields, parent, null, null);
    }

    /// <summary>The live file's hash as far as a cheap check tells: the row's hash when the file is there with the row's size, else null.</summary>
    public string? LiveFileHash(MediaItem current)
    {
        var info = new FileInfo(files.PathFor(current.Id));
        return info.Exists && info.Length == current.SizeBytes ? current.Sha256 : null;
    }

    private static bool Mentions(ContentItem item, Guid mediaId)
    {
        var text = Id(mediaId);
        return new[] { item.ValuesJa, item.ValuesEn, item.PublishedJa, item.PublishedEn }
            .Any(v => v?.Contains(text, StringComparison.OrdinalIgnoreCase) == true);
    }

    private void Add(string key, string entityType, string id, string name, object? current, List<RestoreFieldChange> fields, string? parent,
        string? conflict, string? detail)
    {
        var change = conflict is not null && (current is null || fields.Count > 0) ? RestoreChangeKind.Conflict
            : current is null ? RestoreChangeKind.Add
            : fields.Count == 0 ? RestoreChangeKind.Unchanged
            : RestoreChangeKind.Overwrite;
        records.Add(new RestoreRecordDiff(key, entityType, id, name, change, fields, parent,
            change == RestoreChangeKind.Conflict ? conflict : null, change == RestoreChangeKind.Conflict ? detail : null));
    }

    /// <summary>The fields whose text differs (all of the backup's, when there is no live record), in the backup's order.</summary>
    private static List<RestoreFieldChange> Compare(List<(string Field, string? Value)>? current, List<(string Field, string? Value)> backup)
    {
        var live = current?.GroupBy(f => f.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        var changes = new List<RestoreFieldChange>();
        foreach (var (field, value) in backup)
        {
            if (live is null)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    changes.Add(new RestoreFieldChange(field, null, Short(value)));
                }
                continue;
            }
            var was = live.GetValueOrDefault(field);
            if (!string.Equals(was ?? "", value ?? "", StringComparison.Ordinal))
            {
                changes.Add(new RestoreFieldChange(field, Short(was), Short(value)));
            }
        }
        if (live is not null)
        {
            var named = backup.Select(f => f.Field).ToHashSet(StringComparer.Ordinal);
            changes.AddRange(live.Where(f => !named.Contains(f.Key) && !string.IsNullOrEmpty(f.Value))
                .Select(f => new RestoreFieldChange(f.Key, Short(f.Value), null)));
        }
        return changes;
    }

    public static List<(string Field, string? Value)> GroupValues(MemberGroup g) =>
        [(nameof(MemberGroup.NameJa), g.NameJa), (nameof(MemberGroup.NameEn), g.NameEn)];

    public static List<(string Field, string? Value)> MemberValues(Member m)
    {
        List<(string, string?)> values =
        [
            (nameof(Member.Email), m.Email),
            (nameof(Member.DisplayName), m.DisplayName),
            (nameof(Member.NameKana), m.NameKana),
            (nameof(Member.Language), m.Language),
            (nameof(Member.Status), m.Status.ToString()),
            (nameof(Member.EmailVerifiedAtUtc), Text(m.EmailVerifiedAtUtc)),
        ];
        values.AddRange(Json(m.ProfileJson).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => ("Profile." + p.Key, p.Value)));
        return values;
    }

    public static List<(string Field, string? Value)> TypeValues(ContentType t) =>
    [
        (nameof(ContentType.Name), t.Name),
        (nameof(ContentType.Description), t.Description),
        (nameof(ContentType.Fields), JsonSerializer.Serialize(t.Fields.Select(f => new { f.Key, f.Kind, f.LabelJa, f.LabelEn, f.Required, f.IsArchived }))),
    ];

    public static List<(string Field, string? Value)> ItemValues(ContentItem i)
    {
        List<(string, string?)> values =
        [
            (nameof(ContentItem.Slug), i.Slug),
            (nameof(ContentItem.Title), i.Title),
            (nameof(ContentItem.Status), i.Status.ToString()),
            (nameof(ContentItem.PublishedAtUtc), Text(i.PublishedAtUtc)),
            (nameof(ContentItem.PublishAtUtc), Text(i.PublishAtUtc)),
            (nameof(ContentItem.UnpublishAtUtc), Text(i.UnpublishAtUtc)),
            (nameof(ContentItem.DeletedAtUtc), Text(i.DeletedAtUtc)),
            (nameof(ContentItem.RestrictedToGroups), string.Join(",", i.RestrictedToGroups.Order().Select(Id))),
        ];
        void Values(string prefix, string? json) =>
            values.AddRange(Json(json).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (prefix + p.Key, p.Value)));
        Values("ja.", i.ValuesJa);
        Values("en.", i.ValuesEn);
        Values("published.ja.", i.PublishedJa);
        Values("published.en.", i.PublishedEn);
        return values;
    }

    public static List<(string Field, string? Value)> MediaValues(MediaItem m, string? fileHash) =>
    [
        (nameof(MediaItem.OriginalFileName), m.OriginalFileName),
        (nameof(MediaItem.ContentType), m.ContentType),
        (nameof(MediaItem.SizeBytes), m.SizeBytes.ToString(CultureInfo.InvariantCulture)),
        (nameof(MediaItem.Sha256), m.Sha256),
        (nameof(MediaItem.AltTextJa), m.AltTextJa),
        (nameof(MediaItem.AltTextEn), m.AltTextEn),
        (nameof(MediaItem.TitleJa), m.TitleJa),
        (nameof(MediaItem.TitleEn), m.TitleEn),
        (nameof(MediaItem.DeletedAtUtc), Text(m.DeletedAtUtc)),
        ("File", fileHash),
    ];

    private static Dictionary<string, string?> Json(string? json)
    {
        try
        {
            return ContentValues.Parse(json);
        }
        catch (JsonException)
        {
            return new(StringComparer.Ordinal) { [""] = json };
        }
    }

    private static string? Text(DateTime? value) => value?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? Short(string? value) => value is { Length: > ShortLength } ? value[..ShortLength] + "…" : value;
}
