using System.Net;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Security;

/// <summary>A signed-in user refused a page (403) through the real pipeline: one audit entry per user and page per window.</summary>
public sealed class AccessDeniedAuditTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task A_refused_page_is_audited_once_per_window_with_the_roles_it_needs_in_english_and_japanese()
    {
        var email = $"denied-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        using var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/audit/settings")).StatusCode);
        }

        var entry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.AccessDenied && e.ActorName == email);
        Assert.Equal(AuditOutcome.Denied, entry.Outcome);
        Assert.Equal(AuditEntityTypes.Page, entry.EntityType);
        Assert.Equal("/audit/settings", entry.EntityId);
        Assert.Equal($"{email} was refused GET /audit/settings (allowed roles: Administrator, Security officer). "
            + "Further refusals of the same page within 5 minutes are counted in the next entry.", AuditText.English(entry));
        Assert.Equal($"{email} は GET /audit/settings を拒否されました（許可されたロール: 管理者、セキュリティ責任者）。"
            + "この後 5 分以内の同じページへの拒否は、次の記録にまとめて数えます。", AuditText.Japanese(entry));
    }
}
