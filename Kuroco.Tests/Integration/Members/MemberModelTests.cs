using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Members;

/// <summary>The member tables in the migrated SQLite database: keys, uniqueness and cascades.</summary>
public sealed class MemberModelTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task A_member_with_groups_tokens_and_history_round_trips_and_an_address_is_unique_in_any_form()
    {
        var group = new MemberGroup { Id = Guid.NewGuid(), NameJa = "プレミアム会員", NameEn = "Premium", CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow };
        var member = new Member
        {
            Id = Guid.NewGuid(),
            Email = "Hanako@Example.jp",
            DisplayName = "山田 花子",
            NameKana = "ヤマダ ハナコ",
            Status = MemberStatus.Active,
            CreatedAtUtc = DateTime.UtcNow,
            UpdatedAtUtc = DateTime.UtcNow,
            Groups = [],
        };
        member.RefreshDerivedFields();
        member.Groups.Add(new MemberGroupMembership { GroupId = group.Id, AddedAtUtc = DateTime.UtcNow });

        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            db.MemberGroups.Add(group);
            db.Members.Add(member);
            db.MemberTokens.Add(new MemberToken { Id = Guid.NewGuid(), MemberId = member.Id, Purpose = MemberTokenPurpose.EmailVerification, TokenHash = MemberSecrets.Hash("t"), CreatedAtUtc = DateTime.UtcNow, ExpiresAtUtc = DateTime.UtcNow.AddHours(1) });
            db.MemberSignIns.Add(new MemberSignInRecord { MemberId = member.Id, AtUtc = DateTime.UtcNow, IpAddress = "192.0.2.1", Outcome = MemberSignInOutcome.Succeeded });
            await db.SaveChangesAsync();
        });

        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            var read = await db.Members.AsNoTracking().Include(m => m.Groups).SingleAsync(m => m.NormalizedEmail == "hanako@example.jp");
            Assert.Equal(group.Id, Assert.Single(read.Groups).GroupId);
            Assert.Contains("はなこ", read.SearchText, StringComparison.Ordinal);

            // The same address in capitals and full width is the same member.
            var twin = new Member { Id = Guid.NewGuid(), Email = "ＨＡＮＡＫＯ@example.JP", DisplayName = "x", CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow };
            twin.RefreshDerivedFields();
            db.Members.Add(twin);
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });

        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            // A group that still has members cannot be deleted by accident.
            db.MemberGroups.Remove(await db.MemberGroups.SingleAsync(g => g.Id == group.Id));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });

        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            // Deleting a member row takes its memberships, tokens and history with it.
            await db.Members.Where(m => m.Id == member.Id).ExecuteDeleteAsync();
            Assert.False(await db.MemberGroupMemberships.AnyAsync(m => m.MemberId == member.Id));
            Assert.False(await db.MemberTokens.AnyAsync(t => t.MemberId == member.Id));
            Assert.False(await db.MemberSignIns.AnyAsync(r => r.MemberId == member.Id));
        });
    }
}
