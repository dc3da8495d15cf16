using System.Net;
using Hangfire;
using Kuroco.Core.Audit;
using Kuroco.Core.Logs;
using Kuroco.Core.Mail;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Mail;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Mail;

/// <summary>With a SendGrid key the job delivers through SendGrid's v3 API (faked at the HTTP level).</summary>
public sealed class SendGridTests(AcceptingSendGridAppFactory factory) : MailTestsBase(factory), IClassFixture<AcceptingSendGridAppFactory>
{
    [Fact]
    public async Task A_message_is_posted_to_v3_mail_send_with_the_bearer_key_and_reaches_sent()
    {
        var id = await SendAsync(new MailMessage("officer@test.local", "Security Officer", "Delivered subject 配信", "Plain body"));

        var row = await WaitForAsync(id, m => m.Status != OutboxStatus.Queued, "the job delivered the message");

        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal("sendgrid", row.Transport);
        Assert.Equal(1, row.Attempts);
        Assert.NotNull(row.SentAtUtc);
        var request = Assert.Single(factory.SendGrid.Requests, r => r.Body.Contains("Delivered subject", StringComparison.Ordinal));
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://api.sendgrid.com/v3/mail/send", request.Uri.GetLeftPart(UriPartial.Path));
        Assert.Equal("Bearer " + SendGridAppFactory.ApiKey, request.Authorization);
        Assert.Contains("\"email\":\"officer@test.local\"", request.Body);
        Assert.Contains("\"email\":\"" + SendGridAppFactory.FromAddress + "\"", request.Body);
        Assert.Contains("Delivered subject 配信", System.Text.RegularExpressions.Regex.Unescape(request.Body));
        Assert.Contains("text/plain", request.Body);
        Assert.DoesNotContain("text/html", request.Body);
    }

    [Fact]
    public async Task Attachments_are_kept_in_the_outbox_and_posted_to_sendgrid_and_a_line_break_in_a_file_name_is_refused()
    {
        var subject = "Attachment " + Guid.NewGuid().ToString("N");
        var content = "%PDF-1.7 test"u8.ToArray();
        var id = await SendAsync(new MailMessage("officer@test.local", null, subject, "See the file.")
        {
            Attachments = [new MailAttachment("report-2026-11.pdf", "application/pdf", content)],
        });

        await WaitForAsync(id, m => m.Status == OutboxStatus.Sent, "the job delivered the message");

        var request = Assert.Single(factory.SendGrid.Requests, r => r.Body.Contains(subject, StringComparison.Ordinal));
        using var json = System.Text.Json.JsonDocument.Parse(request.Body);
        var attachment = Assert.Single(json.RootElement.GetProperty("attachments").EnumerateArray());
        Assert.Equal("report-2026-11.pdf", attachment.GetProperty("filename").GetString());
        Assert.Equal("application/pdf", attachment.GetProperty("type").GetString());
        Assert.Equal("attachment", attachment.GetProperty("disposition").GetString());
        Assert.Equal(content, Convert.FromBase64String(attachment.GetProperty("content").GetString()!));

        var before = factory.SendGrid.Requests.Count;
        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => SendAsync(new MailMessage("officer@test.local", null, "Injected", "Body")
        {
            Attachments = [new MailAttachment("a.pdf\r\nBcc: x@example.com", "application/pdf", content)],
        }));
        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => SendAsync(new MailMessage("officer@test.local", null, "Too big", "Body")
        {
            Attachments = [new MailAttachment("big.bin", "application/octet-stream", new byte[MailAttachment.MaxTotalBytes + 1])],
        }));
        Assert.Equal(before, factory.SendGrid.Requests.Count);
    }

    [Fact]
    public async Task The_message_id_sendgrid_answers_with_is_kept_in_the_outbox_and_the_mail_log()
    {
        var subject = "Message id " + Guid.NewGuid().ToString("N");
        var id = await SendAsync(new MailMessage("officer@test.local", null, subject, "Body"));

        var row = await WaitForAsync(id, m => m.Status == OutboxStatus.Sent, "the job delivered the message");

        var request = Assert.Single(factory.SendGrid.Requests, r => r.Body.Contains(subject, StringComparison.Ordinal));
        Assert.StartsWith("sg-", request.MessageId, StringComparison.Ordinal);
        Assert.Equal(request.MessageId, row.ProviderMessageId);
        // The outbox id travels as a custom argument, so SendGrid's events can be matched to the outbox row.
        Assert.Contains("\"" + SendGridMailTransport.OutboxIdArgument + "\":\"" + id + "\"", request.Body);
        var store = Factory.Services.GetRequiredService<ILogStore>();
        var logged = await Eventually.GetAsync(() => store.ReadAsync(new LogQuery(LogKind.Mail, Text: subject)), p => p.Items.Count == 1, "the delivery is in the mail log");
        var entry = (MailLogEntry)logged.Items[0].Entry;
        Assert.Equal("Sent", entry.Outcome);
        Assert.Equal(request.MessageId, entry.ProviderMessageId);
    }

    [Fact]
    public async Task Running_the_job_again_for_a_sent_message_sends_nothing()
    {
        var id = await SendAsync(new MailMessage("officer@test.local", null, "Once only", "Body"));
        await WaitForAsync(id, m => m.Status == OutboxStatus.Sent, "the job delivered the message");
        var requests = factory.SendGrid.Requests.Count;

        await Factory.WithScopeAsync(sp => sp.GetRequiredService<MailDispatchJob>().ExecuteAsync(id, CancellationToken.None));

        Assert.Equal(requests, factory.SendGrid.Requests.Count);
        Assert.Equal(1, (await RowAsync(id)).Attempts);
    }
}

