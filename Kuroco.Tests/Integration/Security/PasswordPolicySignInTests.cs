using System.Net;
using Kuroco.Core.Security;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Security;

/// <summary>Expiry, first sign-in and remember-me, as the stored policy sets them, through the real forms.</summary>
public sealed class PasswordPolicySignInTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private const string NewPassword = "Maple-Lantern-93!dew";

    private async Task SavePolicyAsync(PasswordPolicy policy) =>
        Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().SaveAsync(policy))).Succeeded);

    private async Task<(string Email, string UserId)> StaffAsync()
    {
        var email = $"policy-{Guid.NewGuid():N}@test.local";
        return (email, await factory.CreateStaffAsync(email, StaffRoles.ContentEditor));
    }

    [Fact]
    public async Task An_expired_password_must_be_changed_before_anything_else()
    {
        await SavePolicyAsync(new PasswordPolicy { ExpiryDays = 90 });
        var (email, userId) = await StaffAsync();
        await factory.UpdateStaffAsync(userId, u => u.PasswordChangedAtUtc = DateTime.UtcNow.AddDays(-91));
        var client = factory.CreateBrowserLikeClient();

        var login = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword);
        Assert.StartsWith("/account/change-password", KurocoAppFactory.LocationPath(login), StringComparison.Ordinal);

        // Every other page sends the user back; a POST elsewhere is refused.
        var home = await client.GetAsync("/content");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/account/change-password", KurocoAppFactory.LocationPath(home), StringComparison.Ordinal);
        var page = await client.GetStringAsync("/account/change-password");
        Assert.Contains("data-testid=\"password-expired\"", page);

        var changed = await KurocoAppFactory.PostChangePasswordAsync(client, KurocoAppFactory.StaffPassword, NewPassword, NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/content")).StatusCode);
        await SavePolicyAsync(new PasswordPolicy());
    }

    [Fact]
    public async Task A_password_within_its_validity_reaches_the_pages()
    {
        await SavePolicyAsync(new PasswordPolicy { ExpiryDays = 90 });
        var (email, userId) = await StaffAsync();
        await factory.UpdateStaffAsync(userId, u => u.PasswordChangedAtUtc = DateTime.UtcNow.AddDays(-89));
        var client = factory.CreateBrowserLikeClient();

        var login = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword);
        Assert.Equal("/", KurocoAppFactory.LocationPath(login));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/content")).StatusCode);
        await SavePolicyAsync(new PasswordPolicy());
    }

    [Fact]
    public async Task First_sign_in_still_requires_a_change_that_follows_the_policy()
    {
        await SavePolicyAsync(new PasswordPolicy());
        var (email, userId) = await StaffAsync();
        await factory.UpdateStaffAsync(userId, u => u.MustChangePassword = true);
        var client = factory.CreateBrowserLikeClient();

        var login = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword);
        Assert.StartsWith("/account/change-password", KurocoAppFactory.LocationPath(login), StringComparison.Ordinal);
        var page = await client.GetStringAsync("/account/change-password");
        Assert.Contains("12 to 128 characters", page);

        var common = await KurocoAppFactory.PostChangePasswordAsync(client, KurocoAppFactory.StaffPassword, "password", "password");
        var body = await common.Content.ReadAsStringAsync();
        Assert.Contains("This password is on the list of commonly used passwords.", body);
        Assert.Contains("The password must be at least 12 characters long.", body);
    }

    [Fact]
    public async Task With_remember_me_off_the_checkbox_is_gone_and_the_cookie_is_not_persistent()
    {
        await SavePolicyAsync(new PasswordPolicy { RememberMeAllowed = false });
        var (email, _) = await StaffAsync();
        var client = factory.CreateBrowserLikeClient();
        Assert.DoesNotContain("id=\"remember\"", await client.GetStringAsync("/account/login"));

        // A forged "remember me" field is ignored.
        var response = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword, rememberMe: true);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Kuroco.Auth=", StringComparison.Ordinal));
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        await SavePolicyAsync(new PasswordPolicy());
    }

    [Fact]
    public async Task Remember_me_lasts_the_policys_number_of_days()
    {
        await SavePolicyAsync(new PasswordPolicy { RememberMeDays = 3 });
        var (email, _) = await StaffAsync();

        var response = await KurocoAppFactory.PostLoginAsync(factory.CreateBrowserLikeClient(), email, KurocoAppFactory.StaffPassword, rememberMe: true);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Kuroco.Auth=", StringComparison.Ordinal));
        var expires = cookie.Split(';').Select(p => p.Trim()).Single(p => p.StartsWith("expires=", StringComparison.OrdinalIgnoreCase))["expires=".Length..];
        var at = DateTimeOffset.Parse(expires, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(at, DateTimeOffset.UtcNow.AddDays(3).AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(3).AddMinutes(5));
        await SavePolicyAsync(new PasswordPolicy());
    }
}
