using Bunit;
using Kuroco.Admin.Audit;
using Kuroco.Admin.Components.Pages.Security;
using Kuroco.Core.Audit;
using Kuroco.Core.Security;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Security;

/// <summary>The IP restrictions screen against the real app and database, as seen from a circuit opened at 192.0.2.10.</summary>
public sealed class IpRestrictionsPageTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private const string MyAddress = "192.0.2.10";

    private sealed record Screen(ComponentTestContext Test, IRenderedComponent<IpRestrictions> Page, IRenderedComponent<MudDialogProvider> Dialogs) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Test.DisposeAsync();
    }

    private Screen Open(string culture = "en")
    {
        var test = new ComponentTestContext(factory, culture);
        test.SignIn("officer-id", "officer@test.local", StaffRoles.SecurityOfficer);
        // The page reads the address the circuit was opened from (the app scope's CircuitOrigin).
        var origin = test.AppServices!.GetRequiredService<CircuitOrigin>();
        origin.IsCircuit = true;
        origin.Origin = new AuditOrigin(MyAddress, "bunit", "circuit-1");
        var dialogs = test.Context.Render<MudDialogProvider>();
        var page = test.Context.Render<IpRestrictions>();
        return new Screen(test, page, dialogs);
    }

    private Task<IReadOnlyList<IpAllowlistEntry>> StoredAsync(IpAllowlistKind kind) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IIpAllowlistService>().ListAsync(kind));

    private Task ClearAsync() => factory.WithScopeAsync(async sp =>
    {
        var service = sp.GetRequiredService<IIpAllowlistService>();
        await service.SaveAsync(IpAllowlistKind.Console, []);
        await service.SaveAsync(IpAllowlistKind.Api, []);
    });

    [Fact]
    public async Task Shows_my_address_and_asks_before_a_console_list_that_locks_me_out()
    {
        await ClearAsync();
        await using var screen = Open();
        var page = screen.Page;
        page.WaitForAssertion(() => Assert.Equal(MyAddress, page.Find("[data-testid=ip-current-address]").TextContent), Wait);
        Assert.NotNull(page.Find("[data-testid=ip-open-Console]"));

        page.Find("[data-testid=ip-add-Console]").Click();
        page.Find("[data-testid=ip-cidr-Console-0]").Input("198.51.100.0/24");
        page.Find("[data-testid=ip-comment-Console-0]").Input("Elsewhere");
        page.Find("[data-testid=ip-save-Console]").Click();

        screen.Dialogs.WaitForAssertion(() => Assert.Contains(MyAddress, screen.Dialogs.Find("[data-testid=confirm-message]").TextContent), Wait);
        screen.Dialogs.Find("[data-testid=confirm-cancel]").Click();
        Assert.Empty(await StoredAsync(IpAllowlistKind.Console));

        page.Find("[data-testid=ip-save-Console]").Click();
        screen.Dialogs.WaitForAssertion(() => screen.Dialogs.Find("[data-testid=confirm-ok]"), Wait);
        screen.Dialogs.Find("[data-testid=confirm-ok]").Click();
        await Eventually.GetAsync(() => StoredAsync(IpAllowlistKind.Console), l => l.Count == 1, "the console list is saved");
        Assert.Equal(new IpAllowlistEntry("198.51.100.0/24", "Elsewhere"), Assert.Single(await StoredAsync(IpAllowlistKind.Console)));
        await ClearAsync();
    }

    [Fact]
    public async Task A_console_list_with_my_address_saves_without_asking_and_is_audited()
    {
        await ClearAsync();
        var before = (await factory.AuditEntriesAsync()).Count;
        await using var screen = Open();
        var page = screen.Page;
        page.WaitForAssertion(() => page.Find("[data-testid=ip-add-Console]"), Wait);
        page.Find("[data-testid=ip-add-Console]").Click();
        page.Find("[data-testid=ip-cidr-Console-0]").Input("192.0.2.0/24");
        page.Find("[data-testid=ip-save-Console]").Click();

        await Eventually.GetAsync(() => StoredAsync(IpAllowlistKind.Console), l => l.Count == 1, "the console list is saved");
        Assert.Empty(screen.Dialogs.FindAll("[data-testid=confirm-dialog]"));
        Assert.Contains((await factory.AuditEntriesAsync()).Skip(before), e => e.Action == AuditActions.IpAllowlistChanged && e.EntityId == "Console");
        await ClearAsync();
    }

    [Fact]
    public async Task An_invalid_range_is_shown_on_its_row_and_nothing_is_saved()
    {
        await ClearAsync();
        await using var screen = Open();
        var page = screen.Page;
        page.WaitForAssertion(() => page.Find("[data-testid=ip-add-Api]"), Wait);
        page.Find("[data-testid=ip-add-Api]").Click();
        page.Find("[data-testid=ip-cidr-Api-0]").Input("10.0.0.1/8");
        page.WaitForAssertion(() => Assert.Contains("Not a valid address or CIDR range", page.Markup), Wait);
        page.Find("[data-testid=ip-save-Api]").Click();
        page.WaitForAssertion(() => Assert.Contains("Not a valid address or CIDR range", page.Find("[data-testid=ip-errors-Api]").TextContent), Wait);
        Assert.Empty(await StoredAsync(IpAllowlistKind.Api));
    }

    [Fact]
    public async Task Japanese_culture_shows_Japanese()
    {
        await using var screen = Open("ja-JP");
        screen.Page.WaitForAssertion(() => Assert.Equal("IPアドレス制限", screen.Page.Find("h1").TextContent), Wait);
        Assert.Contains("コンソールの許可リスト", screen.Page.Markup);
    }
}
