using System.Net;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Jobs;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Jobs;

/// <summary>The /jobs screen's reader and actions on the app's real Hangfire storage (SQLite file) and job server.</summary>
public sealed class JobsConsoleTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task Recurring_jobs_are_listed_with_their_schedule_next_run_and_localized_name_and_run_now_is_audited()
    {
        var overview = await factory.WithScopeAsync(sp => sp.GetRequiredService<IJobsConsole>().GetOverviewAsync(20, CancellationToken.None));
        var chain = Assert.Single(overview.Recurring, j => j.Id == "audit-chain-verification");
        Assert.Equal("15 3 * * *", chain.Cron);
        Assert.Equal("Asia/Tokyo", chain.TimeZoneId);
        Assert.NotNull(chain.NextRunUtc);
        Assert.True(chain.NextRunUtc > DateTime.UtcNow.AddMinutes(-1));
        // 03:15 in Tokyo is 18:15 UTC.
        Assert.Equal(new TimeOnly(18, 15), TimeOnly.FromDateTime(chain.NextRunUtc!.Value));

        // An Operator's page: human name, the schedule in words, the next run in the viewer's zone (Tokyo, 24-hour).
        var email = $"jobs-op-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.Operator);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/jobs"));
        Assert.Contains("Audit log chain verification", html);
        Assert.Contains("every day at 03:15 (Asia/Tokyo)", html);
        var tokyo = TimeZoneInfo.ConvertTimeFromUtc(chain.NextRunUtc.Value, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        Assert.Contains(tokyo.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), html);
        Assert.DoesNotContain("AuditChainVerificationJob", html);

        // Run now: a new job for the recurring one, audited with both ids.
        var triggered = await factory.WithScopeAsync(sp => sp.GetRequiredService<IJobsConsole>().TriggerAsync("webhook-delivery-cleanup", CancellationToken.None));
        Assert.True(triggered.Succeeded, triggered.Message);
        var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.JobTriggered);
        Assert.Equal("webhook-delivery-cleanup", entry.EntityId);
        Assert.Contains($"ran the recurring job webhook-delivery-cleanup now (job {triggered.Value})", AuditText.English(entry));

        var unknown = await factory.WithScopeAsync(sp => sp.GetRequiredService<IJobsConsole>().TriggerAsync("no-such-job", CancellationToken.None));
        Assert.Equal(ErrorKind.NotFound, unknown.Error);
    }

    [Fact]
    public async Task A_failed_job_is_listed_with_its_error_without_secrets_and_retry_puts_it_back_audited()
    {
        var marker = Guid.NewGuid().ToString("N");
        var jobId = await factory.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<IBackgroundJobClient>().Enqueue(
            () => FailingTestJob.Fail($"Upload failed {marker}\nServer said: password=hunter2;Host=db\n   at Somewhere.Deep()"))));

        var failed = await Eventually.GetAsync(
            () => factory.WithScopeAsync(sp => sp.GetRequiredService<IJobsConsole>().GetOverviewAsync(50, CancellationToken.None)),
            o => o.Failed.Any(f => f.JobId == jobId), "the job to fail", TimeSpan.FromSeconds(60));
        var job = Assert.Single(failed.Failed, f => f.JobId == jobId);
        Assert.Equal("FailingTestJob.Fail", job.Method);
        Assert.Equal("InvalidOperationException", job.ExceptionType);
        Assert.Contains(marker, job.Message);
        Assert.Contains("password=***", job.Message);
        Assert.DoesNotContain("hunter2", job.Message);
        Assert.DoesNotContain("Somewhere.Deep", job.Message);
        Assert.True(failed.FailedTotal >= 1);

        var before = (await factory.AuditEntriesAsync()).Count;
        var retried = await factory.WithScopeAsync(sp => sp.GetRequiredService<IJobsConsole>().RetryAsync(jobId, CancellationToken.None));
        Assert.True(retried.Succeeded, retried.Message);
        var entries = await factory.AuditEntriesAsync();
        var entry = Assert.Single(entries.Skip(before), e => e.Action == AuditActions.JobRetried);
        Assert.Equal(jobId, entry.EntityId);
        Assert.Equal(AuditEntityTypes.BackgroundJob, entry.EntityType);
        Assert.Contains($"retried the failed job {jobId} (FailingTestJob.Fail)", AuditText.English(entry));

        // A job that is not failed (or does not exist) is refused and nothing is written.
        var missing = await factory.WithScopeAsync(sp => sp.GetRequiredService<IJobsConsole>().RetryAsync("999999999", CancellationToken.None));
        Assert.Equal(ErrorKind.NotFound, missing.Error);
        Assert.Equal(entries.Count, (await factory.AuditEntriesAsync()).Count);
    }
}
