using System.Net;
using System.Net.Http.Headers;
using Kuroco.Admin.Sla;
using Kuroco.Core.Audit;
using Kuroco.Core.Incidents;
using Kuroco.Core.Monitoring;
using Kuroco.Core.Sla;
using Kuroco.Core.Mail;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Identity;
using Kuroco.Infrastructure.Sla;
using Kuroco.Tests.Integration.Audit;
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
    public async Task The_job_mails_every_administrator_the_previous_month_once_in_their_language_with_the_pdf()
    {
        // November's last hour (Tokyo): a 30-minute maintenance window and an incident recovered after 45 minutes.
        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 14, 0, 0, TimeSpan.Zero));
        await factory.WithScopeAsync(async sp =>
        {
            var window = await sp.GetRequiredService<ISlaService>().ScheduleMaintenanceAsync(new MaintenanceWindowRequest(
                new DateTime(2026, 11, 30, 14, 10, 0, DateTimeKind.Utc), new DateTime(2026, 11, 30, 14, 40, 0, DateTimeKind.Utc),
                "Database upgrade", "データベースの更新", "", "", [StatusComponents.Console]));
            Assert.True(window.Succeeded, window.Message);
            var incidents = sp.GetRequiredService<IIncidentService>();
            var opened = await incidents.CreateAsync(new OpenIncidentRequest("db01 slow", "Slow console", "", AlertSeverity.Warning, [StatusComponents.Console]));
            Assert.True(opened.Succeeded, opened.Message);
            Assert.True((await incidents.ClassifyAsync(opened.Value, new ClassifyIncidentRequest("db01 slow", "Slow console", "", AlertSeverity.Warning,
                IncidentCause.Hardware, [StatusComponents.Console], "", null))).Succeeded);
            foreach (var step in new[] { IncidentStep.Confirmed, IncidentStep.StatusReported, IncidentStep.Investigating })
            {
                Assert.True((await incidents.AdvanceAsync(opened.Value, step)).Succeeded);
            }
            factory.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 14, 45, 0, TimeSpan.Zero));
            Assert.True((await incidents.AdvanceAsync(opened.Value, IncidentStep.Recovered)).Succeeded);
            return 0;
        });

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
            .Include(m => m.Attachments).Where(m => m.Subject.Contains("SLA")).ToListAsync());
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

        // Each mail carries the report as a PDF in the reader's language: it parses and holds the month's figures.
        var japanesePdf = Assert.Single(japanese.ToMessage().Attachments);
        Assert.Equal("kuroco-sla-report-2026-11.pdf", japanesePdf.FileName);
        Assert.Equal("application/pdf", japanesePdf.ContentType);
        Assert.Equal("%PDF"u8.ToArray(), japanesePdf.Content[..4]);
        var jaText = PdfText.Extract(japanesePdf.Content);
        Assert.Contains("SLA レポート 2026年11月", jaText, StringComparison.Ordinal);
        Assert.Contains("稼働率: 100.000 % · 目標値: 99.900 % (達成)", jaText, StringComparison.Ordinal);
        Assert.Contains("この月は 43,200 分あり、目標 99.900 % での停止許容時間は 43.2 分です。", jaText, StringComparison.Ordinal);
        Assert.Contains("メンテナンス予定 — 30 分を除外", jaText, StringComparison.Ordinal);
        Assert.Contains("データベースの更新", jaText, StringComparison.Ordinal);
        Assert.Contains("障害：1 件", jaText, StringComparison.Ordinal);
        Assert.Contains("Slow console — 45 分 で復旧", jaText, StringComparison.Ordinal);
        Assert.Contains("返金: 0.000 %", jaText, StringComparison.Ordinal);
        Assert.Contains("2026-11-30\n100.000 %\n0\n30\n", jaText, StringComparison.Ordinal); // the daily table's last row
        // The chart of the days: one bar per day of November, every one at or above the target (green), the scale written beside it.
        Assert.Equal(Enumerable.Repeat("46,125,50", 30), PdfText.FilledRectangles(japanesePdf.Content));
        Assert.Contains("99.800 %\n99.900 %\n100.000 %\n", jaText, StringComparison.Ordinal);
        Assert.Contains("作成日時 2026-12-01 00:30（Asia/Tokyo）", jaText, StringComparison.Ordinal);
        var enText = PdfText.Extract(Assert.Single(english.ToMessage().Attachments).Content);
        Assert.Contains("SLA report 2026/11", enText, StringComparison.Ordinal);
        Assert.Contains("Availability: 100.000 % · Target: 99.900 % (Met)", enText, StringComparison.Ordinal);
        Assert.Contains("Downtime (min): 0 of 43.2 minutes allowed", enText, StringComparison.Ordinal);
        Assert.Contains("30 minutes excluded", enText, StringComparison.Ordinal);
        Assert.Contains("Credit due: 0.000 %", enText, StringComparison.Ordinal);
        Assert.Contains("Incidents: 1", enText, StringComparison.Ordinal);
        Assert.Contains("Mean time to recover: 45 min", enText, StringComparison.Ordinal);
        Assert.DoesNotContain("db01", en, StringComparison.Ordinal);
        Assert.Contains("Generated 2026-12-01 00:30 (Asia/Tokyo).", enText, StringComparison.Ordinal);

        var entry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.SlaReportMailed);
        Assert.Equal("2026-11", entry.EntityId);
        Assert.Equal($"The SLA report of 2026-11 was mailed to {administrators} Administrators.", AuditText.English(entry));

        // The same PDF from the console, in the viewer's language; Administrators and Operators only.
        var admin = await SignedInAsync(StaffRoles.Administrator);
        using var request = new HttpRequestMessage(HttpMethod.Get, SlaReportApi.PdfPath(2026, 11));
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("ja-JP"));
        var download = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Contains("稼働率: 100.000 %", PdfText.Extract(await download.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
        var page = await (await admin.GetAsync("/sla/report/2026/11")).Content.ReadAsStringAsync();
        Assert.Contains("href=\"/sla/report/2026/11.pdf\"", page, StringComparison.Ordinal);
        var operatorClient = await SignedInAsync(StaffRoles.Operator);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync(SlaReportApi.PdfPath(2026, 11))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.GetAsync("/sla/report/2026/13.pdf")).StatusCode);
        var editor = await SignedInAsync(StaffRoles.ContentEditor);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync(SlaReportApi.PdfPath(2026, 11))).StatusCode);
        var anonymous = await factory.CreateBrowserLikeClient().GetAsync(SlaReportApi.PdfPath(2026, 11));
        Assert.True(anonymous.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, anonymous.StatusCode.ToString());
    }

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var email = $"sla-pdf-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, role);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        return client;
    }
}
