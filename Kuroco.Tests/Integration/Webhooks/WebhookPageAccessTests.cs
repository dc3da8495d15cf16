using System.Net;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Webhooks;

/// <summary>The Webhooks screen is for Administrators only (it owns signing secrets and the SSRF allowlist).</summary>
public sealed class WebhookPageAccessTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task Anonymous_users_are_sent_to_sign_in()
    {
        var response = await factory.CreateBrowserLikeClient().GetAsync("/settings/webhooks");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", KurocoAppFactory.LocationPath(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StaffRoles.ContentEditor)]
    [InlineData(StaffRoles.SecurityOfficer)]
    [InlineData(StaffRoles.Operator)]
    public async Task Other_roles_get_403(string role)
    {
        var email = $"{role.ToLowerInvariant()}.hooks@test.local";
        await factory.CreateStaffAsync(email, role);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);

        var response = await client.GetAsync("/settings/webhooks");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("Add webhook", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_Administrator_gets_the_page()
    {
        await factory.CreateStaffAsync("hook.admin@test.local", StaffRoles.Administrator);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, "hook.admin@test.local", KurocoAppFactory.StaffPassword);

        var response = await client.GetAsync("/settings/webhooks");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Add webhook", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
