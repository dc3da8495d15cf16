using System.Net;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Staff;

/// <summary>Who may open the staff and profile pages, over real HTTP with the real cookie sign-in.</summary>
public sealed class StaffPageAccessTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task An_anonymous_request_for_the_staff_page_is_sent_to_sign_in()
    {
        var response = await factory.CreateBrowserLikeClient().GetAsync("/settings/staff");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = KurocoAppFactory.LocationPath(response);
        Assert.StartsWith("/account/login", location);
        Assert.Contains(Uri.EscapeDataString("/settings/staff"), location, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_ContentEditor_gets_403_for_the_staff_page()
    {
        await factory.CreateStaffAsync("cora.editor@test.local", StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, "cora.editor@test.local", KurocoAppFactory.StaffPassword);

        var response = await client.GetAsync("/settings/staff");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("Add staff member", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_Administrator_gets_the_staff_page()
    {
        await factory.CreateStaffAsync("abe.admin@test.local", StaffRoles.Administrator);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, "abe.admin@test.local", KurocoAppFactory.StaffPassword);

        var response = await client.GetAsync("/settings/staff");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Add staff member", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Any_signed_in_staff_member_gets_their_own_profile_and_anonymous_users_are_sent_to_sign_in()
    {
        Assert.StartsWith("/account/login", KurocoAppFactory.LocationPath(await factory.CreateBrowserLikeClient().GetAsync("/account/profile")));

        await factory.CreateStaffAsync("opal.operator@test.local", StaffRoles.Operator);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, "opal.operator@test.local", KurocoAppFactory.StaffPassword);

        var response = await client.GetAsync("/account/profile");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("opal.operator@test.local", html);
        Assert.DoesNotContain("cora.editor@test.local", html);
    }
}
