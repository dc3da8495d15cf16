using System.Net;
using System.Text.Json;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Kuroco.Core.Jobs;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Audit;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Backups;

/// <summary>Maintenance mode through the real pipeline: the API's 503, readiness, the job dashboard, the banner, waiting jobs.</summary>
public sealed class MaintenanceModeTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly AuditActor Admin = new("admin-id", KurocoAppFactory.AdminEmail, [StaffRoles.Administrator]);

    [Fact]
    public async Task While_on_the_api_answers_503_with_retry_after_readiness_is_degraded_and_the_console_shows_a_banner()
    {
        var email = $"maint-admin-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.Administrator);
        var console = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(console, email, KurocoAppFactory.StaffPassword);
        var anonymous = factory.CreateBrowserLikeClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/me")).StatusCode);
        Assert.DoesNotContain("maintenance-banner", await console.GetStringAsync("/"));

        var end = DateTimeOffset.UtcNow.AddMinutes(10);
        var on = await SwitchAsync(s => s.TurnOnAsync(MaintenanceReasons.Manual, end, Admin, CancellationToken.None));
        Assert.True(on.Succeeded, on.Message);

        // The API: 503, Retry-After in seconds up to the expected end, problem details in the request's language.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.AcceptLanguage.ParseAdd("ja-JP,ja;q=0.9");
        var response = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds;
        Assert.InRange(retryAfter ?? 0, 500, 600);
        using (var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Equal("メンテナンス中", problem.RootElement.GetProperty("title").GetString());
            Assert.Contains("メンテナンス", problem.RootElement.GetProperty("detail").GetString());
        }
        var english = await anonymous.PostAsync("/api/v1/members/login", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, english.StatusCode);
        Assert.Contains("Under maintenance", await english.Content.ReadAsStringAsync());

        // Readiness reports it (Degraded answers 200, so the console stays reachable behind a load balancer); liveness is untouched.
        var ready = await anonymous.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using (var json = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Degraded", json.RootElement.GetProperty("status").GetString());
            Assert.Equal("Degraded", json.RootElement.GetProperty("checks").GetProperty("maintenance").GetString());
        }
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);

        // The job dashboard and the console still answer; every console page carries the banner.
        var jobs = await console.GetAsync("/admin/jobs");
        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
        Assert.Contains("Kuroco jobs", await jobs.Content.ReadAsStringAsync());
        var page = await console.GetStringAsync("/");
        Assert.Contains("data-testid=\"maintenance-banner\"", page);
        Assert.Contains("Maintenance mode is on", page);

        var off = await SwitchAsync(s => s.TurnOffAsync(Admin, CancellationToken.None));
        Assert.True(off.Succeeded, off.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/me")).StatusCode);
        using (var json = JsonDocument.Parse(await anonymous.GetStringAsync("/health/ready")))
        {
            Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        }
        Assert.DoesNotContain("maintenance-banner", await console.GetStringAsync("/"));

        var entries = await factory.AuditEntriesAsync();
        var turnedOn = Assert.Single(entries, e => e.Action == AuditActions.MaintenanceTurnedOn);
        Assert.Contains("Maintenance mode turned on", AuditText.English(turnedOn));
        Assert.Single(entries, e => e.Action == AuditActions.MaintenanceTurnedOff);
    }

    [Fact]
    public async Task Only_administrators_turn_it_on_and_jobs_wait_while_it_is_on()
    {
        // No signed-in user (the system): refused, nothing changes.
        var refused = await SwitchAsync(s => s.TurnOnAsync(MaintenanceReasons.Manual, null, null, CancellationToken.None));
        Assert.Equal(ErrorKind.Forbidden, refused.Error);
        Assert.False(factory.Services.GetRequiredService<IMaintenanceMode>().Current.IsOn);

        Assert.True((await SwitchAsync(s => s.TurnOnAsync(MaintenanceReasons.Manual, null, Admin, CancellationToken.None))).Succeeded);
        try
        {
            var id = factory.Services.GetRequiredService<IJobScheduler>().Enqueue<AuditChainVerificationJob>(j => j.ExecuteAsync(CancellationToken.None));
            var monitoring = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
            var details = await Eventually.GetAsync(
                () => Task.FromResult(monitoring.JobDetails(id)),
                d => d.History.Any(h => h.StateName == "Scheduled"),
                "the job postponed by maintenance mode");
            // Hangfire records the attempt to start it, then the postponement; the job itself did not run.
            Assert.Equal("Scheduled", details.History[0].StateName);
            Assert.DoesNotContain(details.History, h => h.StateName == "Succeeded");
            Assert.DoesNotContain(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.AuditChainVerified);
        }
        finally
        {
            await SwitchAsync(s => s.TurnOffAsync(Admin, CancellationToken.None));
        }
    }

    [Theory]
    [InlineData(StaffRoles.ContentEditor, HttpStatusCode.Forbidden, false)]
    [InlineData(StaffRoles.SupportStaff, HttpStatusCode.Forbidden, false)]
    [InlineData(StaffRoles.Operator, HttpStatusCode.OK, false)]
    [InlineData(StaffRoles.Administrator, HttpStatusCode.OK, true)]
    public async Task The_restore_page_is_for_administrators_and_operators_and_only_administrators_request(string role, HttpStatusCode status, bool mayRequest)
    {
        var email = $"restore-page-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, role);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);

        var response = await client.GetAsync("/backups/restore");

        Assert.Equal(status, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(status == HttpStatusCode.OK, page.Contains("<h1", StringComparison.Ordinal) && page.Contains("Full restore", StringComparison.Ordinal));
        Assert.Equal(mayRequest, page.Contains("data-testid=\"restore-request\"", StringComparison.Ordinal));
        Assert.Equal(mayRequest, page.Contains("data-testid=\"maintenance-mode\"", StringComparison.Ordinal));
    }

    private Task<Result> SwitchAsync(Func<IMaintenanceSwitch, Task<Result>> action) =>
        factory.WithScopeAsync(sp => action(sp.GetRequiredService<IMaintenanceSwitch>()));
}
