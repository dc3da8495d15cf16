using Bunit;
using Kuroco.Admin.Components.Pages.Members;
using Kuroco.Core.Members;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Members;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Members;

/// <summary>The member pages against the real services: the list in Japanese with a shared search link, and group deletion that moves or removes members.</summary>
public sealed class MemberConsolePageTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_list_in_japanese_finds_a_member_by_a_full_width_search_from_a_shared_link()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var member = await factory.AddMemberAsync("高橋 " + tag, "たかはし");
        var other = await factory.AddMemberAsync("Other " + tag);
        await using var test = new ComponentTestContext(factory, "ja");
        test.SignIn("support-id", "support@test.local", StaffRoles.SupportStaff);
        test.Context.Render<MudDialogProvider>();
        test.Context.Render<MudSnackbarProvider>();
        // Full-width latin letters and katakana: folded like the stored text.
        test.Context.Services.GetRequiredService<NavigationManager>().NavigateTo("members?q=" + Uri.EscapeDataString("タカハシ " + tag.ToUpperInvariant().Normalize(System.Text.NormalizationForm.FormKC)));

        var page = test.Context.Render<MemberList>();

        page.WaitForAssertion(() => page.Find($"[data-testid=member-link-{member.Id}]"), Wait);
        Assert.Empty(page.FindAll($"[data-testid=member-link-{other.Id}]"));
        Assert.Equal("会員", page.Find("h1").TextContent);
        Assert.Contains("該当する会員: 1 人", page.Find("[data-testid=members-total]").TextContent, StringComparison.Ordinal);
        // Support staff see no settings link (Administrators only).
        Assert.Empty(page.FindAll("[data-testid=go-settings]"));
    }

    [Fact]
    public async Task Deleting_a_group_with_members_needs_a_choice_and_then_takes_them_out()
    {
        var doomed = await factory.AddGroupAsync();
        var a = await factory.AddMemberAsync("In group A", groups: [doomed.Id]);
        await factory.AddMemberAsync("In group B", groups: [doomed.Id]);
        await using var test = new ComponentTestContext(factory, "en");
        test.SignIn("admin-id", "admin@test.local", StaffRoles.Administrator);
        var dialogs = test.Context.Render<MudDialogProvider>();
        test.Context.Render<MudSnackbarProvider>();
        var page = test.Context.Render<MemberGroups>();
        page.WaitForAssertion(() => page.Find($"[data-testid=group-delete-{doomed.Id}]"), Wait);

        page.Find($"[data-testid=group-delete-{doomed.Id}]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("The group still has 2 members", dialogs.Find("[data-testid=group-delete-message]").TextContent, StringComparison.Ordinal), Wait);
        // Moving is chosen first, and needs a target before anything can be deleted.
        Assert.True(dialogs.Find("[data-testid=group-delete-ok]").HasAttribute("disabled"));
        var remove = dialogs.Find("[data-testid=group-delete-remove]");
        (remove.TagName == "INPUT" ? remove : remove.QuerySelector("input")!).Click();
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("[data-testid=group-delete-ok]").HasAttribute("disabled")), Wait);
        dialogs.Find("[data-testid=group-delete-ok]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-testid=group-delete-{doomed.Id}]")), Wait);
        var memberships = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().MemberGroupMemberships.CountAsync(m => m.MemberId == a.Id));
        Assert.Equal(0, memberships);
        Assert.NotNull(await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberDirectory>().GetAsync(a.Id)));
    }

    [Fact]
    public async Task Support_staff_see_no_delete_buttons_on_the_groups_page()
    {
        var group = await factory.AddGroupAsync();
        await using var test = new ComponentTestContext(factory, "en");
        test.SignIn("support-id", "support@test.local", StaffRoles.SupportStaff);
        test.Context.Render<MudDialogProvider>();
        var page = test.Context.Render<MemberGroups>();

        page.WaitForAssertion(() => page.Find($"[data-testid=group-rename-{group.Id}]"), Wait);
        Assert.Empty(page.FindAll($"[data-testid=group-delete-{group.Id}]"));
    }

    [Fact]
    public async Task The_member_page_sends_a_password_reset_mail_through_the_account_actions_and_shows_it_in_the_history()
    {
        var member = await factory.AddMemberAsync("Reset Me", email: $"reset-{Guid.NewGuid():N}@example.jp");
        await using var test = new ComponentTestContext(factory, "en");
        test.SignIn("support-id", "support@test.local", StaffRoles.SupportStaff);
        var dialogs = test.Context.Render<MudDialogProvider>();
        test.Context.Render<MudSnackbarProvider>();
        var page = test.Context.Render<MemberDetails>(p => p.Add(x => x.Id, member.Id));
        page.WaitForAssertion(() => page.Find("[data-testid=action-reset]"), Wait);
        // Support staff do not delete members; the slot for the personal-data actions is there.
        Assert.Empty(page.FindAll("[data-testid=action-delete]"));
        Assert.NotNull(page.Find("[data-testid=member-data-actions]"));

        page.Find("[data-testid=action-reset]").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=confirm-ok]"), Wait);
        dialogs.Find("[data-testid=confirm-ok]").Click();

        page.WaitForAssertion(() => Assert.Contains("Member password-reset mail sent", page.Find("[data-testid=member-history]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == Kuroco.Core.Audit.AuditActions.MemberPasswordResetSent && e.EntityId == member.Id.ToString());
        Assert.Equal(1, await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().MemberTokens
            .CountAsync(t => t.MemberId == member.Id && t.Purpose == MemberTokenPurpose.PasswordReset)));
    }
}
