using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Members;

/// <summary>Members and groups written straight to the test database (the console's services are what the tests exercise).</summary>
internal static class MemberConsoleTestData
{
    public static Task<MemberGroup> AddGroupAsync(this KurocoAppFactory factory, string? nameEn = null) => factory.WithScopeAsync(async sp =>
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var group = new MemberGroup
        {
            Id = Guid.NewGuid(),
            NameJa = "グループ" + suffix,
            NameEn = nameEn ?? "Group " + suffix,
            CreatedAtUtc = DateTime.UtcNow,
            UpdatedAtUtc = DateTime.UtcNow,
        };
        var db = sp.GetRequiredService<KurocoDbContext>();
        db.MemberGroups.Add(group);
        await db.SaveChangesAsync();
        return group;
    });

    public static Task<Member> AddMemberAsync(this KurocoAppFactory factory, string displayName, string? nameKana = null, DateTime? createdAtUtc = null,
        MemberStatus status = MemberStatus.Active, IEnumerable<Guid>? groups = null, string? email = null, DateTime? lastSignInAtUtc = null) => factory.WithScopeAsync(async sp =>
    {
        var created = createdAtUtc ?? DateTime.UtcNow;
        var member = new Member
        {
            Id = Guid.NewGuid(),
            Email = email ?? $"m-{Guid.NewGuid():N}@example.jp",
            DisplayName = displayName,
            NameKana = nameKana,
            Status = status,
            CreatedAtUtc = created,
            UpdatedAtUtc = created,
            EmailVerifiedAtUtc = status == MemberStatus.PendingVerification ? null : created,
            LastSignInAtUtc = lastSignInAtUtc,
        };
        member.RefreshDerivedFields();
        var db = sp.GetRequiredService<KurocoDbContext>();
        db.Members.Add(member);
        foreach (var groupId in groups ?? [])
        {
            db.MemberGroupMemberships.Add(new MemberGroupMembership { MemberId = member.Id, GroupId = groupId, AddedAtUtc = created });
        }
        await db.SaveChangesAsync();
        return member;
    });
}
