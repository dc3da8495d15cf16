using Kuroco.Core.Members;
using Kuroco.Infrastructure.Demo;

namespace Kuroco.Tests.Unit.Members;

/// <summary>The demo member base's shape, without a database: names, addresses, groups, and no password when none is configured.</summary>
public sealed class DemoMembersTests
{
    private static readonly Dictionary<string, Guid> GroupIds = DemoMembers.Groups.ToDictionary(g => g.Key, _ => Guid.NewGuid(), StringComparer.Ordinal);

    [Fact]
    public void Without_a_configured_password_no_demo_member_has_one_so_none_can_sign_in()
    {
        var members = DemoMembers.Build(GroupIds, passwordHash: null, DateTime.UtcNow);

        Assert.Equal(200, members.Count);
        Assert.All(members, m =>
        {
            Assert.Null(m.PasswordHash);
            Assert.Null(m.PasswordSetAtUtc);
            Assert.Equal(MemberStatus.Active, m.Status);
        });
    }

    [Fact]
    public void Members_are_numbered_from_001_with_unique_names_and_member001_is_premium()
    {
        var now = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        var members = DemoMembers.Build(GroupIds, "hash", now);

        Assert.Equal("member001@demo.example", members[0].Email);
        Assert.Equal("member200@demo.example", members[^1].Email);
        Assert.Equal(200, members.Select(m => m.NormalizedEmail).Distinct().Count());
        Assert.Equal(200, members.Select(m => m.DisplayName).Distinct().Count());
        Assert.Contains(members[0].Groups, g => g.GroupId == GroupIds[DemoMembers.Premium.Key]);
        Assert.Equal(40, members.Count(m => m.Groups.Any(g => g.GroupId == GroupIds[DemoMembers.Premium.Key])));
        Assert.Equal(20, members.Count(m => m.Groups.Any(g => g.GroupId == GroupIds[DemoMembers.Referral.Key])));
        Assert.All(members, m => Assert.True(m.CreatedAtUtc < now && m.EmailVerifiedAtUtc > m.CreatedAtUtc));
        // The kana reading is searchable as hiragana too (the search text folds katakana).
        var japanese = members.First(m => m.Language == MemberLanguages.Japanese);
        Assert.Contains(MemberText.ForSearch(null, null, japanese.NameKana), japanese.SearchText, StringComparison.Ordinal);
    }
}
