using Bunit;
using Kuroco.Admin.Components.Pages.Mail;
using Kuroco.Core.Audit;
using Kuroco.Core.Mail;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Mail;

public sealed class OutboxPageTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Lists_a_message_sent_through_the_mail_sender_and_explains_the_local_outbox()
    {
        var subject = "Welcome " + Guid.NewGuid().ToString("N")[..8];
        var id = await SendAsync(new MailMessage("new.staff@test.local", "New Staff", subject, "Hello"));

        await using var test = NewContext();
        var cut = test.Context.Render<Outbox>();

        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[data-testid=outbox-subject]"), e => e.TextContent == subject), Wait);
        var row = cut.FindAll("[data-testid=outbox-subject]").Single(e => e.TextContent == subject).ParentElement!;
        Assert.Equal("New Staff <new.staff@test.local>", row.QuerySelector("[data-testid=outbox-to]")!.TextContent);
        Assert.Contains(row.QuerySelector("[data-testid=outbox-status]")!.GetAttribute("data-status"), new[] { nameof(OutboxStatus.Queued), nameof(OutboxStatus.KeptLocally) });
        Assert.NotNull(row.QuerySelector("time"));
        Assert.NotNull(row.QuerySelector($"[data-testid=outbox-read-{id}]"));
        // The test app has no SendGrid key: the banner says mail stays here.
        Assert.Contains("No SendGrid API key is configured", cut.Find("[data-testid=outbox-local-banner]").TextContent);
    }

    [Fact]
    public async Task The_body_is_shown_as_encoded_preformatted_text_and_reading_it_is_audited()
    {
        var subject = "Temporary password " + Guid.NewGuid().ToString("N")[..8];
        const string body = "Your temporary password: Abc-123\n<a href=\"https://evil.example\">click</a>\n<script>alert(1)</script>";
        var id = await SendAsync(new MailMessage("someone@test.local", null, subject, body));

        await using var test = NewContext();
        var dialogs = test.Context.Render<MudDialogProvider>();
        var cut = test.Context.Render<Outbox>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find($"[data-testid=outbox-read-{id}]")), Wait);

        cut.Find($"[data-testid=outbox-read-{id}]").Click();

        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=outbox-message-body]")), Wait);
        var pre = dialogs.Find("[data-testid=outbox-message-body]");
        Assert.Equal("PRE", pre.TagName);
        Assert.Equal(body, pre.TextContent);
        Assert.Empty(pre.Children);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", dialogs.Markup, StringComparison.Ordinal);
        Assert.Contains("someone@test.local", dialogs.Find("[data-testid=outbox-message-fields]").TextContent);

        var viewed = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditActions.MailViewed && e.EntityId == id.ToString()).ToListAsync());
        var entry = Assert.Single(viewed);
        Assert.Contains(subject, AuditText.English(entry), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_message_dialog_shows_the_id_the_transport_reported()
    {
        var subject = "Provider id " + Guid.NewGuid().ToString("N")[..8];
        var id = await SendAsync(new MailMessage("someone@test.local", null, subject, "Body"));
        // Kept locally (no SendGrid key in the test app): the local outbox reports the outbox id.
        await Eventually.GetAsync(() => factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id)),
            m => m.ProviderMessageId is not null, "the job kept the message");

        await using var test = NewContext();
        var dialogs = test.Context.Render<MudDialogProvider>();
        var cut = test.Context.Render<Outbox>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find($"[data-testid=outbox-read-{id}]")), Wait);
        cut.Find($"[data-testid=outbox-read-{id}]").Click();

        dialogs.WaitForAssertion(() => Assert.Equal(id.ToString(), dialogs.Find("[data-testid=outbox-message-provider-id]").TextContent), Wait);
        Assert.Contains("Provider message ID", dialogs.Find("[data-testid=outbox-message-fields]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Japanese_culture_shows_Japanese()
    {
        await SendAsync(new MailMessage("ja@test.local", null, "件名テスト", "本文"));

        await using var test = NewContext("ja-JP");
        var cut = test.Context.Render<Outbox>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=outbox-subject]")), Wait);

        Assert.Equal("メール送信箱", cut.Find("h1").TextContent);
        Assert.Contains("SendGrid の API キーが設定されていない", cut.Find("[data-testid=outbox-local-banner]").TextContent);
        Assert.Contains("件名", cut.Find("[data-testid=outbox-table] thead").TextContent);
        Assert.Contains("本文を表示", cut.Markup);
    }

    private ComponentTestContext NewContext(string culture = "en")
    {
        var test = new ComponentTestContext(factory, culture);
        test.SignIn("admin-1", "admin@test.local", StaffRoles.Administrator);
        return test;
    }

    private Task<Guid> SendAsync(MailMessage message) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IMailSender>().SendAsync(message));
}
