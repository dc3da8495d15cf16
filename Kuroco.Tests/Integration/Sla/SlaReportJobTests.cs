using Kuroco.Core.Audit;
using Kuroco.Core.Mail;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Identity;
using Kuroco.Infrastructure.Sla;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Sla;

/// <summary>The monthly SLA report job with a fake clock: every Administrator once, in their language, never twice for a month.</summary>
public sealed class SlaReportJobTests(SlaServiceTests.SlaAppFactory factory) : IClassFixture<SlaServiceTests.SlaAppFactory>
{
    private Task<int> RunAsync() => factory.WithScopeAsync(sp => sp.GetRequiredService<SlaMonthlyReportJob>().ExecuteAsync(CancellationToken.None));

    [Fact]
    public async Task The_job_mails_every_administrator_the_previous_month_once_in_their_language()
    {
        var ja = await factory.CreateStaffAsync("sla-ja@test.local", StaffRoles.Administrator);
        await factory.UpdateStaffAsync(ja, u => u.Language = StaffLanguages.Japanese);
        var en = await factory.CreateStaffAsync("sla-en@test.local", StaffRoles.Administrator);
        await factory.UpdateStaffAsync(en, u => u.Language = StaffLanguages.English);
        await factory.CreateStaffAsync("sla-operator@test.local", StaffRoles.Operator);
        var administrators = await factory.WithScopeAsync(async sp => (await sp.GetRequiredService<UserManager<StaffUser>>().GetUsersInRoleAsync(StaffRoles.Administrator)).Count);

        // 00:30 on 1 December in Tokyo: the report of November.
        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 15, 30, 0, TimeSpan.Zero));
        Assert.Equal(administrators, await RunAsync());
        Assert.Equal(0, await RunAsync());

        var mails = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().OutboxMessages.AsNoTracking()
            .Where(m => m.Subject.Contains("SLA")).ToListAsync());
        Assert.Equal(administrators, mails.Count);
        Assert.Equal(administrators, mails.Select(m => m.ToAddress).Distinct().Count());
        Assert.DoesNotContain(mails, m => m.ToAddress == "sla-operator@test.local");
        var japanese = Assert.Single(mails, m => m.ToAddress == "sla-ja@test.local");
        Assert.StartsWith("SLA レポート 2026年11月：稼働率 100.000 %（目標達成）", japanese.Subject, StringComparison.Ordinal);
        Assert.Contains("停止時間：許容 43.2 分のうち 0 分", japanese.Body, StringComparison.Ordinal);
        Assert.Contains("/sla/report/2026/11", japanese.Body, StringComparison.Ordinal);
        var english = Assert.Single(mails, m => m.ToAddress == "sla-en@test.local");
        Assert.StartsWith("SLA report 2026-11: 100.000 % availability (target met)", english.Subject, StringComparison.Ordinal);
        Assert.Contains("Downtime: 0 of 43.2 minutes allowed", english.Body, StringComparison.Ordinal);

        var entry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.SlaReportMailed);
        Assert.Equal("2026-11", entry.EntityId);
        Assert.Equal($"The SLA report of 2026-11 was mailed to {administrators} Administrators.", AuditText.English(entry));
    }
}
