using Bunit;
using Kuroco.Admin.Components.Pages.Staff;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Staff;

/// <summary>An Administrator ends all sessions of a staff member from the staff list.</summary>
public sealed class StaffSignOutEverywhereTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_action_asks_first_then_changes_the_security_stamp_and_is_audited()
    {
        var email = $"signout-{Guid.NewGuid():N}@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var stampBefore = await StampAsync(id);

        await using var test = new ComponentTestContext(factory, "en");
        test.SignIn("admin-id", KurocoAppFactory.AdminEmail, StaffRoles.Administrator);
        var dialogs = test.Context.Render<MudDialogProvider>();
        test.Context.Render<MudSnackbarProvider>();
        var list = test.Context.Render<StaffList>();
        list.WaitForAssertion(() => list.Find($"[data-testid='sign-out-everywhere-{email}']"), Wait);

        list.Find($"[data-testid='sign-out-everywhere-{email}']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains($"Sign out {email} everywhere?", dialogs.Markup), Wait);
        dialogs.Find("[data-testid=confirm-ok]").Click();

        await Eventually.GetAsync(() => StampAsync(id), stamp => stamp != stampBefore, "a new security stamp");
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.StaffSignedOutEverywhere && e.EntityId == id);
    }

    private Task<string> StampAsync(string id) => factory.WithScopeAsync(async sp =>
    {
        var users = sp.GetRequiredService<UserManager<StaffUser>>();
        return await users.GetSecurityStampAsync((await users.FindByIdAsync(id))!);
    });
}
