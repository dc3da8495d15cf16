using Bunit;
using Kuroco.Admin.Components.Pages.Staff;
using Kuroco.Admin.Components.Shared;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Components.Security;

/// <summary>
/// A page refused inside a live console (navigating there, no request reaches the server's authorization) is audited like
/// a request for it: the page, the roles it allows, once per user and page per window.
/// </summary>
public sealed class AccessDeniedViewTests(KurocoAppFactory app) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task A_page_refused_after_navigating_is_audited_once_with_the_roles_it_allows()
    {
        await using var ctx = new ComponentTestContext(app);
        ctx.SignIn(Guid.NewGuid().ToString(), "navigator@example.com", StaffRoles.ContentEditor);
        var path = "/staff-" + Guid.NewGuid().ToString("N")[..8];
        ctx.Context.Services.GetRequiredService<NavigationManager>().NavigateTo(path);

        var view = ctx.Context.Render<AccessDeniedView>(p => p.Add(v => v.Page, typeof(StaffList)));
        ctx.Context.Render<AccessDeniedView>(p => p.Add(v => v.Page, typeof(StaffList)));

        Assert.NotNull(view.Find("[data-testid=access-denied]"));
        var entry = Assert.Single(await Eventually.GetAsync(
            async () => (await app.AuditEntriesAsync()).Where(e => e.Action == AuditActions.AccessDenied && e.EntityId == path).ToList(),
            entries => entries.Count > 0, "the refusal's entry", TimeSpan.FromSeconds(10)));
        Assert.Equal(AuditOutcome.Denied, entry.Outcome);
        var parameters = AuditParameters.Deserialize(entry.Parameters);
        Assert.Equal("GET", parameters["method"]);
        Assert.Contains(StaffRoles.Administrator, parameters["roles"]!.Split(','));
        Assert.DoesNotContain(StaffRoles.ContentEditor, parameters["roles"]!.Split(','));
    }
}
