using Bunit;
using Kuroco.Admin.Components.Pages.Api;
using Kuroco.Admin.Components.Pages.Media;
using Kuroco.Admin.Components.Pages.Staff.Components;
using Kuroco.Admin.Components.Pages.Webhooks.Components;
using Kuroco.Core.Api;
using Kuroco.Core.Media;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Audit;

/// <summary>
/// "History" (the audit log filtered to one entity) on the staff, media, webhook and API-key screens: there, with the
/// entity's type and id, for the roles that may read the audit log; absent for the others. Policies are granted from
/// the app's own role map (<see cref="AreaPolicies.RolesByPolicy"/>).
/// </summary>
public sealed class AuditHistoryLinkTests(KurocoAppFactory app) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static ComponentTestContext SignedIn(KurocoAppFactory app, string role)
    {
        var ctx = new ComponentTestContext(app);
        ctx.SignIn(Guid.NewGuid().ToString(), "history-" + role.ToLowerInvariant() + "@example.com", role);
        ctx.Auth.SetPolicies([.. AreaPolicies.RolesByPolicy.Keys.Where(p => AreaPolicies.Allows(p, [role]))]);
        return ctx;
    }

    private static async Task<IRenderedComponent<MudDialogProvider>> OpenAsync<TDialog>(ComponentTestContext ctx, DialogParameters<TDialog> parameters)
        where TDialog : IComponent
    {
        var provider = ctx.Context.Render<MudDialogProvider>();
        var dialogs = ctx.Context.Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<TDialog>("", parameters));
        return provider;
    }

    private static string Expected(string entityType, string id) => $"/audit?entity={entityType}&entityId={id}";

    [Theory]
    [InlineData(StaffRoles.Administrator)]
    [InlineData(StaffRoles.SecurityOfficer)]
    public async Task The_staff_edit_dialog_links_to_the_staff_members_history(string role)
    {
        await using var ctx = SignedIn(app, role);
        var id = Guid.NewGuid().ToString();
        var member = new StaffSummary(id, "someone@example.com", "Someone", [StaffRoles.ContentEditor], true, false, false, "Asia/Tokyo", null, DateTime.UtcNow);

        var provider = await OpenAsync(ctx, new DialogParameters<EditStaffDialog> { { d => d.Member, member } });

        provider.WaitForAssertion(() => Assert.Equal(Expected("Staff", id),
            provider.Find("[role=dialog] [data-testid=audit-history-link]").GetAttribute("href")), Wait);
    }

    [Theory]
    [InlineData(StaffRoles.SecurityOfficer, true)]
    [InlineData(StaffRoles.Administrator, true)]
    [InlineData(StaffRoles.ContentEditor, false)]
    public async Task The_media_details_link_to_the_items_history_only_for_audit_readers(string role, bool shown)
    {
        await using var ctx = SignedIn(app, role);
        var item = new MediaItem { Id = Guid.NewGuid(), OriginalFileName = "photo.png", ContentType = "image/png", SizeBytes = 10 };

        var provider = await OpenAsync(ctx, new DialogParameters<MediaDetailsDialog> { { d => d.Item, item } });

        provider.WaitForAssertion(() => provider.Find("[data-testid=media-details]"), Wait);
        var links = provider.FindAll("[role=dialog] [data-testid=audit-history-link]");
        if (shown)
        {
            Assert.Equal(Expected("MediaItem", item.Id.ToString("D")), Assert.Single(links).GetAttribute("href"));
        }
        else
        {
            Assert.Empty(links);
        }
    }

    [Theory]
    [InlineData(StaffRoles.Administrator, true)]
    [InlineData(StaffRoles.ContentEditor, false)]
    public async Task The_webhook_edit_dialog_links_to_the_webhooks_history_only_for_audit_readers(string role, bool shown)
    {
        await using var ctx = SignedIn(app, role);
        var id = Guid.NewGuid();

        var provider = await OpenAsync(ctx, new DialogParameters<WebhookSubscriptionDialog> { { d => d.SubscriptionId, id } });

        provider.WaitForAssertion(() => provider.Find("[data-testid=webhook-dialog]"), Wait);
        var links = provider.FindAll("[role=dialog] [data-testid=audit-history-link]");
        if (shown)
        {
            Assert.Equal(Expected("Webhook", id.ToString()), Assert.Single(links).GetAttribute("href"));
        }
        else
        {
            Assert.Empty(links);
        }
    }

    [Fact]
    public async Task A_new_webhook_has_no_history_yet()
    {
        await using var ctx = SignedIn(app, StaffRoles.Administrator);

        var provider = await OpenAsync(ctx, new DialogParameters<WebhookSubscriptionDialog>());

        provider.WaitForAssertion(() => provider.Find("[data-testid=webhook-dialog]"), Wait);
        Assert.Empty(provider.FindAll("[data-testid=audit-history-link]"));
    }

    [Theory]
    [InlineData(StaffRoles.Administrator, true)]
    [InlineData(StaffRoles.Operator, false)]
    public async Task Each_api_key_row_links_to_the_keys_history_only_for_audit_readers(string role, bool shown)
    {
        var name = "History key " + Guid.NewGuid().ToString("N")[..6];
        var key = await app.WithScopeAsync(async sp =>
        {
            var keys = sp.GetRequiredService<IApiKeyService>();
            Assert.True((await keys.CreateAsync(new CreateApiKeyRequest { Name = name })).Succeeded);
            return (await keys.ListAsync()).Single(k => k.Name == name);
        });
        await using var ctx = SignedIn(app, role);

        var page = ctx.Context.Render<ApiKeys>();

        page.WaitForAssertion(() => page.Find($"[data-testid=api-key-name-{key.Prefix}]"), Wait);
        var row = page.Find($"[data-testid=api-key-name-{key.Prefix}]").ParentElement!;
        var links = row.QuerySelectorAll("[data-testid=audit-history-link]");
        if (shown)
        {
            Assert.Equal(Expected("ApiKey", key.Id.ToString("D")), Assert.Single(links).GetAttribute("href"));
        }
        else
        {
            Assert.Empty(links);
        }
    }
}
