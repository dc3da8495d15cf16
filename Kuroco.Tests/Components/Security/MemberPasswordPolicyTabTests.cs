using Bunit;
using Kuroco.Core.Members;
using Kuroco.Core.Security;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PolicyPage = Kuroco.Admin.Components.Pages.Security.PasswordPolicy;

namespace Kuroco.Tests.Components.Security;

/// <summary>The Password policy screen's two tabs: the staff policy and the websites' member policy, one form bound to each.</summary>
public sealed class MemberPasswordPolicyTabTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private Task<PasswordPolicy> StoredStaffAsync() => factory.WithScopeAsync(sp =>
    {
        sp.GetRequiredService<Kuroco.Infrastructure.Security.PasswordPolicyCache>().Clear();
        return sp.GetRequiredService<IPasswordPolicyStore>().GetAsync();
    });

    private Task<PasswordPolicy> StoredMemberAsync() => factory.WithScopeAsync(sp =>
    {
        sp.GetRequiredService<Kuroco.Infrastructure.Security.MemberPasswordPolicyCache>().Clear();
        return sp.GetRequiredService<IMemberPasswordPolicyStore>().GetAsync();
    });

    /// <summary>Staff back to the defaults, members to a policy that differs from them (minimum length 10), so each tab shows its own.</summary>
    private async Task ResetAsync()
    {
        Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().SaveAsync(new PasswordPolicy()))).Succeeded);
        Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberPasswordPolicyStore>().SaveAsync(new PasswordPolicy { MinLength = 10 }))).Succeeded);
    }

    private static IRenderedComponent<PolicyPage> RenderAt(ComponentTestContext test, string uri)
    {
        test.Context.Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        return test.Context.Render<PolicyPage>();
    }

    private static AngleSharp.Dom.IElement TabHeader(IRenderedComponent<PolicyPage> cut, string text) =>
        cut.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == text);

    private static string? Audience(IRenderedComponent<PolicyPage> cut) =>
        cut.Find("[data-testid=policy-form]").GetAttribute("data-audience");

    [Fact]
    public async Task The_staff_tab_opens_first_and_the_members_tab_shows_the_member_policy_and_the_address_follows()
    {
        await ResetAsync();
        await using var test = new ComponentTestContext(factory);
        test.SignIn("officer-id", "officer@test.local", StaffRoles.SecurityOfficer);
        var navigation = test.Context.Services.GetRequiredService<NavigationManager>();
        var cut = RenderAt(test, "/security/password-policy");

        cut.WaitForAssertion(() => Assert.Equal("12", cut.Find("[data-testid=policy-min-length]").GetAttribute("value")), Wait);
        Assert.Equal("staff", Audience(cut));
        Assert.Single(cut.FindAll("[data-testid=policy-form]"));
        Assert.Contains("Locked until an Administrator unlocks", cut.Find("[data-testid=policy-form]").TextContent, StringComparison.Ordinal);

        TabHeader(cut, "Members").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("members", Audience(cut));
            Assert.Equal("10", cut.Find("[data-testid=policy-min-length]").GetAttribute("value"));
            Assert.Equal("5", cut.Find("[data-testid=policy-max-failed]").GetAttribute("value"));
        }, Wait);
        Assert.Single(cut.FindAll("[data-testid=policy-form]"));
        // The member form speaks of members: staff (not only Administrators) unlock them.
        Assert.Contains("Locked until staff unlock", cut.Find("[data-testid=policy-form]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Administrator", cut.Find("[data-testid=policy-form]").TextContent, StringComparison.Ordinal);
        Assert.EndsWith("/security/password-policy?tab=members", navigation.Uri, StringComparison.Ordinal);

        TabHeader(cut, "Staff").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("staff", Audience(cut));
            Assert.Equal("12", cut.Find("[data-testid=policy-min-length]").GetAttribute("value"));
        }, Wait);
        Assert.EndsWith("/security/password-policy", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_with_tab_members_opens_the_member_policy_in_japanese()
    {
        await ResetAsync();
        await using var test = new ComponentTestContext(factory, "ja-JP");
        test.SignIn("officer-id", "officer@test.local", StaffRoles.SecurityOfficer);

        var cut = RenderAt(test, "/security/password-policy?tab=members");

        cut.WaitForAssertion(() => Assert.Equal("10", cut.Find("[data-testid=policy-min-length]").GetAttribute("value")), Wait);
        Assert.Equal("members", Audience(cut));
        Assert.Contains("会員アカウント", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("パスワードポリシー", cut.Find("h1").TextContent);
    }

    [Theory]
    [InlineData("policy-min-length", "4", "Enter a value from 8 to 64.")]
    [InlineData("policy-max-failed", "2", "Enter a value from 3 to 20.")]
    [InlineData("policy-max-failed", "21", "Enter a value from 3 to 20.")]
    [InlineData("policy-history", "25", "Enter a value from 0 to 24.")]
    [InlineData("policy-expiry", "4000", "Enter a value from 0 to 3650.")]
    [InlineData("policy-remember-days", "365", "Enter a value from 1 to 90.")]
    public async Task An_out_of_range_member_value_is_kept_as_typed_refused_next_to_its_field_and_neither_policy_changes(string field, string typed, string message)
    {
        await ResetAsync();
        var staffBefore = (await StoredStaffAsync()).Settings();
        var memberBefore = (await StoredMemberAsync()).Settings();
        await using var test = new ComponentTestContext(factory);
        test.SignIn("officer-id", "officer@test.local", StaffRoles.SecurityOfficer);
        var dialogs = test.Context.Render<MudDialogProvider>();
        var cut = RenderAt(test, "/security/password-policy?tab=members");
        cut.WaitForAssertion(() => Assert.Equal("10", cut.Find("[data-testid=policy-min-length]").GetAttribute("value")), Wait);

        cut.Find($"[data-testid={field}]").Input(typed);

        // Never clamped: the field keeps what was typed and says why, beside the field.
        cut.WaitForAssertion(() =>
        {
            var input = cut.Find($"[data-testid={field}]");
            Assert.Equal(typed, input.GetAttribute("value"));
            Assert.Equal(message, input.Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim());
        }, Wait);

        cut.Find("[data-testid=save-policy]").Click();

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find("[data-testid=policy-errors]").TextContent), Wait);
        Assert.Empty(dialogs.FindAll("[data-testid=policy-changes-dialog]"));
        Assert.Equal(typed, cut.Find($"[data-testid={field}]").GetAttribute("value"));
        Assert.Equal(memberBefore, (await StoredMemberAsync()).Settings());
        Assert.Equal(staffBefore, (await StoredStaffAsync()).Settings());
    }

    [Fact]
    public async Task The_member_save_asks_with_the_member_wording_and_a_cancel_changes_nothing()
    {
        await ResetAsync();
        await using var test = new ComponentTestContext(factory);
        test.SignIn("officer-id", "officer@test.local", StaffRoles.SecurityOfficer);
        var dialogs = test.Context.Render<MudDialogProvider>();
        var cut = RenderAt(test, "/security/password-policy?tab=members");
        cut.WaitForAssertion(() => Assert.Equal("5", cut.Find("[data-testid=policy-max-failed]").GetAttribute("value")), Wait);

        cut.Find("[data-testid=policy-max-failed]").Input("8");
        cut.Find("[data-testid=save-policy]").Click();

        dialogs.WaitForAssertion(() => Assert.Single(dialogs.FindAll("[data-testid=policy-change]")), Wait);
        Assert.Contains("Save the member password policy?", dialogs.Markup, StringComparison.Ordinal);
        Assert.Contains("every member account", dialogs.Find("[data-testid=policy-changes-dialog]").TextContent, StringComparison.Ordinal);
        var row = dialogs.Find("[data-testid=policy-change]");
        Assert.Equal("MaxFailedAttempts", row.GetAttribute("data-field"));
        Assert.Contains("8", row.TextContent, StringComparison.Ordinal);
        dialogs.Find("[data-testid=policy-changes-cancel]").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=policy-changes-dialog]")), Wait);
        Assert.Equal(5, (await StoredMemberAsync()).MaxFailedAttempts);
    }
}
