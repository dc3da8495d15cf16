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
}
