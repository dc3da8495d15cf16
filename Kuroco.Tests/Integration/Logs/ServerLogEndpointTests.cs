using System.Net;
using System.Text;
using System.Text.Json;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Logs;
using Kuroco.Core.Mail;
using Kuroco.Core.Staff;
using Kuroco.Tests.Integration.Api;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Logs;

/// <summary>The request, job and mail logs written by the running app, and the /logs screen's access rules and exports.</summary>
public sealed class ServerLogEndpointTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private ILogStore Store => factory.Services.GetRequiredService<ILogStore>();

    [Fact]
    public async Task An_api_request_is_logged_with_key_prefix_status_and_correlation_id_and_no_secret_in_the_path()
    {
        var (key, secret) = await factory.CreateKeyAsync("Logged site");
        using var client = factory.CreateClient();
        var marker = Guid.NewGuid().ToString("N");

        var response = await client.SendAsync(ApiTestKeys.Get($"/api/v1/me?access_token=hunter2&page={marker}", secret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Eventually.GetAsync(() => Store.ReadAsync(new LogQuery(LogKind.ApiRequest, Text: marker)), p => p.Items.Count == 1, "the request is logged");
        var entry = (ApiRequestLogEntry)page.Items[0].Entry;
        Assert.Equal("GET", entry.Method);
        Assert.Equal($"/api/v1/me?access_token=***&page={marker}", entry.Path);
        Assert.Equal(200, entry.Status);
        Assert.Equal(key.Prefix, entry.KeyPrefix);
        Assert.DoesNotContain(secret, entry.Path + entry.KeyPrefix, StringComparison.Ordinal);
        Assert.Equal(response.Headers.GetValues("X-Correlation-Id").Single(), entry.CorrelationId);
        Assert.True(entry.DurationMs >= 0);
    }

    [Fact]
    public async Task A_console_page_is_not_in_the_api_request_log()
    {
        using var client = factory.CreateBrowserLikeClient();
        var marker = Guid.NewGuid().ToString("N");
        await client.GetAsync("/account/login?m=" + marker);
        await client.GetAsync("/api/v1/me?m=" + marker);

        var page = await Eventually.GetAsync(() => Store.ReadAsync(new LogQuery(LogKind.ApiRequest, Text: marker)), p => p.Items.Count >= 1, "the API request is logged");
        var entry = (ApiRequestLogEntry)Assert.Single(page.Items).Entry;
        Assert.Equal(401, entry.Status);
        Assert.StartsWith("/api/v1/me", entry.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mail_delivery_writes_the_mail_log_and_its_job_run_writes_the_job_log()
    {
        var subject = "Logged " + Guid.NewGuid().ToString("N");
        var id = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMailSender>().SendAsync(new MailMessage("officer@test.local", "Officer", subject, "Hello")));

        var mail = await Eventually.GetAsync(() => Store.ReadAsync(new LogQuery(LogKind.Mail, Text: subject)), p => p.Items.Count == 1, "the mail is logged");
        var entry = (MailLogEntry)mail.Items[0].Entry;
        Assert.Equal("officer@test.local", entry.Recipient);
        Assert.Equal("KeptLocally", entry.Outcome);
        Assert.Equal("local-outbox", entry.Template);
        Assert.Equal(id.ToString(), entry.ProviderMessageId);

        var jobs = await Eventually.GetAsync(
            () => Store.ReadAsync(new LogQuery(LogKind.Job, Text: "MailDispatchJob.ExecuteAsync", Severity: "Succeeded")), p => p.Items.Count >= 1, "the job run is logged");
        Assert.All(jobs.Items, j => Assert.False(string.IsNullOrEmpty(((JobLogEntry)j.Entry).JobId)));
    }

    [Fact]
    public async Task A_failing_job_run_is_logged_with_its_error()
    {
        var marker = Guid.NewGuid().ToString("N");
        var jobId = factory.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(() => PlantedFailingJob.Run(marker));

        var page = await Eventually.GetAsync(
            () => Store.ReadAsync(new LogQuery(LogKind.Job, Severity: "Failed", Text: marker)), p => p.Items.Count >= 1, "the failed run is logged");

        var entry = (JobLogEntry)page.Items[0].Entry;
        Assert.Equal(jobId, entry.JobId);
        Assert.Equal("PlantedFailingJob.Run", entry.JobName);
        Assert.Equal($"InvalidOperationException: planted failure {marker}", entry.Error);
    }

    [Theory]
    [InlineData(StaffRoles.Operator, HttpStatusCode.OK)]
    [InlineData(StaffRoles.Administrator, HttpStatusCode.OK)]
    [InlineData(StaffRoles.ContentEditor, HttpStatusCode.Forbidden)]
    [InlineData(StaffRoles.SecurityOfficer, HttpStatusCode.Forbidden)]
    public async Task Only_administrators_and_operators_reach_the_screen_and_the_exports(string role, HttpStatusCode expected)
    {
        var email = $"logs-{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, role);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);

        Assert.Equal(expected, (await client.GetAsync("/logs")).StatusCode);
        Assert.Equal(expected, (await client.GetAsync("/logs/export.csv")).StatusCode);
        Assert.Equal(expected, (await client.GetAsync("/logs/export.jsonl?kind=Job")).StatusCode);
    }

    [Fact]
    public async Task Anonymous_is_sent_to_sign_in()
    {
        var response = await factory.CreateBrowserLikeClient().GetAsync("/logs/export.csv");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", KurocoAppFactory.LocationPath(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_csv_export_has_a_bom_the_filtered_rows_in_the_viewers_zone_and_is_audited()
    {
        var marker = "export-" + Guid.NewGuid().ToString("N");
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        await Store.AppendAsync(
        [
            new JobLogEntry(at, "1", marker, "Failed", 10, "=cmd|' /C calc'!A0"),
            new JobLogEntry(at, "2", marker, "Succeeded", 10, null),
        ]);
        var client = await OperatorAsync();

        var response = await client.GetAsync($"/logs/export.csv?kind=Job&severity=Failed&q={marker}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("AtUtc,AtLocal,TimeZone,job,jobId,outcome,durationMs,error", lines[0]);
        var row = Assert.Single(lines[1..]);
        var tokyo = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        Assert.Contains(tokyo.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), row, StringComparison.Ordinal);
        Assert.Contains("Asia/Tokyo", row, StringComparison.Ordinal);
        // A formula in a value is neutralized.
        Assert.Contains("'=cmd", row, StringComparison.Ordinal);
        var audit = await factory.AuditEntriesAsync();
        Assert.Contains(audit, e => e.Action == AuditActions.LogsExported && AuditText.English(e).Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_json_lines_export_has_one_object_per_entry()
    {
        var marker = "jsonl-" + Guid.NewGuid().ToString("N");
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        await Store.AppendAsync([.. Enumerable.Range(0, 3).Select(i => (LogEntry)new MailLogEntry(at, $"m{i}@example.com", "sendgrid", marker, "Sent", null, null))]);
        var client = await OperatorAsync();

        var text = await client.GetStringAsync($"/logs/export.jsonl?kind=Mail&q={marker}");

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(marker, first.GetProperty("subject").GetString());
        Assert.EndsWith("Z", first.GetProperty("at").GetString(), StringComparison.Ordinal);
        Assert.Equal("Sent", first.GetProperty("outcome").GetString());
    }

    private async Task<HttpClient> OperatorAsync()
    {
        var email = $"operator-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.Operator);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        return client;
    }
}

/// <summary>A job that always fails, run by the test app's Hangfire server.</summary>
public static class PlantedFailingJob
{
    [AutomaticRetry(Attempts = 0)]
    public static void Run(string marker) => throw new InvalidOperationException("planted failure " + marker);
}
