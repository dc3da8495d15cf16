using System.Net;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Account;

/// <summary>The server side of passkeys: the WebAuthn options endpoints and the passkey list (the browser ceremony needs an authenticator).</summary>
public sealed class PasskeyTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static async Task<HttpResponseMessage> PostOptionsAsync(HttpClient client, string path, string pageForToken)
    {
        var token = KurocoAppFactory.AntiforgeryToken(await client.GetStringAsync(pageForToken));
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("RequestVerificationToken", token);
        return await client.SendAsync(request);
    }

    private async Task<(HttpClient Client, string Id)> SignedInAsync()
    {
        var email = $"passkey-{Guid.NewGuid():N}@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        return (client, id);
    }

    [Fact]
    public async Task Creation_options_answer_signed_in_staff_with_an_antiforgery_token_only()
    {
        var (client, id) = await SignedInAsync();
        var response = await PostOptionsAsync(client, "/account/passkey-creation-options", "/account/passkeys");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"challenge\"", json);
        Assert.Contains("\"rp\"", json);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/account/passkey-creation-options", null)).StatusCode);
        var anonymous = factory.CreateBrowserLikeClient();
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.PostAsync("/account/passkey-creation-options", null)).StatusCode);
    }

    [Fact]
    public async Task Request_options_answer_before_sign_in()
    {
        var client = factory.CreateBrowserLikeClient();
        var response = await PostOptionsAsync(client, "/account/passkey-request-options", "/account/login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"challenge\"", await response.Content.ReadAsStringAsync());
        Assert.Contains("passkey-sign-in", await client.GetStringAsync("/account/login"));

        // A named account changes nothing: the options never reveal whether it exists or has passkeys.
        var named = await PostOptionsAsync(client, $"/account/passkey-request-options?username={Uri.EscapeDataString(KurocoAppFactory.AdminEmail)}", "/account/login");
        Assert.DoesNotContain("allowCredentials\":[{", await named.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_passkey_is_listed_renamed_and_removed_with_audit_entries()
    {
        var (client, id) = await SignedInAsync();
        Assert.Contains("no-passkeys", await client.GetStringAsync("/account/passkeys"));
        var credentialId = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        await factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByIdAsync(id))!;
            var added = await users.AddOrUpdatePasskeyAsync(user, new UserPasskeyInfo(credentialId, [9, 9, 9], DateTimeOffset.UtcNow, 0, null,
                isUserVerified: true, isBackupEligible: false, isBackedUp: false, attestationObject: [1], clientDataJson: [1]) { Name = "Laptop" });
            Assert.True(added.Succeeded);
        });
        var page = await client.GetStringAsync("/account/passkeys");
        Assert.Contains("Laptop", page);
        var credential = System.Buffers.Text.Base64Url.EncodeToString(credentialId);

        async Task<string> PostAsync(string action, string name)
        {
            var token = KurocoAppFactory.AntiforgeryToken(await client.GetStringAsync("/account/passkeys"));
            var response = await client.PostAsync("/account/passkeys", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = $"passkey-{credential}",
                ["__RequestVerificationToken"] = token,
                ["CredentialId"] = credential,
                ["PasskeyName"] = name,
                ["PasskeyAction"] = action,
            }));
            return await response.Content.ReadAsStringAsync();
        }

        Assert.Contains("Work laptop", await PostAsync("rename", "Work laptop"));
        Assert.Contains("no-passkeys", await PostAsync("remove", "Work laptop"));
        var entries = await factory.AuditEntriesAsync();
        Assert.Contains(entries, e => e.Action == AuditActions.PasskeyRenamed && e.EntityId == id);
        Assert.Contains(entries, e => e.Action == AuditActions.PasskeyRemoved && e.EntityId == id && e.Changes!.Contains("Work laptop"));
    }

    [Fact]
    public async Task A_bad_credential_adds_nothing_and_is_audited()
    {
        var (client, id) = await SignedInAsync();
        var token = KurocoAppFactory.AntiforgeryToken(await client.GetStringAsync("/account/passkeys"));
        var response = await client.PostAsync("/account/passkeys", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "add-passkey",
            ["__RequestVerificationToken"] = token,
            ["Input.CredentialJson"] = "{\"id\":\"AQID\",\"type\":\"public-key\"}",
        }));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("passkeys-error", html);
        Assert.Contains("no-passkeys", html);
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.PasskeyAdded && e.EntityId == id && e.Outcome == AuditOutcome.Failure);
    }

    [Fact]
    public async Task A_bad_passkey_sign_in_is_refused_and_audited()
    {
        var client = factory.CreateBrowserLikeClient();
        var token = KurocoAppFactory.AntiforgeryToken(await client.GetStringAsync("/account/login"));
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login-passkey",
            ["__RequestVerificationToken"] = token,
            ["Passkey.CredentialJson"] = "{\"id\":\"AQID\",\"type\":\"public-key\"}",
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("login-error", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.SignInFailed && AuditText.English(e).Contains("passkey", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://[::1]")]
    [InlineData("http://192.0.2.10")]
    public async Task Opened_by_an_ip_address_the_sign_in_page_offers_no_passkey_and_says_why(string baseAddress)
    {
        var byAddress = await factory.CreateBrowserLikeClient(baseAddress).GetStringAsync("/account/login");
        Assert.DoesNotContain("passkey-sign-in", byAddress);
        Assert.DoesNotContain("<passkey-submit", byAddress);
        Assert.Contains("data-testid=\"passkeys-need-domain\"", byAddress);
        Assert.Contains("Passkeys need the console to be opened by its domain name", byAddress);

        var byName = await factory.CreateBrowserLikeClient("http://localhost").GetStringAsync("/account/login");
        Assert.Contains("passkey-sign-in", byName);
        Assert.Contains("<passkey-submit", byName);
        Assert.DoesNotContain("passkeys-need-domain", byName);
    }

    [Fact]
    public async Task The_explanation_names_localhost_for_a_loopback_address_in_both_languages()
    {
        var client = factory.CreateBrowserLikeClient("http://127.0.0.1:5080");
        Assert.Contains("e.g. http://localhost:5080", await client.GetStringAsync("/account/login"));
        await client.GetAsync("/culture/set?culture=ja-JP&returnUrl=/account/login");
        Assert.Contains("パスキーを使うには、コンソールをドメイン名で開いてください(例: http://localhost:5080)", await client.GetStringAsync("/account/login"));
    }

    [Fact]
    public async Task Opened_by_an_ip_address_the_passkeys_page_offers_no_registration()
    {
        var email = $"passkey-ip-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var byAddress = factory.CreateBrowserLikeClient("http://127.0.0.1");
        await KurocoAppFactory.SignInAsync(byAddress, email, KurocoAppFactory.StaffPassword);
        var page = await byAddress.GetStringAsync("/account/passkeys");
        Assert.DoesNotContain("add-passkey", page);
        Assert.Contains("passkeys-need-domain", page);

        var byName = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(byName, email, KurocoAppFactory.StaffPassword);
        Assert.Contains("add-passkey", await byName.GetStringAsync("/account/passkeys"));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]", true)]
    [InlineData("::1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("[2001:db8::1]", true)]
    [InlineData("localhost", false)]
    [InlineData("admin.example.com", false)]
    [InlineData("1.2.3.example", false)]
    [InlineData("", false)]
    public void Ip_literals_are_recognised(string host, bool isAddress) =>
        Assert.Equal(isAddress, Kuroco.Admin.Account.PasskeyHost.IsIpAddress(host));
}
