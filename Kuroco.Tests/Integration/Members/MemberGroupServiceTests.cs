using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Members;

/// <summary>Member groups and bulk actions through the real services and SQLite: names, deletion with a move, audit entries.</summary>
public sealed class MemberGroupServiceTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private Task<T> GroupsAsync<T>(Func<IMemberGroupService, Task<T>> action) =>
        factory.WithScopeAsync(sp => action(sp.GetRequiredService<IMemberGroupService>()));

    private Task<List<Guid>> GroupIdsOfAsync(Guid memberId) => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().MemberGroupMemberships.Where(m => m.MemberId == memberId).Select(m => m.GroupId).ToListAsync());

    [Fact]
    public async Task Create_and_rename_are_audited_and_a_name_another_group_has_is_refused()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var created = await GroupsAsync(g => g.CreateAsync(new MemberGroupInput { NameJa = " 一般" + suffix, NameEn = "Regular " + suffix }));
        Assert.True(created.Succeeded, created.Message);
        Assert.Equal("一般" + suffix, created.Value!.NameJa);

        var duplicate = await GroupsAsync(g => g.CreateAsync(new MemberGroupInput { NameJa = "別" + suffix, NameEn = "REGULAR " + suffix }));
        Assert.Equal(ErrorKind.Validation, duplicate.Error);
        Assert.Contains(duplicate.FieldErrors, e => e.Field == nameof(MemberGroupInput.NameEn));
        var empty = await GroupsAsync(g => g.CreateAsync(new MemberGroupInput()));
        Assert.Equal(ErrorKind.Validation, empty.Error);

        var renamed = await GroupsAsync(g => g.RenameAsync(created.Value.Id, new MemberGroupInput { NameJa = "一般" + suffix, NameEn = "Standard " + suffix }, created.Value.ConcurrencyToken));
        Assert.True(renamed.Succeeded, renamed.Message);
        var stale = await GroupsAsync(g => g.RenameAsync(created.Value.Id, new MemberGroupInput { NameJa = "x" + suffix }, created.Value.ConcurrencyToken));
        Assert.Equal(ErrorKind.PreconditionFailed, stale.Error);

        var entries = await factory.AuditEntriesAsync();
        var rename = entries.Last(e => e.Action == AuditActions.MemberGroupRenamed && e.EntityId == created.Value.Id.ToString());
        var change = Assert.Single(AuditChanges.Deserialize(rename.Changes));
        Assert.Equal(("NameEn", "Regular " + suffix, "Standard " + suffix), (change.Field, change.Before, change.After));
        Assert.Equal($"Member group renamed to 一般{suffix} / Standard {suffix}.", AuditText.English(rename));
        Assert.Equal($"会員グループの名前を 一般{suffix} / Standard {suffix} に変更しました。", AuditText.Japanese(rename));
        var creation = Assert.Single(entries, e => e.Action == AuditActions.MemberGroupCreated && e.EntityId == created.Value.Id.ToString());
        Assert.Equal($"Member group 一般{suffix} / Regular {suffix} created.", AuditText.English(creation));
        var listed = await GroupsAsync(g => g.ListAsync(MemberLanguages.English));
        Assert.Contains(listed, g => g.Id == created.Value.Id && g.NameFor(MemberLanguages.English) == "Standard " + suffix);
    }

    [Fact]
    public async Task A_group_with_members_is_deleted_only_when_they_are_moved_and_the_move_keeps_existing_memberships()
    {
        var doomed = await factory.AddGroupAsync();
        var target = await factory.AddGroupAsync();
        var onlyInDoomed = await factory.AddMemberAsync("Only doomed", groups: [doomed.Id]);
        var inBoth = await factory.AddMemberAsync("In both", groups: [doomed.Id, target.Id]);
        var token = (await GroupsAsync(g => g.ListAsync(MemberLanguages.Japanese))).Single(g => g.Id == doomed.Id).ConcurrencyToken;

        var refused = await GroupsAsync(g => g.DeleteAsync(doomed.Id, MemberGroupDeletion.OnlyIfEmpty, token));
        Assert.Equal(ErrorKind.Conflict, refused.Error);
        Assert.Equal(2, Assert.IsType<MemberGroupInUse>(refused.ErrorData).MemberCount);
        var noTarget = await GroupsAsync(g => g.DeleteAsync(doomed.Id, new MemberGroupDeletion(MemberGroupDeletionMode.MoveMembers, doomed.Id), token));
        Assert.Equal(ErrorKind.Validation, noTarget.Error);
        Assert.Equal([doomed.Id], await GroupIdsOfAsync(onlyInDoomed.Id));

        var deleted = await GroupsAsync(g => g.DeleteAsync(doomed.Id, new MemberGroupDeletion(MemberGroupDeletionMode.MoveMembers, target.Id), token));

        Assert.True(deleted.Succeeded, deleted.Message);
        Assert.Equal(2, deleted.Value);
        Assert.Equal([target.Id], await GroupIdsOfAsync(onlyInDoomed.Id));
        Assert.Equal([target.Id], await GroupIdsOfAsync(inBoth.Id));
        Assert.DoesNotContain(await GroupsAsync(g => g.ListAsync(MemberLanguages.Japanese)), g => g.Id == doomed.Id);
        var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.MemberGroupDeleted && e.EntityId == doomed.Id.ToString());
        Assert.Contains(AuditChanges.Deserialize(entry.Changes), c => c.Field == "MovedTo" && c.After == target.Id.ToString());
        Assert.Contains(AuditChanges.Deserialize(entry.Changes), c => c.Field == "Members" && c.Before == "2");
        Assert.Equal($"Member group {doomed.NameJa} / {doomed.NameEn} deleted (its 2 members moved to {target.NameJa} / {target.NameEn}).", AuditText.English(entry));
        Assert.Equal($"会員グループ {doomed.NameJa} / {doomed.NameEn} を削除しました（所属していた会員 2 件を {target.NameJa} / {target.NameEn} に移しました）。",
            AuditText.Japanese(entry));
    }

    [Fact]
    public async Task Bulk_add_to_group_and_bulk_suspend_act_on_a_filter_and_audit_the_members_they_changed()
    {
        var source = await factory.AddGroupAsync();
        var premium = await factory.AddGroupAsync();
        var a = await factory.AddMemberAsync("Bulk A", groups: [source.Id]);
        var b = await factory.AddMemberAsync("Bulk B", groups: [source.Id, premium.Id]);
        var erased = await factory.AddMemberAsync("Bulk erased", status: MemberStatus.Erased, groups: [source.Id]);
        var outsider = await factory.AddMemberAsync("Bulk outsider");

        var added = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberBulkActions>()
            .AddToGroupAsync(MemberSelection.Matching(new MemberListFilter(GroupId: source.Id)), premium.Id));

        Assert.True(added.Succeeded, added.Message);
        Assert.Equal(new MemberBulkOutcome(3, 1), added.Value);
        Assert.Contains(premium.Id, await GroupIdsOfAsync(a.Id));
        Assert.DoesNotContain(premium.Id, await GroupIdsOfAsync(erased.Id));
        Assert.DoesNotContain(premium.Id, await GroupIdsOfAsync(outsider.Id));

        var suspended = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberBulkActions>().SuspendAsync(MemberSelection.Of([a.Id, b.Id, erased.Id])));

        Assert.Equal(new MemberBulkOutcome(3, 2), suspended.Value);
        var statuses = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Members
            .Where(m => m.Id == a.Id || m.Id == b.Id || m.Id == outsider.Id).ToDictionaryAsync(m => m.Id, m => m.Status));
        Assert.Equal(MemberStatus.Suspended, statuses[a.Id]);
        Assert.Equal(MemberStatus.Suspended, statuses[b.Id]);
        Assert.Equal(MemberStatus.Active, statuses[outsider.Id]);
        // Each member's history finds the bulk entries that changed it.
        var history = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberDirectory>().HistoryAsync(a.Id));
        Assert.Contains(history, e => e.Action == AuditActions.MembersBulkAddedToGroup);
        var bulkSuspend = Assert.Single(history, e => e.Action == AuditActions.MembersBulkSuspended);
        Assert.Equal("Bulk: 2 members suspended, their sessions ended (batch 1 of 1, 3 selected).", AuditText.English(bulkSuspend));
        Assert.Equal("一括操作: 会員 2 件を利用停止にし、セッションを終了しました（バッチ 1/1、選択 3 件）。", AuditText.Japanese(bulkSuspend));
        var bulkAdd = Assert.Single(history, e => e.Action == AuditActions.MembersBulkAddedToGroup);
        Assert.Equal($"Bulk: 1 members added to group {premium.Id} (batch 1 of 1, 3 selected).", AuditText.English(bulkAdd));
        var emptySelection = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberBulkActions>().SuspendAsync(MemberSelection.Of([Guid.NewGuid()])));
        Assert.Equal(ErrorKind.Validation, emptySelection.Error);
    }
}
