using System.Globalization;
using Bunit;
using Hangfire;
using Hangfire.States;
using Kuroco.Admin.Components.Pages.Jobs;
using Kuroco.Core.Audit;
using Kuroco.Core.Jobs;
using Kuroco.Core.Staff;
using Kuroco.Tests.Integration.Jobs;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Components.Jobs;

/// <summary>The /jobs page in Japanese on the real app's job storage: names, schedules in words, Tokyo times, retry.</summary>
public sealed class JobsPageTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Shows_recurring_jobs_in_japanese_with_tokyo_times_and_retries_a_failed_job()
    {
        var jobId = factory.Services.GetRequiredService<IBackgroundJobClient>().Create(
            () => FailingTestJob.Succeed(), new FailedState(new InvalidOperationException("接続できません: token=abc123")));
        var next = (await factory.WithScopeAsync(sp => sp.GetRequiredService<IJobsConsole>().GetOverviewAsync(50, CancellationToken.None)))
            .Recurring.Single(j => j.Id == "backup-nightly").NextRunUtc!.Value;

        await using var test = new ComponentTestContext(factory, "ja");
        test.SignIn("operator-id", "operator@test.local", StaffRoles.Operator);
        var cut = test.Context.Render<JobsPage>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=jobs-recurring-row]")), Wait);
        var rows = cut.FindAll("tr").Where(r => r.QuerySelector("[data-testid=jobs-recurring-row]") is not null)
            .ToDictionary(r => r.QuerySelector("[data-testid=jobs-recurring-row]")!.GetAttribute("data-job")!);
        Assert.Contains("監査ログのチェーン検証", rows["audit-chain-verification"].TextContent);
        Assert.Equal("毎日 03:15（Asia/Tokyo）", rows["audit-chain-verification"].QuerySelector("[data-testid=jobs-schedule]")!.TextContent.Trim());
        Assert.Equal("毎分", rows["content-schedule"].QuerySelector("[data-testid=jobs-schedule]")!.TextContent.Trim());
        Assert.Contains("週次の復元訓練", rows["backup-restore-drill"].TextContent);
        var tokyo = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(next, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        Assert.Equal(tokyo.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), rows["backup-nightly"].QuerySelector("[data-testid=jobs-next]")!.TextContent.Trim());
        Assert.Contains("時刻はあなたのタイムゾーン（Asia/Tokyo）", cut.Find("[data-testid=jobs-zone]").TextContent);
        // Operators get no link to Hangfire's English dashboard.
        Assert.Empty(cut.FindAll("[data-testid=jobs-dashboard-link]"));

        var failedRow = cut.FindAll("[data-testid=jobs-failed-row]").Single(r => r.GetAttribute("data-job") == jobId).ParentElement!;
        Assert.Contains("token=***", failedRow.TextContent);
        Assert.DoesNotContain("abc123", failedRow.TextContent);
        failedRow.QuerySelector("[data-testid=jobs-retry]")!.Click();

        cut.WaitForAssertion(() => Assert.DoesNotContain(cut.FindAll("[data-testid=jobs-failed-row]"), r => r.GetAttribute("data-job") == jobId), Wait);
        var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.JobRetried);
        Assert.Equal(jobId, entry.EntityId);
        Assert.Contains("失敗したジョブ " + jobId, AuditText.Japanese(entry));
    }
}
