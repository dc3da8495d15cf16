using System.Net;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task Sign_ins_of_one_account_from_several_browsers_at_once_all_succeed()
    {
        var email = $"several-{Guid.NewGuid():N}@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        for (var round = 0; round < 3; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
            {
                using var client = factory.CreateBrowserLikeClient();
                return await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword);
            }));
            Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.Redirect, r.StatusCode));
        }
        Assert.DoesNotContain(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.SignInFailed && e.EntityId == id);
    }

    [Fact]
    public async Task A_successful_sign_in_is_audited_with_the_user_and_request()
    {
        var (email, userId) = await StaffAsync(StaffRoles.ContentEditor, StaffRoles.Operator);
        var client = factory.CreateBrowserLikeClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("KurocoTests/1.0");
        var before = await AuditCountAsync();

        var response = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", KurocoAppFactory.LocationPath(response));
        var entry = Assert.Single(await NewEntriesAsync(before));
        Assert.Equal(AuditActions.SignInSucceeded, entry.Action);
        Assert.Equal(AuditOutcome.Success, entry.Outcome);
        Assert.Equal(userId, entry.ActorId);
        Assert.Equal(userId, entry.EntityId);
        Assert.Equal(email, entry.ActorName);
        // Login.razor lists the roles in store order (HttpAuditContext sorts them): compare as a set.
        Assert.Equal(["ContentEditor", "Operator"], entry.ActorRoles.Split(',').Order(StringComparer.Ordinal));
        Assert.Equal("KurocoTests/1.0", entry.UserAgent);
        Assert.Matches("^[0-9a-f]{32}$", entry.CorrelationId);

        await factory.WithScopeAsync(async sp =>
        {
            var user = await sp.GetRequiredService<UserManager<StaffUser>>().FindByIdAsync(userId);
            Assert.NotNull(user?.LastSignInUtc);
            Assert.InRange(user.LastSignInUtc.Value, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddSeconds(5));
        });
    }

    [Fact]
    public async Task A_failed_sign_in_is_audited_with_the_address_tried_and_the_reason()
    {
        var (email, userId) = await StaffAsync(StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient();
        var before = await AuditCountAsync();

        await KurocoAppFactory.PostLoginAsync(client, email, "Wrong-Passw0rd!x");
        await KurocoAppFactory.PostLoginAsync(client, "ghost@test.local", "Wrong-Passw0rd!x");

        var entries = await NewEntriesAsync(before);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.Equal(AuditActions.SignInFailed, e.Action);
            Assert.Equal(AuditOutcome.Failure, e.Outcome);
            Assert.DoesNotContain("Wrong-Passw0rd", AuditText.English(e));
        });
        Assert.Equal(email, entries[0].ActorName);
        Assert.Equal(userId, entries[0].EntityId);
        Assert.Contains("wrong password", AuditText.English(entries[0]));
        Assert.Equal("ghost@test.local", entries[1].ActorName);
        Assert.Null(entries[1].EntityId);
        Assert.Contains("unknown account", AuditText.English(entries[1]));
        Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().VerifyChainAsync())).IsIntact);
    }

    [Fact]
    public async Task Sign_out_is_audited_and_ends_the_session()
    {
        var (email, userId) = await StaffAsync(StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        var token = KurocoAppFactory.AntiforgeryToken(await client.GetStringAsync("/account/change-password"));
        var before = await AuditCountAsync();

        var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["returnUrl"] = "",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", KurocoAppFactory.LocationPath(response));
        var entry = Assert.Single(await NewEntriesAsync(before));
        Assert.Equal(AuditActions.SignOut, entry.Action);
        Assert.Equal(userId, entry.ActorId);
        Assert.Equal(userId, entry.EntityId);
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/account/login", KurocoAppFactory.LocationPath(home));
    }

    [Theory]
    [InlineData("//evil.example", "/account/login")]
    [InlineData("https://evil.example", "/account/login")]
    [InlineData("/content", "/account/login?returnUrl=%2Fcontent")]
    public async Task Sign_out_returns_only_to_a_local_page(string returnUrl, string expected)
    {
        var (email, _) = await StaffAsync(StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        var token = KurocoAppFactory.AntiforgeryToken(await client.GetStringAsync("/account/change-password"));

        var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["returnUrl"] = returnUrl,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(response.Headers.Location!.IsAbsoluteUri && response.Headers.Location.Host != "localhost");
        Assert.Equal(expected, KurocoAppFactory.LocationPath(response));
    }

    [Fact]
    public async Task Sign_out_without_an_antiforgery_token_is_refused_and_the_session_stays()
    {
        var (email, _) = await StaffAsync(StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        var before = await AuditCountAsync();

        var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await NewEntriesAsync(before));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_write_one_locked_out_entry()
    {
        var (email, userId) = await StaffAsync(StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient();
        var before = await AuditCountAsync();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var page = await (await KurocoAppFactory.PostLoginAsync(client, email, $"Wrong-Passw0rd!{attempt}")).Content.ReadAsStringAsync();
            Assert.Contains("Invalid email or password.", page);
        }
        // Locked: even the right password is refused, with the same message.
        var locked = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword);

        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("Invalid email or password.", await locked.Content.ReadAsStringAsync());
        var entries = await NewEntriesAsync(before);
        var lockedOut = Assert.Single(entries, e => e.Action == AuditActions.LockedOut);
        Assert.Equal(userId, lockedOut.EntityId);
        Assert.Equal(AuditOutcome.Denied, lockedOut.Outcome);
        Assert.Equal(6, entries.Count(e => e.Action == AuditActions.SignInFailed));
        Assert.Contains("account locked", AuditText.English(entries[^1]));
        Assert.DoesNotContain(entries, e => e.Action == AuditActions.SignInSucceeded);
        await factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StaffUser>>();
            Assert.True(await users.IsLockedOutAsync((await users.FindByIdAsync(userId))!));
        });
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in()
    {
        var (email, userId) = await StaffAsync(StaffRoles.ContentEditor);
        await factory.UpdateStaffAsync(userId, user => user.IsEnabled = false);
        var client = factory.CreateBrowserLikeClient();
        var before = await AuditCountAsync();

        var response = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Invalid email or password.", await response.Content.ReadAsStringAsync());
        Assert.Contains("account disabled", AuditText.English(Assert.Single(await NewEntriesAsync(before))));
    }

    [Fact]
    public async Task Remember_me_makes_the_auth_cookie_persistent()
    {
        var (email, _) = await StaffAsync(StaffRoles.ContentEditor);

        var response = await KurocoAppFactory.PostLoginAsync(factory.CreateBrowserLikeClient(), email, KurocoAppFactory.StaffPassword, rememberMe: true);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Kuroco.Auth=", StringComparison.Ordinal));
        Assert.Contains("expires=", cookie, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<(string Email, string UserId)> StaffAsync(params string[] roles)
    {
        var email = $"signin-{Guid.NewGuid():N}@test.local";
        return (email, await factory.CreateStaffAsync(email, roles));
    }

    private async Task<int> AuditCountAsync() => (await factory.AuditEntriesAsync()).Count;

    private async Task<List<AuditEntry>> NewEntriesAsync(int before) => [.. (await factory.AuditEntriesAsync()).Skip(before)];
}
