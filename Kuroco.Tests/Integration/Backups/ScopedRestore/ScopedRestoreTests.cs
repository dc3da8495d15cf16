using System.Security.Cryptography;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Core.Media;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Content;
using Kuroco.Tests.Integration.Members;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Backups.ScopedRestore;

/// <summary>
/// Scoped restore through the real service and SQLite files: the "backup" is the test app's database copied with the online
/// backup API (CopiedBackupSnapshot), then live data is changed and the scope is previewed and applied.
/// </summary>
public sealed class ScopedRestoreTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    private static readonly Dictionary<string, ConflictResolution> NoResolutions = [];

    private Task<Result<RestorePreview>> PreviewAsync(IBackupSnapshot snapshot, params RestoreTarget[] targets) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IScopedRestoreService>().PreviewAsync(snapshot, new RestoreScope(targets), CancellationToken.None));

    private Task<Result<RestoreApplySummary>> ApplyAsync(IBackupSnapshot snapshot, RestorePreview preview, IReadOnlyDictionary<string, ConflictResolution>? resolutions = null,
        string reference = "RR-2026-0001") =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IScopedRestoreService>().ApplyAsync(snapshot, preview, resolutions ?? NoResolutions, reference, CancellationToken.None));

    private Task DbAsync(Func<KurocoDbContext, Task> change) => factory.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        await change(db);
        await db.SaveChangesAsync();
    });

    private Task<T> ReadAsync<T>(Func<KurocoDbContext, Task<T>> read) => factory.WithScopeAsync(sp => read(sp.GetRequiredService<KurocoDbContext>()));

    private static RestoreTarget Member(Guid id) => new(RestoreTargetKind.Member, id.ToString());

    private static RestoreRecordDiff Record(RestorePreview preview, string key) => Assert.Single(preview.Records, r => r.RecordKey == key);

    [Fact]
    public async Task A_deleted_member_comes_back_with_its_groups_profile_and_password_and_a_second_apply_is_refused_as_stale()
    {
        var kept = await factory.AddGroupAsync();
        var doomed = await factory.AddGroupAsync();
        var member = await factory.AddMemberAsync("Restored Taro", groups: [kept.Id, doomed.Id]);
        await DbAsync(async db =>
        {
            var stored = await db.Members.SingleAsync(m => m.Id == member.Id);
            stored.ProfileJson = "{\"company\":\"Kuroco KK\"}";
            stored.PasswordHash = "hash-of-the-old-password";
            db.MemberConsents.Add(new MemberConsent { MemberId = member.Id, Kind = "terms", Version = "2026-01", GrantedAtUtc = DateTime.UtcNow });
        });
        var backupStamp = await ReadAsync(db => db.Members.Where(m => m.Id == member.Id).Select(m => m.SecurityStamp).SingleAsync());
        await using var snapshot = await CopiedBackupSnapshot.TakeAsync(factory);
        await DbAsync(async db =>
        {
            db.Members.Remove(await db.Members.SingleAsync(m => m.Id == member.Id));
            await db.SaveChangesAsync();
            db.MemberGroups.Remove(await db.MemberGroups.SingleAsync(g => g.Id == doomed.Id));
        });

        var previewed = await PreviewAsync(snapshot, Member(member.Id));

        Assert.True(previewed.Succeeded, previewed.Message);
        var preview = previewed.Value!;
        var memberKey = "member:" + member.Id;
        Assert.Equal(RestoreChangeKind.Add, Record(preview, memberKey).Change);
        Assert.Contains(Record(preview, memberKey).Fields, f => f.Field == "Profile.company" && f.Backup == "Kuroco KK" && f.Live is null);
        var membership = Record(preview, $"membership:{member.Id}:{kept.Id}");
        Assert.Equal((RestoreChangeKind.Add, memberKey), (membership.Change, membership.ParentKey));
        Assert.DoesNotContain(preview.Records, r => r.RecordKey.EndsWith(doomed.Id.ToString(), StringComparison.Ordinal));

        var applied = await ApplyAsync(snapshot, preview);

        Assert.True(applied.Succeeded, applied.Message);
        Assert.Equal(2, applied.Value!.Added);
        Assert.Equal([memberKey, membership.RecordKey], applied.Value.RestoredRecordKeys);
        var restored = await ReadAsync(db => db.Members.AsNoTracking().SingleAsync(m => m.Id == member.Id));
        Assert.Equal((member.Email, "Restored Taro", "{\"company\":\"Kuroco KK\"}", "hash-of-the-old-password"),
            (restored.Email, restored.DisplayName, restored.ProfileJson, restored.PasswordHash));
        Assert.NotEqual(backupStamp, restored.SecurityStamp);
        Assert.Equal([kept.Id], await ReadAsync(db => db.MemberGroupMemberships.Where(m => m.MemberId == member.Id).Select(m => m.GroupId).ToListAsync()));
        Assert.Equal("terms", await ReadAsync(db => db.MemberConsents.Where(c => c.MemberId == member.Id).Select(c => c.Kind).SingleAsync()));
        var entry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.RestoreRecordRestored && e.EntityId == member.Id.ToString());
        Assert.Equal(AuditEntityTypes.Member, entry.EntityType);
        Assert.Equal($"Member {member.Id} restored from backup {snapshot.Manifest.Id} for request RR-2026-0001 (added again, 1 dependent records).", AuditText.English(entry));
        Assert.Equal($"会員 {member.Id} をバックアップ {snapshot.Manifest.Id} から復元しました（依頼 RR-2026-0001、再追加、関連レコード 1 件）。", AuditText.Japanese(entry));

        var again = await ApplyAsync(snapshot, preview);
        Assert.Equal(ErrorKind.PreconditionFailed, again.Error);
        Assert.Contains(memberKey, again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Email_taken_needs_a_resolution_take_backup_is_refused_keep_live_skips_and_rename_adds_an_alias_while_others_overwrite_field_by_field()
    {
        var lost = await factory.AddMemberAsync("Lost Hanako");
        var edited = await factory.AddMemberAsync("Before Edit");
        await using var snapshot = await CopiedBackupSnapshot.TakeAsync(factory);
        await DbAsync(async db =>
        {
            db.Members.Remove(await db.Members.SingleAsync(m => m.Id == lost.Id));
            (await db.Members.SingleAsync(m => m.Id == edited.Id)).DisplayName = "After Edit";
        });
        // Deleted, then registered again: a new member (new id) with the same email.
        var again = await factory.AddMemberAsync("New Hanako", email: lost.Email);

        var preview = (await PreviewAsync(snapshot, Member(lost.Id), Member(edited.Id))).Value!;

        var lostKey = "member:" + lost.Id;
        var conflict = Record(preview, lostKey);
        Assert.Equal((RestoreChangeKind.Conflict, RestoreConflictCodes.EmailTaken, again.Id.ToString()), (conflict.Change, conflict.ConflictCode, conflict.ConflictDetail));
        var overwrite = Record(preview, "member:" + edited.Id);
        Assert.Equal(RestoreChangeKind.Overwrite, overwrite.Change);
        Assert.Equal([new RestoreFieldChange("DisplayName", "After Edit", "Before Edit")], overwrite.Fields);

        var unresolved = await ApplyAsync(snapshot, preview);
        Assert.Equal(ErrorKind.Validation, unresolved.Error);
        Assert.Contains(lostKey, unresolved.Message, StringComparison.Ordinal);
        var takeBackup = await ApplyAsync(snapshot, preview, new Dictionary<string, ConflictResolution> { [lostKey] = ConflictResolution.TakeBackup });
        Assert.Equal(ErrorKind.Validation, takeBackup.Error);
        Assert.Equal("After Edit", await ReadAsync(db => db.Members.Where(m => m.Id == edited.Id).Select(m => m.DisplayName).SingleAsync()));

        var keptLive = await ApplyAsync(snapshot, preview, new Dictionary<string, ConflictResolution> { [lostKey] = ConflictResolution.KeepLive });

        Assert.True(keptLive.Succeeded, keptLive.Message);
        Assert.Equal((0, 1, 1), (keptLive.Value!.Added, keptLive.Value.Overwritten, keptLive.Value.KeptLive));
        Assert.Equal("Before Edit", await ReadAsync(db => db.Members.Where(m => m.Id == edited.Id).Select(m => m.DisplayName).SingleAsync()));
        Assert.False(await ReadAsync(db => db.Members.AnyAsync(m => m.Id == lost.Id)));
        var overwritten = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.RestoreRecordRestored && e.EntityId == edited.Id.ToString());
        Assert.Contains("overwritten", AuditText.English(overwritten), StringComparison.Ordinal);

        var second = (await PreviewAsync(snapshot, Member(lost.Id))).Value!;
        var renamed = await ApplyAsync(snapshot, second, new Dictionary<string, ConflictResolution> { [lostKey] = ConflictResolution.Rename });

        Assert.True(renamed.Succeeded, renamed.Message);
        Assert.Equal(1, renamed.Value!.Renamed);
        var alias = lost.Email.Replace("@", "+restored@", StringComparison.Ordinal);
        Assert.Equal(alias, await ReadAsync(db => db.Members.Where(m => m.Id == lost.Id).Select(m => m.Email).SingleAsync()));
        Assert.Equal(lost.Email, await ReadAsync(db => db.Members.Where(m => m.Id == again.Id).Select(m => m.Email).SingleAsync()));
    }

    [Fact]
    public async Task A_purged_item_comes_back_with_versions_index_media_and_notifications_and_an_unreadable_media_file_rolls_everything_back()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var type = await factory.WithContentAsync(async (types, _) => (await types.SaveAsync(new ContentType
        {
            Name = "Restore " + suffix,
            ApiId = "restore-" + suffix,
            Fields =
            [
                new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText, Required = true },
                new FieldDefinition { Key = "image", LabelEn = "Image", Kind = FieldKind.Media },
            ],
        })).Value!);
        var (image, bytes) = await AddMediaAsync(0x10);
        var (otherImage, _) = await AddMediaAsync(0x20);
        var item = await SaveAsync(type, "first", "First", image.Id, publish: false);
        item = await SaveAsync(type, "first", "First published", image.Id, publish: true, item);
        var other = await SaveAsync(type, "second", "Second", otherImage.Id, publish: false);
        var versionCount = await ReadAsync(db => db.ContentVersions.CountAsync(v => v.ItemId == item.Id));
        Assert.True(versionCount >= 2);
        await using var snapshot = await CopiedBackupSnapshot.TakeAsync(factory);
        await DbAsync(async db =>
        {
            db.ContentItems.RemoveRange(await db.ContentItems.Where(i => i.Id == item.Id || i.Id == other.Id).ToListAsync());
            db.MediaItems.RemoveRange(await db.MediaItems.Where(m => m.Id == image.Id || m.Id == otherImage.Id).ToListAsync());
        });
        File.Delete(MediaPath(image.Id));
        File.Delete(MediaPath(otherImage.Id));
        Assert.False(await ReadAsync(db => db.ContentFieldValues.AnyAsync(v => v.ItemId == item.Id)));

        snapshot.UnreadableMedia.Add(RelativePath(otherImage.Id));
        var both = (await PreviewAsync(snapshot, Item(item.Id), Item(other.Id))).Value!;
        Assert.Equal(RestoreChangeKind.Add, Record(both, "content:" + item.Id).Change);
        Assert.Equal(versionCount, both.Records.Count(r => r.EntityType == RestoreEntityTypes.ContentVersion && r.ParentKey == "content:" + item.Id && r.Change == RestoreChangeKind.Add));
        var mediaRecord = Record(both, "media:" + image.Id);
        Assert.Equal((RestoreChangeKind.Add, "content:" + item.Id), (mediaRecord.Change, mediaRecord.ParentKey));
        var auditBefore = (await factory.AuditEntriesAsync()).Count(e => e.Action == AuditActions.RestoreRecordRestored);

        var failed = await ApplyAsync(snapshot, both);

        Assert.Equal(ErrorKind.Validation, failed.Error);
        Assert.Contains(otherImage.Id.ToString(), failed.Message, StringComparison.Ordinal);
        Assert.False(await ReadAsync(db => db.ContentItems.AnyAsync(i => i.Id == item.Id || i.Id == other.Id)));
        Assert.False(await ReadAsync(db => db.ContentVersions.AnyAsync(v => v.ItemId == item.Id)));
        Assert.False(await ReadAsync(db => db.MediaItems.AnyAsync(m => m.Id == image.Id || m.Id == otherImage.Id)));
        Assert.False(File.Exists(MediaPath(image.Id)));
        Assert.Empty(Directory.Exists(TempFolder) ? Directory.GetFiles(TempFolder) : []);
        Assert.Equal(auditBefore, (await factory.AuditEntriesAsync()).Count(e => e.Action == AuditActions.RestoreRecordRestored));

        var one = (await PreviewAsync(snapshot, Item(item.Id))).Value!;
        var applied = await ApplyAsync(snapshot, one, reference: "RR-2026-0002");

        Assert.True(applied.Succeeded, applied.Message);
        var restored = await ReadAsync(db => db.ContentItems.AsNoTracking().SingleAsync(i => i.Id == item.Id));
        Assert.Equal((ContentStatus.Published, "first", item.PublishedJa), (restored.Status, restored.Slug, restored.PublishedJa));
        Assert.Equal(versionCount, await ReadAsync(db => db.ContentVersions.CountAsync(v => v.ItemId == item.Id)));
        Assert.True(await ReadAsync(db => db.ContentFieldValues.AnyAsync(v => v.ItemId == item.Id && v.FieldKey == "title")));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(MediaPath(image.Id)));
        Assert.True(await ReadAsync(db => db.MediaItems.AnyAsync(m => m.Id == image.Id && m.DeletedAtUtc == null)));
        Assert.Contains(factory.Changes.All, c => c.ItemId == item.Id && c.Kind == ContentChangeKind.Published);
        var entries = (await factory.AuditEntriesAsync()).Where(e => e.Action == AuditActions.RestoreRecordRestored).ToList();
        Assert.Single(entries, e => e.EntityType == AuditEntityTypes.ContentItem && e.EntityId == item.Id.ToString());
        Assert.Single(entries, e => e.EntityType == AuditEntityTypes.MediaItem && e.EntityId == image.Id.ToString());
    }

    [Fact]
    public async Task Slug_taken_and_group_name_taken_refuse_take_backup_and_rename_to_a_free_slug_and_name()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var type = await factory.CreateTypeAsync("restore-slug-" + suffix);
        var item = await factory.CreateItemAsync(type, "hello", "Hello " + suffix);
        var group = await factory.AddGroupAsync("Gold " + suffix);
        await using var snapshot = await CopiedBackupSnapshot.TakeAsync(factory);
        await DbAsync(async db =>
        {
            db.ContentItems.Remove(await db.ContentItems.SingleAsync(i => i.Id == item.Id));
            db.MemberGroups.Remove(await db.MemberGroups.SingleAsync(g => g.Id == group.Id));
            db.MemberGroups.Add(new MemberGroup { Id = Guid.NewGuid(), NameJa = "別の名前" + suffix, NameEn = group.NameEn.ToUpperInvariant(), CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow });
        });
        var newcomer = await factory.CreateItemAsync(type, "hello", "Hello again " + suffix);

        var preview = (await PreviewAsync(snapshot, new RestoreTarget(RestoreTargetKind.MemberGroup, group.Id.ToString()), Item(item.Id))).Value!;

        var slug = Record(preview, "content:" + item.Id);
        Assert.Equal((RestoreChangeKind.Conflict, RestoreConflictCodes.SlugTaken, newcomer.Id.ToString()), (slug.Change, slug.ConflictCode, slug.ConflictDetail));
        var name = Record(preview, "member-group:" + group.Id);
        Assert.Equal((RestoreChangeKind.Conflict, RestoreConflictCodes.GroupNameTaken), (name.Change, name.ConflictCode));
        var refused = await ApplyAsync(snapshot, preview, new Dictionary<string, ConflictResolution>
        {
            [slug.RecordKey] = ConflictResolution.TakeBackup,
            [name.RecordKey] = ConflictResolution.TakeBackup,
        });
        Assert.Equal(ErrorKind.Validation, refused.Error);
        Assert.Equal(2, refused.Errors.Count);

        var renamed = await ApplyAsync(snapshot, preview, new Dictionary<string, ConflictResolution>
        {
            [slug.RecordKey] = ConflictResolution.Rename,
            [name.RecordKey] = ConflictResolution.Rename,
        });

        Assert.True(renamed.Succeeded, renamed.Message);
        Assert.Equal(2, renamed.Value!.Renamed);
        Assert.Equal("hello-restored", await ReadAsync(db => db.ContentItems.Where(i => i.Id == item.Id).Select(i => i.Slug).SingleAsync()));
        Assert.Equal("hello", await ReadAsync(db => db.ContentItems.Where(i => i.Id == newcomer.Id).Select(i => i.Slug).SingleAsync()));
        var back = await ReadAsync(db => db.MemberGroups.AsNoTracking().SingleAsync(g => g.Id == group.Id));
        Assert.Equal((group.NameJa + "（復元）", group.NameEn + " (restored)"), (back.NameJa, back.NameEn));
    }

    private static RestoreTarget Item(Guid id) => new(RestoreTargetKind.ContentItem, id.ToString());

    private static string RelativePath(Guid id)
    {
        var n = id.ToString("N");
        return n[..2] + "/" + n[2..4] + "/" + n;
    }

    private string MediaPath(Guid id) => Path.Combine(factory.DataPath, "media", RelativePath(id));

    private string TempFolder => Path.Combine(factory.DataPath, "media", "tmp");

    private async Task<(MediaItem Item, byte[] Bytes)> AddMediaAsync(byte shade)
    {
        var bytes = MediaSamples.Png(4, 4, shade, shade, shade);
        var media = new MediaItem
        {
            Id = Guid.NewGuid(),
            OriginalFileName = "photo.png",
            ContentType = "image/png",
            SizeBytes = bytes.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Width = 4,
            Height = 4,
            UploadedByName = "test",
            UploadedAtUtc = DateTime.UtcNow,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(MediaPath(media.Id))!);
        await File.WriteAllBytesAsync(MediaPath(media.Id), bytes);
        await DbAsync(db =>
        {
            db.MediaItems.Add(media);
            return Task.CompletedTask;
        });
        return (media, bytes);
    }

    private Task<ContentItem> SaveAsync(ContentType type, string slug, string title, Guid image, bool publish, ContentItem? existing = null) =>
        factory.WithScopeAsync(async sp =>
        {
            var input = new ContentItemInput { Id = existing?.Id, TypeId = type.Id, Slug = slug, ConcurrencyToken = existing?.ConcurrencyToken };
            input.Ja["title"] = title;
            input.Ja["image"] = image.ToString();
            var result = publish
                ? await sp.GetRequiredService<IContentPublishingService>().SaveAndPublishAsync(input)
                : await sp.GetRequiredService<IContentItemService>().SaveDraftAsync(input);
            Assert.True(result.Succeeded, result.Message);
            return result.Value!;
        });
}
