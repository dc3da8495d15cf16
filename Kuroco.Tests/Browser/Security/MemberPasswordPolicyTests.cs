using System.Text.RegularExpressions;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Security;

/// <summary>An Administrator changes the website members' lockout threshold on the Members tab; a reload shows it, and the staff policy keeps its own.</summary>
public sealed partial class MemberPasswordPolicyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string AdminEmail = "ada.admin@test.local";

    [Fact]
    public Task An_administrator_changes_the_member_lockout_threshold_and_sees_it_after_a_reload() =>
        browser.RunAsync(nameof(An_administrator_changes_the_member_lockout_threshold_and_sees_it_after_a_reload), async page =>
        {
            await browser.App.CreateStaffAsync(AdminEmail, StaffRoles.Administrator);
            await BrowserFixture.SignInAsync(page, AdminEmail);
            await page.GotoAsync("/security/password-policy");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Password policy");
            await Expect(Form(page, "staff")).ToBeVisibleAsync();

            // The tab answers only once the circuit is connected.
            await BrowserFixture.ClickUntilVisibleAsync(Tab(page, "Members"), Form(page, "members"), "the Members tab");
            await Expect(page).ToHaveURLAsync(MembersTabUrl());
            var threshold = Form(page, "members").GetByTestId("policy-max-failed");
            await Expect(threshold).ToHaveValueAsync("5");

            await threshold.FillAsync("8");
            await threshold.PressAsync("Tab");
            await page.GetByTestId("save-policy").ClickAsync();
            var change = page.GetByTestId("policy-change");
            await Expect(change).ToHaveCountAsync(1);
            await Expect(change).ToContainTextAsync("Failed sign-ins before lockout");
            await Expect(change).ToContainTextAsync("8");
            await Expect(page.GetByTestId("policy-changes-dialog")).ToContainTextAsync("every member account");
            await page.GetByTestId("policy-changes-confirm").ClickAsync();
            await Expect(page.GetByText("The member password policy was saved.")).ToBeVisibleAsync();

            // The address names the tab, so a reload comes back to it with the stored value.
            await page.ReloadAsync();
            await Expect(page).ToHaveURLAsync(MembersTabUrl());
            await Expect(Form(page, "members").GetByTestId("policy-max-failed")).ToHaveValueAsync("8");

            // The staff policy is a different row: still the seed's 5.
            await BrowserFixture.ClickUntilVisibleAsync(Tab(page, "Staff"), Form(page, "staff"), "the Staff tab");
            await Expect(Form(page, "staff").GetByTestId("policy-max-failed")).ToHaveValueAsync("5");

            var (members, staff) = await browser.App.WithScopeAsync(async sp =>
            {
                sp.GetRequiredService<Kuroco.Infrastructure.Security.MemberPasswordPolicyCache>().Clear();
                sp.GetRequiredService<Kuroco.Infrastructure.Security.PasswordPolicyCache>().Clear();
                return (await sp.GetRequiredService<Kuroco.Core.Members.IMemberPasswordPolicyStore>().GetAsync(),
                    await sp.GetRequiredService<Kuroco.Core.Security.IPasswordPolicyStore>().GetAsync());
            });
            Assert.Equal((8, 5), (members.MaxFailedAttempts, staff.MaxFailedAttempts));
            var entry = (await browser.App.AuditEntriesAsync()).Last(e => e.Action == AuditActions.MemberPasswordPolicyChanged);
            Assert.Contains(AuditChanges.Deserialize(entry.Changes), c => c is { Field: "MaxFailedAttempts", Before: "5", After: "8" });
        });

    private static ILocator Form(IPage page, string audience) => page.Locator($"[data-testid=policy-form][data-audience={audience}]");

    private static ILocator Tab(IPage page, string name) =>
        page.Locator(".mud-tab", new() { HasTextRegex = new Regex($"^\\s*{name}\\s*$") });

    [GeneratedRegex(@"/security/password-policy\?tab=members$")]
    private static partial Regex MembersTabUrl();
}
