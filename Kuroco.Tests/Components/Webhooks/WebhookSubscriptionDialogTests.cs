using Bunit;
using Kuroco.Admin.Components.Pages.Webhooks;
using Kuroco.Core.Staff;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Webhooks;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Webhooks;

public sealed class WebhookSubscriptionDialogTests(WebhookAppFactory factory) : IClassFixture<WebhookAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Creating_a_webhook_refuses_an_internal_target_then_saves_and_shows_the_secret_once()
    {
        factory.Resolver.Set("hooks.example", "93.184.216.34");
        var name = "Site build " + Guid.NewGuid().ToString("N")[..6];
        await using var test = NewContext();
        var dialogs = test.Context.Render<MudDialogProvider>();
        var page = test.Context.Render<WebhookList>();

        page.Find("[data-testid=add-webhook]").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=webhook-name]"), Wait);
        dialogs.Find("[data-testid=webhook-name]").Change(name);
        dialogs.Find("[data-testid=webhook-url]").Change("https://169.254.169.254/latest/meta-data/");
        dialogs.Find("[data-testid=webhook-content-type]").Change("news");
        dialogs.Find("[data-testid=webhook-save]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("loopback, private", dialogs.Find("[data-testid=webhook-errors]").TextContent), Wait);
        Assert.False(await Exists(name));

        dialogs.Find("[data-testid=webhook-url]").Change("https://hooks.example/build");
        dialogs.Find("[data-testid=webhook-event-content-deleted]").Change(true);
        dialogs.Find("[data-testid=webhook-save]").Click();

        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=webhook-secret-dialog]"), Wait);
        var secret = dialogs.Find("[data-testid=webhook-secret-dialog] input[data-testid=secret-value]").GetAttribute("value");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var stored = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Name == name));
        Assert.Equal("https://hooks.example/build", stored.TargetUrl);
        Assert.Equal("news", stored.ContentType);
        Assert.Equal([WebhookEventTypes.ContentPublished, WebhookEventTypes.ContentDeleted], stored.EventList);

        dialogs.Find("[data-testid=secret-stored]").Change(true);
        dialogs.Find("[data-testid=secret-done]").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=webhook-secret-dialog]")), Wait);
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=webhook-row-name]"), e => e.TextContent == name), Wait);
        Assert.DoesNotContain(secret!, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Field_rules_are_shown_and_nothing_is_saved()
    {
        await using var test = NewContext();
        var dialogs = test.Context.Render<MudDialogProvider>();
        var page = test.Context.Render<WebhookList>();
        var before = await Count();

        page.Find("[data-testid=add-webhook]").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=webhook-url]"), Wait);
        dialogs.Find("[data-testid=webhook-url]").Change("https://user:secret@hooks.example/");
        dialogs.Find("[data-testid=webhook-event-content-published]").Change(false);
        dialogs.Find("[data-testid=webhook-save]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("user name or password", dialogs.Markup, StringComparison.Ordinal), Wait);
        Assert.Contains("Enter a name.", dialogs.Markup, StringComparison.Ordinal);
        Assert.Contains("Choose at least one event.", dialogs.Find("[data-testid=webhook-events-error]").TextContent);
        Assert.Equal(before, await Count());
    }

    [Fact]
    public async Task Japanese_culture_shows_Japanese()
    {
        await using var test = NewContext("ja-JP");
        var dialogs = test.Context.Render<MudDialogProvider>();
        var page = test.Context.Render<WebhookList>();

        Assert.Equal("Webhook", page.Find("h1").TextContent);
        page.Find("[data-testid=add-webhook]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("送信先 URL", dialogs.Markup, StringComparison.Ordinal), Wait);
        Assert.Contains("公開", dialogs.Markup, StringComparison.Ordinal);
    }

    private Task<bool> Exists(string name) => factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().WebhookSubscriptions.AnyAsync(s => s.Name == name));

    private Task<int> Count() => factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().WebhookSubscriptions.CountAsync());

    private ComponentTestContext NewContext(string culture = "en")
    {
        var test = new ComponentTestContext(factory, culture);
        test.SignIn("admin-1", "admin@test.local", StaffRoles.Administrator);
        return test;
    }
}
