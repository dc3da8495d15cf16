using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Members;

/// <summary>
/// The member list's query path (IMemberDirectory over the real SQLite file with its search index): filters, the folded
/// partial search, the orders and keyset paging that stays stable while members are added.
/// </summary>
public sealed class MemberListQueryTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private Task<MemberListPage> ListAsync(MemberListQuery query) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberDirectory>().ListAsync(query));

    private Task<int> CountAsync(MemberListFilter filter) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberDirectory>().CountAsync(filter));

    [Fact]
    public async Task Search_folds_width_case_and_kana_so_half_width_katakana_finds_hiragana_and_full_width_latin_finds_ascii()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var hanako = await factory.AddMemberAsync("山田 花子 " + tag, "やまだ はなこ");
        var taro = await factory.AddMemberAsync("Taro Suzuki " + tag, "スズキ タロウ", email: $"taro.{tag}@Example.JP");
        await factory.AddMemberAsync("Someone Else " + tag, "さとう");

        // Half-width katakana query, hiragana reading stored.
        var byKana = await ListAsync(new MemberListQuery(new MemberListFilter(Search: "ﾔﾏﾀﾞ " + tag)));
        Assert.Equal([hanako.Id], byKana.Items.Select(i => i.Id));
        // Hiragana query, katakana reading stored; short words (two characters) too.
        var byKana2 = await ListAsync(new MemberListQuery(new MemberListFilter(Search: "すずき " + tag)));
        Assert.Equal([taro.Id], byKana2.Items.Select(i => i.Id));
        var shortWord = await ListAsync(new MemberListQuery(new MemberListFilter(Search: "たろ " + tag)));
        Assert.Equal([taro.Id], shortWord.Items.Select(i => i.Id));
        // Full-width upper-case Latin finds a part of the email, case-insensitively.
        var byEmail = await ListAsync(new MemberListQuery(new MemberListFilter(Search: "ＴＡＲＯ." + tag.ToUpperInvariant())));
        Assert.Equal([taro.Id], byEmail.Items.Select(i => i.Id));
        Assert.Equal(1, byEmail.TotalCount);
        // A word nobody has: nothing, and every word must match.
        Assert.Empty((await ListAsync(new MemberListQuery(new MemberListFilter(Search: "やまだ すずき " + tag)))).Items);
        Assert.Equal(0, await CountAsync(new MemberListFilter(Search: "zz" + tag + "zz")));
    }

    [Fact]
    public async Task A_renamed_member_is_found_by_the_new_name_and_no_longer_by_the_old_one()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var member = await factory.AddMemberAsync("Before" + tag);
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            var stored = await db.Members.SingleAsync(m => m.Id == member.Id);
            stored.DisplayName = "After" + tag;
            stored.RefreshDerivedFields();
            await db.SaveChangesAsync();
        });

        Assert.Equal(0, await CountAsync(new MemberListFilter(Search: "before" + tag)));
        Assert.Equal([member.Id], (await ListAsync(new MemberListQuery(new MemberListFilter(Search: "after" + tag)))).Items.Select(i => i.Id));
    }

    [Fact]
    public async Task Group_status_and_date_filters_combine()
    {
        var group = await factory.AddGroupAsync();
        var day = new DateTime(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc);
        var early = await factory.AddMemberAsync("Early", createdAtUtc: day.AddDays(-5), groups: [group.Id], lastSignInAtUtc: day);
        var active = await factory.AddMemberAsync("Active", createdAtUtc: day.AddHours(3), groups: [group.Id]);
        var suspended = await factory.AddMemberAsync("Suspended", createdAtUtc: day.AddHours(4), status: MemberStatus.Suspended, groups: [group.Id]);
        await factory.AddMemberAsync("Outside the group", createdAtUtc: day.AddHours(5));

        Assert.Equal(3, await CountAsync(new MemberListFilter(GroupId: group.Id)));
        var activeInGroup = await ListAsync(new MemberListQuery(new MemberListFilter(GroupId: group.Id, Status: MemberListStatus.Active)));
        Assert.Equal([active.Id, early.Id], activeInGroup.Items.Select(i => i.Id));
        var suspendedOnly = await ListAsync(new MemberListQuery(new MemberListFilter(GroupId: group.Id, Status: MemberListStatus.Suspended)));
        Assert.Equal([suspended.Id], suspendedOnly.Items.Select(i => i.Id));
        Assert.All(suspendedOnly.Items, i => Assert.Equal([group.Id], i.GroupIds));

        // The day of 10 March in Tokyo runs from 9 March 15:00 UTC to 10 March 15:00 UTC.
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var (from, to) = MemberDateRange.ToUtc(new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 10), tokyo);
        Assert.Equal(new DateTime(2026, 3, 9, 15, 0, 0, DateTimeKind.Utc), from);
        var signedUpThatDay = await ListAsync(new MemberListQuery(new MemberListFilter(GroupId: group.Id, SignedUpFromUtc: from, SignedUpToUtc: to), MemberSort.SignedUpAsc));
        Assert.Equal([active.Id, suspended.Id], signedUpThatDay.Items.Select(i => i.Id));
        var signedInThatDay = await ListAsync(new MemberListQuery(new MemberListFilter(GroupId: group.Id, LastSignInFromUtc: day.AddHours(-1), LastSignInToUtc: day.AddHours(1))));
        Assert.Equal([early.Id], signedInThatDay.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task Locked_filter_finds_members_whose_lockout_has_not_ended()
    {
        var group = await factory.AddGroupAsync();
        var locked = await factory.AddMemberAsync("Locked", groups: [group.Id]);
        var expired = await factory.AddMemberAsync("Lock expired", groups: [group.Id]);
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            (await db.Members.SingleAsync(m => m.Id == locked.Id)).LockoutEndUtc = DateTime.UtcNow.AddHours(1);
            (await db.Members.SingleAsync(m => m.Id == expired.Id)).LockoutEndUtc = DateTime.UtcNow.AddHours(-1);
            await db.SaveChangesAsync();
        });

        var page = await ListAsync(new MemberListQuery(new MemberListFilter(GroupId: group.Id, Status: MemberListStatus.Locked)));

        var item = Assert.Single(page.Items);
        Assert.Equal(locked.Id, item.Id);
        Assert.True(item.IsLocked);
    }

    [Theory]
    [InlineData(MemberSort.SignedUpDesc)]
    [InlineData(MemberSort.SignedUpAsc)]
    [InlineData(MemberSort.NameAsc)]
    [InlineData(MemberSort.NameDesc)]
    [InlineData(MemberSort.EmailAsc)]
    [InlineData(MemberSort.EmailDesc)]
    [InlineData(MemberSort.LastSignInDesc)]
    [InlineData(MemberSort.LastSignInAsc)]
    public async Task Keyset_pages_cover_every_member_once_in_order_even_when_members_are_added_meanwhile(MemberSort sort)
    {
        var group = await factory.AddGroupAsync();
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var members = new List<Member>();
        for (var i = 0; i < 23; i++)
        {
            // Equal sign-up times and names in pairs: the id breaks the ties. Every third never signed in.
            members.Add(await factory.AddMemberAsync($"Name {i / 2:D2}", createdAtUtc: start.AddDays(i / 2), groups: [group.Id],
                email: $"p{i:D2}-{Guid.NewGuid():N}@example.jp", lastSignInAtUtc: i % 3 == 0 ? null : start.AddDays(30 + i / 2)));
        }
        var filter = new MemberListFilter(GroupId: group.Id);
        var expected = (await ListAsync(new MemberListQuery(filter, sort, PageSize: 100))).Items.Select(i => i.Id).ToList();
        Assert.Equal(23, expected.Count);

        var seen = new List<Guid>();
        var page = await ListAsync(new MemberListQuery(filter, sort, PageSize: 5));
        seen.AddRange(page.Items.Select(i => i.Id));
        // A member added after the first page (newest sign-up, first name) does not shift the pages that follow.
        await factory.AddMemberAsync("A newcomer", createdAtUtc: DateTime.UtcNow, groups: [group.Id], email: $"a-{Guid.NewGuid():N}@example.jp");
        while (page.Next is { } next)
        {
            page = await ListAsync(new MemberListQuery(filter, sort, PageSize: 5) { After = next });
            seen.AddRange(page.Items.Select(i => i.Id));
        }

        Assert.Equal(expected, seen.Where(id => members.Any(m => m.Id == id)));
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(23, seen.Count(id => members.Any(m => m.Id == id)));
    }

    [Fact]
    public async Task Offset_pages_report_the_total_and_the_cursor_of_the_next_page()
    {
        var group = await factory.AddGroupAsync();
        for (var i = 0; i < 7; i++)
        {
            await factory.AddMemberAsync($"Offset {i}", createdAtUtc: new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i), groups: [group.Id]);
        }
        var filter = new MemberListFilter(GroupId: group.Id);

        var second = await ListAsync(new MemberListQuery(filter, MemberSort.SignedUpDesc, Page: 1, PageSize: 3));
        var last = await ListAsync(new MemberListQuery(filter, MemberSort.SignedUpDesc, Page: 2, PageSize: 3));

        Assert.Equal(7, second.TotalCount);
        Assert.Equal(["Offset 3", "Offset 2", "Offset 1"], second.Items.Select(i => i.DisplayName));
        Assert.NotNull(second.Next);
        var afterCursor = await ListAsync(new MemberListQuery(filter, MemberSort.SignedUpDesc, PageSize: 3) { After = second.Next });
        Assert.Equal(last.Items.Select(i => i.Id), afterCursor.Items.Select(i => i.Id));
        Assert.Null(last.Next);
        Assert.Empty((await ListAsync(new MemberListQuery(filter, MemberSort.SignedUpDesc, Page: 9, PageSize: 3))).Items);
    }

    [Fact]
    public async Task A_search_with_many_hits_counts_them_and_combines_with_a_filter()
    {
        var tag = "many" + Guid.NewGuid().ToString("N")[..6];
        var group = await factory.AddGroupAsync();
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            for (var i = 0; i < 1_050; i++)
            {
                var member = new Member
                {
                    Id = Guid.NewGuid(), Email = $"{tag}{i:D4}@example.jp", DisplayName = "Many " + i,
                    Status = i % 10 == 0 ? MemberStatus.Suspended : MemberStatus.Active, CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
                };
                member.RefreshDerivedFields();
                db.Members.Add(member);
                if (i < 7)
                {
                    db.MemberGroupMemberships.Add(new MemberGroupMembership { MemberId = member.Id, GroupId = group.Id, AddedAtUtc = DateTime.UtcNow });
                }
            }
            await db.SaveChangesAsync();
        });

        var all = await ListAsync(new MemberListQuery(new MemberListFilter(Search: tag.ToUpperInvariant()), PageSize: 10));
        var suspended = await CountAsync(new MemberListFilter(Search: tag, Status: MemberListStatus.Suspended));
        var inGroup = await ListAsync(new MemberListQuery(new MemberListFilter(Search: tag, GroupId: group.Id)));

        Assert.Equal(1_050, all.TotalCount);
        Assert.Equal(10, all.Items.Count);
        Assert.Equal(105, suspended);
        Assert.Equal(7, inGroup.TotalCount);
        Assert.Equal(7, inGroup.Items.Count);
    }
}
