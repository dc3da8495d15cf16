using System.Net;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Integration.Security;

/// <summary>Antiforgery on the sign-in form, open-redirect safe return URLs and the culture switch, the auth cookie's flags.</summary>
public sealed class FormAndRedirectTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task A_login_post_without_antiforgery_token_is_refused_and_signs_nobody_in()
    {
        var email = await StaffAsync();
        var client = factory.CreateBrowserLikeClient();
        await client.GetStringAsync("/account/login");
        var auditBefore = (await factory.AuditEntriesAsync()).Count;

        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = KurocoAppFactory.StaffPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("Kuroco.Auth", StringComparison.Ordinal));
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/account/login", KurocoAppFactory.LocationPath(home));
        Assert.DoesNotContain((await factory.AuditEntriesAsync()).Skip(auditBefore), e => e.Action == AuditActions.SignInSucceeded);
    }

    [Fact]
    public async Task A_login_post_with_another_sessions_token_is_refused()
    {
        var email = await StaffAsync();
        var other = factory.CreateBrowserLikeClient();
        var token = KurocoAppFactory.AntiforgeryToken(await other.GetStringAsync("/account/login"));
        var client = factory.CreateBrowserLikeClient();
        await client.GetStringAsync("/account/login");

        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = KurocoAppFactory.StaffPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    public async Task An_off_site_return_url_lands_on_the_dashboard_after_sign_in(string returnUrl)
    {
        var email = await StaffAsync();
        var client = factory.CreateBrowserLikeClient();

        var response = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword, returnUrl: returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        AssertLocalRoot(response);
    }

    [Fact]
    public async Task A_local_return_url_is_followed_after_sign_in()
    {
        var email = await StaffAsync();
        var client = factory.CreateBrowserLikeClient();

        var response = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword, returnUrl: "/content?page=2");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/content?page=2", KurocoAppFactory.LocationPath(response));
    }

    [Fact]
    public async Task An_off_site_return_url_is_dropped_on_the_way_to_the_forced_password_change()
    {
        // The bootstrap admin must change the password first; the return URL is carried along, made local.
        var client = factory.CreateBrowserLikeClient();
        var response = await KurocoAppFactory.PostLoginAsync(client, KurocoAppFactory.AdminEmail, KurocoAppFactory.AdminPassword, returnUrl: "//evil.example");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/change-password?returnUrl=%2F", KurocoAppFactory.LocationPath(response));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    public async Task The_culture_switch_redirects_only_locally(string returnUrl)
    {
        var client = factory.CreateBrowserLikeClient();

        var response = await client.GetAsync("/culture/set?culture=ja-JP&returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        AssertLocalRoot(response);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Kuroco.Culture=", StringComparison.Ordinal));
        Assert.Contains("c%3Dja-JP%7Cuic%3Dja-JP", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_culture_switch_returns_to_a_local_page()
    {
        var response = await factory.CreateBrowserLikeClient().GetAsync("/culture/set?culture=en&returnUrl=%2Faccount%2Flogin%3FreturnUrl%3D%252Faudit");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login?returnUrl=%2Faudit", KurocoAppFactory.LocationPath(response));
    }

    [Theory]
    [InlineData("fr-FR")]
    [InlineData("")]
    [InlineData("ja-JP%0d%0aSet-Cookie:%20x=y")]
    public async Task An_unsupported_culture_gets_400_problem_details_and_no_cookie(string culture)
    {
        var response = await factory.CreateBrowserLikeClient().GetAsync("/culture/set?culture=" + culture + "&returnUrl=%2F");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Unsupported culture.", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task The_auth_cookie_is_http_only_and_same_site()
    {
        var email = await StaffAsync();
        var client = factory.CreateBrowserLikeClient();

        var response = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Kuroco.Auth=", StringComparison.Ordinal));
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/", cookie, StringComparison.OrdinalIgnoreCase);
        // Without "remember me" it is a session cookie.
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_antiforgery_cookie_is_http_only_and_strict()
    {
        var client = factory.CreateBrowserLikeClient();
        var response = await client.GetAsync("/account/login");

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Kuroco.Antiforgery=", StringComparison.Ordinal));
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string> StaffAsync()
    {
        var email = $"redirect-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        return email;
    }

    private static void AssertLocalRoot(HttpResponseMessage response)
    {
        var location = response.Headers.Location!;
        Assert.True(!location.IsAbsoluteUri || location.Host == "localhost", $"Redirected off-site: {location}");
        Assert.Equal("/", KurocoAppFactory.LocationPath(response));
    }
}
