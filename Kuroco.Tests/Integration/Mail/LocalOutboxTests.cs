using FluentValidation;
using Kuroco.Core.Audit;
using Kuroco.Core.Mail;
using Kuroco.Tests.Support;
namespace Kuroco.Tests.Integration.Mail;

/// <summary>No SendGrid key: messages are validated, kept in the outbox and marked as kept locally by the job.</summary>
public sealed class LocalOutboxTests(KurocoAppFactory factory) : MailTestsBase(factory), IClassFixture<KurocoAppFactory>
{
    public static TheoryData<string, string> Injections()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in new[] { "address", "name", "subject" })
        {
            foreach (var breaker in new[] { "\r", "\n", "\r\n" })
            {
                data.Add(field, breaker);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task A_line_break_in_a_header_value_throws_and_stores_nothing(string field, string breaker)
    {
        var message = new MailMessage("officer@test.local", "Officer", "Alert", "Body");
        message = field switch
        {
            "address" => message with { ToAddress = "officer@test.local" + breaker + "Bcc: victim@example.com" },
            "name" => message with { ToName = "Officer" + breaker + "Bcc: victim@example.com" },
            _ => message with { Subject = "Alert" + breaker + "Bcc: victim@example.com" },
        };
        var rows = await OutboxCountAsync();
        var queued = (await AuditAsync(AuditActions.MailQueued)).Count;

        var error = await Assert.ThrowsAsync<ValidationException>(() => SendAsync(message));

        Assert.Contains(error.Errors, e => e.ErrorCode == "HeaderInjection");
        Assert.Equal(rows, await OutboxCountAsync());
        Assert.Equal(queued, (await AuditAsync(AuditActions.MailQueued)).Count);
    }

    [Fact]
    public async Task Without_a_SendGrid_key_a_message_ends_in_the_outbox_as_kept_locally()
    {
        var id = await SendAsync(new MailMessage("officer@test.local", "Officer", "Local delivery", "Hello"));

        var row = await WaitForAsync(id, m => m.Status != OutboxStatus.Queued, "the job handled the message");

        Assert.Equal(OutboxStatus.KeptLocally, row.Status);
        Assert.Equal("local-outbox", row.Transport);
        Assert.Equal(1, row.Attempts);
        Assert.Null(row.LastError);
        Assert.NotNull(row.SentAtUtc);
        Assert.Equal("Local delivery", row.Subject);
        var queued = Assert.Single(await AuditAsync(AuditActions.MailQueued), e => e.EntityId == id.ToString());
        Assert.Contains("officer@test.local", AuditText.English(queued));
    }
}