/// <summary>SendGrid answers 500: the message stays queued for Hangfire's retries, and fails for good after the last one.</summary>
public sealed class SendGridFailureTests(FailingSendGridAppFactory factory) : MailTestsBase(factory), IClassFixture<FailingSendGridAppFactory>
{
    [Fact]
    public async Task A_refused_delivery_leaves_the_message_queued_with_the_error_for_a_retry()
    {
        var id = await SendAsync(new MailMessage("officer@test.local", null, "Will fail", "Body"));

        var row = await WaitForAsync(id, m => m.Attempts >= 1 && m.LastError is not null, "the first attempt failed");

        Assert.Equal(OutboxStatus.Queued, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Contains("HTTP 500", row.LastError);
        Assert.DoesNotContain(SendGridAppFactory.ApiKey, row.LastError);
        Assert.Null(row.SentAtUtc);
        // Hangfire has scheduled the retry.
        await Eventually.GetAsync(
            () => Factory.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledCount())),
            count => count >= 1, "Hangfire scheduled a retry");
    }

    [Fact]
    public async Task The_last_attempt_marks_the_message_failed_and_audits_it()
    {
        var id = await QueuedAsync("Last chance", attempts: MailDispatchJob.MaxAttempts - 1);

        // The last attempt does not throw: there is nothing left for Hangfire to retry.
        await Factory.WithScopeAsync(sp => sp.GetRequiredService<MailDispatchJob>().ExecuteAsync(id, CancellationToken.None));

        var row = await RowAsync(id);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Equal(MailDispatchJob.MaxAttempts, row.Attempts);
        Assert.Contains("HTTP 500", row.LastError);
        var entry = Assert.Single(await AuditAsync(AuditActions.MailFailed), e => e.EntityId == id.ToString());
        Assert.Equal(AuditOutcome.Failure, entry.Outcome);
        Assert.Contains("officer@test.local", AuditText.English(entry));
        Assert.Contains("5 attempts", AuditText.English(entry));
    }

    [Fact]
    public async Task An_attempt_before_the_last_rethrows_so_hangfire_retries()
    {
        var id = await QueuedAsync("Not yet", attempts: MailDispatchJob.MaxAttempts - 2);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Factory.WithScopeAsync(sp => sp.GetRequiredService<MailDispatchJob>().ExecuteAsync(id, CancellationToken.None)));

        var row = await RowAsync(id);
        Assert.Equal(OutboxStatus.Queued, row.Status);
        Assert.Equal(MailDispatchJob.MaxAttempts - 1, row.Attempts);
        Assert.DoesNotContain(await AuditAsync(AuditActions.MailFailed), e => e.EntityId == id.ToString());
    }

    /// <summary>A queued outbox row that has already been tried <paramref name="attempts"/> times (no job queued for it).</summary>
    private Task<Guid> QueuedAsync(string subject, int attempts) => Factory.WithScopeAsync(async sp =>
    {
        var row = new OutboxMessage
        {
            Id = Guid.CreateVersion7(),
            ToAddress = "officer@test.local",
            Subject = subject,
            Body = "Body",
            CreatedAtUtc = DateTime.UtcNow,
            Status = OutboxStatus.Queued,
            Attempts = attempts,
        };
        var db = sp.GetRequiredService<KurocoDbContext>();
        db.OutboxMessages.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    });
}
