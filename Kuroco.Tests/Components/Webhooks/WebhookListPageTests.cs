using AngleSharp.Dom;
using Bunit;
using Kuroco.Admin.Components.Pages.Webhooks;
using Kuroco.Core.Staff;
using Kuroco.Core.Webhooks;
using Kuroco.Tests.Integration.Webhooks;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Webhooks;

/// <summary>What the webhooks page keeps across its tabs (each tab is its own component).</summary>
public sealed class WebhookListPageTests(WebhookAppFactory factory) : IClassFixture<WebhookAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_rows_delivery_log_opens_the_log_filtered_to_that_webhook()
    {
        factory.Resolver.Set("log.example", "93.184.216.34");
        var (id, _) = await factory.CreateSubscriptionAsync("https://log.example/hook");
        var other = await factory.CreateSubscriptionAsync("https://log.example/other");
        await factory.WithScopeAsync(async sp =>
        {
            var webhooks = sp.GetRequiredService<IWebhookService>();
            Assert.True((await webhooks.SendTestAsync(id)).Succeeded);
            Assert.True((await webhooks.SendTestAsync(other.Id)).Succeeded);
        });
        var name = (await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>().ListAsync())).Single(s => s.Id == id).Name;
        await using var test = NewContext();
        test.Context.Render<MudDialogProvider>();
        var page = test.Context.Render<WebhookList>();
        page.WaitForAssertion(() => page.Find($"[data-testid=webhook-log-{id}]"), Wait);

        page.Find($"[data-testid=webhook-log-{id}]").Click();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("[data-testid=deliveries-table] tbody tr").Where(r => r.QuerySelector("[data-testid=delivery-event]") is not null).ToList();
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Contains(name, r.TextContent, StringComparison.Ordinal));
        }, Wait);
        Assert.Contains(name, page.Find("[data-testid=filter-webhook]").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsaved_allowed_hosts_survive_switching_tabs_and_a_bad_one_is_refused_in_the_page_alert()
    {
        await using var test = NewContext();
        test.Context.Render<MudDialogProvider>();
        var page = test.Context.Render<WebhookList>();
        page.WaitForAssertion(() => page.Find("[data-testid=add-webhook]"), Wait);

        Tab(page, "Allowed hosts").Click();
        page.WaitForAssertion(() => page.Find("[data-testid=host-add]"), Wait);
        var index = page.FindAll("input[data-testid^=host-comment-]").Count;
        page.Find("[data-testid=host-add]").Click();
        page.Find($"input[data-testid=host-{index}]").Change("bad host!");

        Tab(page, "Subscriptions").Click();
        page.WaitForAssertion(() => page.Find("[data-testid=add-webhook]"), Wait);
        Tab(page, "Allowed hosts").Click();
        page.WaitForAssertion(() => Assert.Equal("bad host!", page.Find($"input[data-testid=host-{index}]").GetAttribute("value")), Wait);

        page.Find("[data-testid=hosts-save]").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.Find("[data-testid=webhooks-errors]").TextContent.Trim()), Wait);
        Assert.DoesNotContain(await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>().ListAllowedHostsAsync()), h => h.Host == "bad host!");

        page.Find($"input[data-testid=host-{index}]").Change("build.internal.test");
        page.Find("[data-testid=hosts-save]").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=webhooks-errors]")), Wait);
        Assert.Contains(await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>().ListAllowedHostsAsync()), h => h.Host == "build.internal.test");
    }

    private static IElement Tab(IRenderedComponent<WebhookList> page, string text) =>
        page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == text);

    private ComponentTestContext NewContext()
    {
        var test = new ComponentTestContext(factory);
        test.SignIn("admin-1", "admin@test.local", StaffRoles.Administrator);
        return test;
    }
}
