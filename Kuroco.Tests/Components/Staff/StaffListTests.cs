using System.Globalization;
using Bunit;
using Kuroco.Admin.Components.Pages.Staff;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Staff;

/// <summary>
/// The staff list against the real app and database. The bootstrap account stays the only
/// Administrator in this class (no test creates another), so the last-Administrator rule applies.
/// </summary>
public sealed class StaffListTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private sealed record Screen(
        ComponentTestContext Test,
        IRenderedComponent<StaffList> List,
        IRenderedComponent<MudDialogProvider> Dialogs,
        IRenderedComponent<MudSnackbarProvider> Snackbars) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Test.DisposeAsync();
    }

    private Screen Open(string culture = "en")
    {
        var test = new ComponentTestContext(factory, culture);
        test.SignIn("admin-id", KurocoAppFactory.AdminEmail, StaffRoles.Administrator);
        var dialogs = test.Context.Render<MudDialogProvider>();
        var snackbars = test.Context.Render<MudSnackbarProvider>();
        var list = test.Context.Render<StaffList>();
        return new Screen(test, list, dialogs, snackbars);
    }

    [Fact]
    public async Task The_list_shows_staff_from_the_database_and_search_filters_it()
    {
        await factory.CreateStaffAsync("alice.list@test.local", StaffRoles.ContentEditor);
        await factory.CreateStaffAsync("bob.list@test.local", StaffRoles.SupportStaff, StaffRoles.Operator);
        await using var screen = Open();
        var list = screen.List;

        list.WaitForAssertion(() =>
        {
            Assert.Contains("alice.list@test.local", list.Markup);
            Assert.Contains("bob.list@test.local", list.Markup);
        }, Wait);
        var bobRow = list.Find("[data-testid='actions-bob.list@test.local']").Closest("tr")!;
        Assert.Contains("Support staff", bobRow.TextContent);
        Assert.Contains("Operator", bobRow.TextContent);
        Assert.Contains("Enabled", bobRow.TextContent);

        // Find and type in one dispatch: a re-render in between (the list still loading) would drop the handler found.
        await list.InvokeAsync(() => list.Find("[data-testid=staff-search]").Input("ALICE.LIST"));
        list.WaitForAssertion(() =>
        {
            Assert.Contains("alice.list@test.local", list.Markup);
            Assert.DoesNotContain("bob.list@test.local", list.Markup);
            Assert.DoesNotContain(KurocoAppFactory.AdminEmail, list.Markup);
        }, Wait);

        await list.InvokeAsync(() => list.Find("[data-testid=staff-search]").Input("nobody-matches-this"));
        list.WaitForAssertion(() => Assert.Contains("No staff accounts match your search.", list.Markup), Wait);
    }

    [Fact]
    public async Task Creating_a_staff_member_shows_the_one_time_password_once_and_creates_the_account()
    {
        const string email = "carol.created@test.local";
        await using var screen = Open();
        var (list, dialogs) = (screen.List, screen.Dialogs);
        list.WaitForAssertion(() => Assert.Contains(KurocoAppFactory.AdminEmail, list.Markup), Wait);

        list.Find("[data-testid=add-staff]").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=email]"), Wait);
        dialogs.Find("[data-testid=email]").Change(email);
        dialogs.Find("[data-testid=display-name]").Change("Carol Created");
        dialogs.Find("[data-testid=role-ContentEditor]").Change(true);
        dialogs.Find("[data-testid=role-SupportStaff]").Change(true);
        dialogs.Find("[data-testid=create]").Click();

        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=one-time-password-dialog] input[data-testid=secret-value]"), Wait);
        var password = dialogs.Find("[data-testid=one-time-password-dialog] input[data-testid=secret-value]").GetAttribute("value");
        Assert.False(string.IsNullOrWhiteSpace(password));
        var warning = dialogs.Find("[data-testid=one-time-password-dialog] [data-testid=secret-warning]").TextContent;
        Assert.Contains("shown only once", warning);
        Assert.Contains("must change it at their first sign-in", warning);
        Assert.Equal(1, CountOccurrences(dialogs.Markup, password!));

        var (exists, roles, passwordWorks, mustChange) = await factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StaffUser>>();
            var user = await users.FindByEmailAsync(email);
            return user is null
                ? (false, (IList<string>)[], false, false)
                : (true, await users.GetRolesAsync(user), await users.CheckPasswordAsync(user, password!), user.MustChangePassword);
        });
        Assert.True(exists);
        Assert.Equal([StaffRoles.ContentEditor, StaffRoles.SupportStaff], roles.Order(StringComparer.Ordinal));
        Assert.True(passwordWorks);
        Assert.True(mustChange);

        dialogs.Find("[data-testid=secret-stored]").Change(true);
        dialogs.Find("[data-testid=secret-done]").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=one-time-password-dialog]")), Wait);
        list.WaitForAssertion(() => Assert.Contains(email, list.Markup), Wait);
        Assert.DoesNotContain(password!, dialogs.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(password!, list.Markup, StringComparison.Ordinal);
        screen.Snackbars.WaitForAssertion(() => Assert.Contains($"{email} was created.", screen.Snackbars.Markup), Wait);
    }

    [Fact]
    public async Task The_create_dialog_shows_field_errors_and_creates_nothing_for_bad_input()
    {
        var before = await CountUsersAsync();
        await using var screen = Open();
        var (list, dialogs) = (screen.List, screen.Dialogs);
        list.WaitForAssertion(() => Assert.Contains(KurocoAppFactory.AdminEmail, list.Markup), Wait);

        list.Find("[data-testid=add-staff]").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=email]"), Wait);
        dialogs.Find("[data-testid=email]").Change("not-an-email");
        dialogs.Find("[data-testid=display-name]").Change("Mallory\r\nBcc: everyone@test.local");
        dialogs.Find("[data-testid=create]").Click();

        dialogs.WaitForAssertion(() =>
        {
            Assert.Contains("Enter a valid email address.", dialogs.Markup);
            Assert.Contains("Name may not contain line breaks.", dialogs.Markup);
            Assert.Contains("Choose at least one role.", dialogs.Find("[data-testid=roles-error]").TextContent);
        }, Wait);
        Assert.Empty(dialogs.FindAll("[data-testid=one-time-password-dialog]"));
        Assert.Equal(before, await CountUsersAsync());
    }

    [Fact]
    public async Task The_last_Administrator_cannot_be_disabled()
    {
        await using var screen = Open();
        var (list, dialogs) = (screen.List, screen.Dialogs);
        list.WaitForAssertion(() => list.Find($"[data-testid='disable-{KurocoAppFactory.AdminEmail}']"), Wait);

        list.Find($"[data-testid='disable-{KurocoAppFactory.AdminEmail}']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains(
            $"Disable {KurocoAppFactory.AdminEmail}?", dialogs.Markup), Wait);
        dialogs.Find("[data-testid=confirm-ok]").Click();

        list.WaitForAssertion(() => Assert.Contains(
            "The last enabled Administrator cannot be removed or disabled.", list.Find("[data-testid=staff-errors]").TextContent), Wait);
        var (enabled, roles) = await AdminStateAsync();
        Assert.True(enabled);
        Assert.Equal([StaffRoles.Administrator], roles);
    }

    [Fact]
    public async Task The_last_Administrator_cannot_be_demoted()
    {
        await using var screen = Open();
        var (list, dialogs) = (screen.List, screen.Dialogs);
        list.WaitForAssertion(() => list.Find($"[data-testid='edit-{KurocoAppFactory.AdminEmail}']"), Wait);

        list.Find($"[data-testid='edit-{KurocoAppFactory.AdminEmail}']").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=role-Administrator]"), Wait);
        Assert.True(dialogs.Find("[data-testid=role-Administrator]").HasAttribute("checked")
            || dialogs.Find("[data-testid=role-Administrator]").Closest(".mud-checkbox")!.InnerHtml.Contains("mud-checkbox-true", StringComparison.Ordinal));
        dialogs.Find("[data-testid=role-Administrator]").Change(false);
        dialogs.Find("[data-testid=role-ContentEditor]").Change(true);
        dialogs.Find("[data-testid=save]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains(
            "The last enabled Administrator cannot be removed or disabled.", dialogs.Find("[data-testid=edit-errors]").TextContent), Wait);
        var (enabled, roles) = await AdminStateAsync();
        Assert.True(enabled);
        Assert.Equal([StaffRoles.Administrator], roles);
    }

    [Fact]
    public async Task Japanese_culture_renders_Japanese_labels_and_messages()
    {
        var culture = CultureInfo.CurrentCulture;
        var uiCulture = CultureInfo.CurrentUICulture;
        try
        {
            await using var screen = Open("ja-JP");
            var (list, dialogs) = (screen.List, screen.Dialogs);
            list.WaitForAssertion(() => Assert.Contains(KurocoAppFactory.AdminEmail, list.Markup), Wait);
            Assert.Contains("スタッフ管理", list.Markup);
            Assert.Contains("メールアドレス", list.Markup);
            Assert.Contains("最終サインイン", list.Markup);
            Assert.Contains("管理者", list.Find($"[data-testid='actions-{KurocoAppFactory.AdminEmail}']").Closest("tr")!.TextContent);
            Assert.Contains("表示件数:", list.Markup);
            Assert.DoesNotContain("Rows per page", list.Markup);

            list.Find("[data-testid=add-staff]").Click();
            dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=create]"), Wait);
            Assert.Contains("スタッフを追加", dialogs.Markup);
            Assert.Contains("コンテンツ編集者", dialogs.Markup);
            dialogs.Find("[data-testid=create]").Click();
            dialogs.WaitForAssertion(() =>
            {
                Assert.Contains("名前は必須です。", dialogs.Markup);
                Assert.Contains("ロールを1つ以上選択してください。", dialogs.Markup);
            }, Wait);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }

    private Task<int> CountUsersAsync() => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<UserManager<StaffUser>>().Users.CountAsync());

    private Task<(bool Enabled, IReadOnlyList<string> Roles)> AdminStateAsync() => factory.WithScopeAsync(async sp =>
    {
        var users = sp.GetRequiredService<UserManager<StaffUser>>();
        var admin = await users.FindByEmailAsync(KurocoAppFactory.AdminEmail) ?? throw new InvalidOperationException("No bootstrap admin.");
        return (admin.IsEnabled, (IReadOnlyList<string>)[.. (await users.GetRolesAsync(admin)).Order(StringComparer.Ordinal)]);
    });

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
