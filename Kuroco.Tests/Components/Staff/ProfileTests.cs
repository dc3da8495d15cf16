using Bunit;
using Kuroco.Admin.Components.Pages.Staff;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Staff;

public sealed class ProfileTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_staff_member_changes_their_own_name_and_is_told_when_it_applies()
    {
        const string email = "dana.profile@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        await using var test = new ComponentTestContext(factory);
        test.SignIn(id, email, StaffRoles.ContentEditor);
        var snackbars = test.Context.Render<MudSnackbarProvider>();
        var cut = test.Context.Render<Profile>();

        cut.WaitForAssertion(() => Assert.Equal(email, cut.Find("[data-testid=profile-email]").TextContent), Wait);
        Assert.Equal("dana.profile", cut.Find("[data-testid=display-name]").GetAttribute("value"));
        Assert.Contains("Content editor", cut.Markup);
        Assert.Contains("(UTC+09:00) Asia/Tokyo", cut.Find("[data-testid=time-zone]").TextContent);

        cut.Find("[data-testid=display-name]").Change("  Dana Profile  ");
        cut.Find("[data-testid=save-profile]").Click();

        cut.WaitForAssertion(() => Assert.Contains("after your next sign-in", cut.Find("[data-testid=profile-saved-note]").TextContent), Wait);
        snackbars.WaitForAssertion(() => Assert.Contains("Your profile was saved.", snackbars.Markup), Wait);
        var (name, zone) = await UserAsync(email);
        Assert.Equal("Dana Profile", name);
        Assert.Equal(StaffTimeZones.Default, zone);
    }

    [Fact]
    public async Task A_name_with_a_line_break_is_refused_and_nothing_changes()
    {
        const string email = "eve.profile@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.SupportStaff);
        await using var test = new ComponentTestContext(factory);
        test.SignIn(id, email, StaffRoles.SupportStaff);
        var cut = test.Context.Render<Profile>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=display-name]"), Wait);

        cut.Find("[data-testid=display-name]").Change("Eve\nBcc: everyone@test.local");
        cut.Find("[data-testid=save-profile]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Name may not contain line breaks.", cut.Markup), Wait);
        Assert.Empty(cut.FindAll("[data-testid=profile-saved-note]"));
        var (name, _) = await UserAsync(email);
        Assert.Equal("eve.profile", name);
    }

    [Fact]
    public async Task Choosing_japanese_saves_it_on_the_account_and_switches_the_console_through_the_language_endpoint()
    {
        const string email = "fumi.profile@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        await using var test = new ComponentTestContext(factory);
        test.SignIn(id, email, StaffRoles.ContentEditor);
        var cut = test.Context.Render<Profile>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=language]"), Wait);
        var language = cut.FindComponents<MudSelect<string>>()
            .Single(c => c.Instance.UserAttributes.TryGetValue("data-testid", out var v) && Equals(v, "language"));

        await cut.InvokeAsync(() => language.Instance.ValueChanged.InvokeAsync(StaffLanguages.Japanese));
        cut.Find("[data-testid=save-profile]").Click();

        var navigation = test.Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith("culture/set?culture=ja-JP&returnUrl=%2Faccount%2Fprofile", navigation.Uri, StringComparison.Ordinal), Wait);
        var saved = await factory.WithScopeAsync(async sp => (await sp.GetRequiredService<UserManager<StaffUser>>().FindByIdAsync(id))!.Language);
        Assert.Equal(StaffLanguages.Japanese, saved);
    }

    private Task<(string Name, string Zone)> UserAsync(string email) => factory.WithScopeAsync(async sp =>
    {
        var user = await sp.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync(email)
            ?? throw new InvalidOperationException("No such user.");
        return (user.DisplayName, user.TimeZoneId);
    });
}
