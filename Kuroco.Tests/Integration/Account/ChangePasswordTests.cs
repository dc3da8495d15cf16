using System.Net;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Account;

public sealed class ChangePasswordTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private const string NewPassword = "Maple-Lantern-93!dew";

    [Fact]
    public async Task A_mismatched_confirmation_is_refused_and_nothing_changes()
    {
        var (client, userId) = await MustChangeAsync();

        var response = await KurocoAppFactory.PostChangePasswordAsync(client, KurocoAppFactory.StaffPassword, NewPassword, NewPassword + "x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The new password and its confirmation do not match.", await response.Content.ReadAsStringAsync());
        await AssertUnchangedAsync(client, userId);
    }

    [Fact]
    public async Task A_wrong_current_password_is_refused_audited_and_nothing_changes()
    {
        var (client, userId) = await MustChangeAsync();
        var before = (await factory.AuditEntriesAsync()).Count;

        var response = await KurocoAppFactory.PostChangePasswordAsync(client, "Not-The-Passw0rd!", NewPassword, NewPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The current password is not correct.", await response.Content.ReadAsStringAsync());
        var entry = Assert.Single((await factory.AuditEntriesAsync()).Skip(before));
        Assert.Equal(AuditActions.PasswordChanged, entry.Action);
        Assert.Equal(AuditOutcome.Failure, entry.Outcome);
        Assert.Equal(userId, entry.EntityId);
        Assert.DoesNotContain("Not-The-Passw0rd", AuditText.English(entry) + entry.Changes);
        await AssertUnchangedAsync(client, userId);
    }

    [Fact]
    public async Task A_weak_new_password_is_refused_with_the_broken_rule()
    {
        var (client, userId) = await MustChangeAsync();

        var response = await KurocoAppFactory.PostChangePasswordAsync(client, KurocoAppFactory.StaffPassword, "short1!A", "short1!A");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The password must be at least 12 characters long.", await response.Content.ReadAsStringAsync());
        await AssertUnchangedAsync(client, userId);
    }

    [Fact]
    public async Task After_changing_the_dashboard_opens_and_only_the_new_password_works()
    {
        var (client, userId) = await MustChangeAsync();
        var before = (await factory.AuditEntriesAsync()).Count;

        var response = await KurocoAppFactory.PostChangePasswordAsync(client, KurocoAppFactory.StaffPassword, NewPassword, NewPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", KurocoAppFactory.LocationPath(response));
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("data-testid=\"welcome\"", await home.Content.ReadAsStringAsync());

        // The change itself, plus the notification mail to the user (audited by the outbox).
        var entries = (await factory.AuditEntriesAsync()).Skip(before).ToList();
        Assert.Contains(entries, e => e.Action == AuditActions.MailQueued);
        var entry = Assert.Single(entries, e => e.Action != AuditActions.MailQueued);
        Assert.Equal(AuditActions.PasswordChanged, entry.Action);
        Assert.Equal(AuditOutcome.Success, entry.Outcome);
        Assert.Contains("(required change)", AuditText.English(entry));
        Assert.DoesNotContain(NewPassword, entry.Changes);
        Assert.Contains("MustChangePassword", entry.Changes);

        await factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByIdAsync(userId))!;
            Assert.False(user.MustChangePassword);
            Assert.NotNull(user.PasswordChangedAtUtc);
            Assert.True(await users.CheckPasswordAsync(user, NewPassword));
            Assert.False(await users.CheckPasswordAsync(user, KurocoAppFactory.StaffPassword));
        });
    }

    [Fact]
    public async Task The_return_url_is_followed_after_the_change_when_local()
    {
        var (client, _) = await MustChangeAsync();
        var form = await client.GetStringAsync("/account/change-password?returnUrl=%2Fcontent");
        var response = await client.PostAsync("/account/change-password?returnUrl=%2Fcontent", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "change-password",
            ["__RequestVerificationToken"] = KurocoAppFactory.AntiforgeryToken(form),
            ["Input.CurrentPassword"] = KurocoAppFactory.StaffPassword,
            ["Input.NewPassword"] = NewPassword,
            ["Input.ConfirmNewPassword"] = NewPassword,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/content", KurocoAppFactory.LocationPath(response));
    }

    [Theory]
    [InlineData("/admin/jobs")]
    [InlineData("/content")]
    [InlineData("/settings/staff?tab=1")]
    public async Task Until_the_password_is_changed_pages_lead_to_the_change_password_page(string path)
    {
        var (client, _) = await MustChangeAsync(StaffRoles.Administrator);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/change-password?returnUrl=" + Uri.EscapeDataString(path), KurocoAppFactory.LocationPath(response));
    }

    [Fact]
    public async Task Until_the_password_is_changed_health_and_sign_out_stay_reachable_and_other_posts_are_refused()
    {
        var (client, _) = await MustChangeAsync();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/change-password")).StatusCode);
        // With or without a valid token, a post elsewhere is refused as forbidden (not as a bad token).
        var token = KurocoAppFactory.AntiforgeryToken(await client.GetStringAsync("/account/change-password"));
        var post = await client.PostAsync("/content", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "x", ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        var bare = await client.PostAsync("/content", new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "y" }));
        Assert.Equal(HttpStatusCode.Forbidden, bare.StatusCode);
    }

    /// <summary>A signed-in staff member who must change the password (as after creation or a reset).</summary>
    private async Task<(HttpClient Client, string UserId)> MustChangeAsync(string role = StaffRoles.ContentEditor)
    {
        var email = $"change-{Guid.NewGuid():N}@test.local";
        var userId = await factory.CreateStaffAsync(email, role);
        await factory.UpdateStaffAsync(userId, user => user.MustChangePassword = true);
        var client = factory.CreateBrowserLikeClient();
        var login = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword);
        Assert.StartsWith("/account/change-password", KurocoAppFactory.LocationPath(login));
        return (client, userId);
    }

    private async Task AssertUnchangedAsync(HttpClient client, string userId)
    {
        await factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByIdAsync(userId))!;
            Assert.True(user.MustChangePassword);
            Assert.Null(user.PasswordChangedAtUtc);
            Assert.True(await users.CheckPasswordAsync(user, KurocoAppFactory.StaffPassword));
        });
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/account/change-password", KurocoAppFactory.LocationPath(home));
    }
}
