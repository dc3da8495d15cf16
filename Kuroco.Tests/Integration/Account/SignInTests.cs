using System.Net;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Account;

public sealed class SignInTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task Bootstrap_admin_must_change_password_before_reaching_the_dashboard()
    {
        var client = factory.CreateBrowserLikeClient();
        var login = await KurocoAppFactory.PostLoginAsync(client, KurocoAppFactory.AdminEmail, KurocoAppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith("/account/change-password", KurocoAppFactory.LocationPath(login));

        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/account/change-password", KurocoAppFactory.LocationPath(home));
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_get_the_same_message()
    {
        await factory.CreateStaffAsync("editor-signin@test.local", StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient();
        var wrong = await (await KurocoAppFactory.PostLoginAsync(client, "editor-signin@test.local", "not-the-password")).Content.ReadAsStringAsync();
        var unknown = await (await KurocoAppFactory.PostLoginAsync(client, "nobody@test.local", "not-the-password")).Content.ReadAsStringAsync();
        Assert.Contains("Invalid email or password.", wrong);
        Assert.Contains("Invalid email or password.", unknown);
    }
}
