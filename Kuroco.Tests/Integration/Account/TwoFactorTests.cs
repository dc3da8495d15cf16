using System.Net;
using System.Text.RegularExpressions;
using Kuroco.Core.Audit;
using Kuroco.Core.Security;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Kuroco.Tests.Integration.Account;

/// <summary>TOTP two-factor sign-in through the real pages, with codes computed from the shown key as an authenticator app would.</summary>
public sealed partial class TwoFactorTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [GeneratedRegex("data-testid=\"two-factor-key\">([a-z2-7 ]+)<")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("<li><code>([^<]+)</code></li>")]
    private static partial Regex RecoveryCodePattern();

    private static string Code(string key) => new Totp(Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())).ComputeTotp();

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string handler, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(path);
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = KurocoAppFactory.AntiforgeryToken(page);
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    /// <summary>Enrols the signed-in client; returns the key and the recovery codes shown once.</summary>
    private static async Task<(string Key, List<string> RecoveryCodes)> EnrolAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/account/two-factor");
        Assert.Contains("data:image/png;base64,", page);
        var key = KeyPattern().Match(page).Groups[1].Value;
        Assert.NotEmpty(key);

        var wrong = await PostFormAsync(client, "/account/two-factor", "enable-2fa", new() { ["Enable.Code"] = "000000" == Code(key) ? "111111" : "000000" });
        Assert.Contains("two-factor-error", await wrong.Content.ReadAsStringAsync());

        var enabled = await PostFormAsync(client, "/account/two-factor", "enable-2fa", new() { ["Enable.Code"] = Code(key) });
        var html = await enabled.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"recovery-codes\"", html);
        var codes = RecoveryCodePattern().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, codes.Count);
        Assert.DoesNotContain("recovery-codes", await client.GetStringAsync("/account/two-factor"));
        return (key, codes);
    }

    private async Task<(string Email, string Id, string Key, List<string> Codes)> EnrolledStaffAsync(string role = StaffRoles.ContentEditor)
    {
        var email = $"totp-{Guid.NewGuid():N}@test.local";
        var id = await factory.CreateStaffAsync(email, role);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        var (key, codes) = await EnrolAsync(client);
        return (email, id, key, codes);
    }

    private async Task<HttpClient> PasswordStepAsync(string email)
    {
        var client = factory.CreateBrowserLikeClient();
        var response = await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login-2fa", KurocoAppFactory.LocationPath(response));
        // Not signed in yet after the password alone.
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
        return client;
    }

    [Fact]
    public async Task Enrolling_then_signing_in_needs_the_password_and_a_current_code()
    {
        var (email, id, key, _) = await EnrolledStaffAsync();
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.TwoFactorEnabled && e.EntityId == id && e.Outcome == AuditOutcome.Success);

        var client = await PasswordStepAsync(email);
        var wrong = await PostFormAsync(client, "/account/login-2fa", "login-2fa", new() { ["Input.Code"] = Code(key) == "123456" ? "654321" : "123456" });
        Assert.Contains("login-2fa-error", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);

        var right = await PostFormAsync(client, "/account/login-2fa", "login-2fa", new() { ["Input.Code"] = Code(key) });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/", KurocoAppFactory.LocationPath(right));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Wrong_codes_at_the_second_step_lock_the_account_at_the_policys_number_and_end_its_sessions()
    {
        var (email, id, key, _) = await EnrolledStaffAsync();
        var stampBefore = await StampAsync(id);
        var client = await PasswordStepAsync(email);
        var wrongCode = Code(key) == "123456" ? "654321" : "123456";
        for (var i = 1; i < new PasswordPolicy().MaxFailedAttempts; i++)
        {
            await PostFormAsync(client, "/account/login-2fa", "login-2fa", new() { ["Input.Code"] = wrongCode });
            Assert.Equal(stampBefore, await StampAsync(id));
        }
        var last = await PostFormAsync(client, "/account/login-2fa", "login-2fa", new() { ["Input.Code"] = wrongCode });
        Assert.Contains("The account is locked", await last.Content.ReadAsStringAsync());
        Assert.NotEqual(stampBefore, await StampAsync(id));
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.LockedOut && e.EntityId == id);
        var mails = await factory.WithScopeAsync(sp => sp.GetRequiredService<Kuroco.Infrastructure.Data.KurocoDbContext>().OutboxMessages
            .AsNoTracking().Where(m => m.ToAddress == email).Select(m => m.Subject).ToListAsync());
        Assert.Contains(mails, s => s.Contains("locked", StringComparison.Ordinal));

        // Locked: even the right code no longer signs in.
        var right = await PostFormAsync(client, "/account/login-2fa", "login-2fa", new() { ["Input.Code"] = Code(key) });
        Assert.Contains("The account is locked", await right.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    private Task<string?> StampAsync(string id) => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<Kuroco.Infrastructure.Data.KurocoDbContext>().Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleAsync());

    [Fact]
    public async Task A_recovery_code_works_once()
    {
        var (email, id, _, codes) = await EnrolledStaffAsync();
        var first = await PasswordStepAsync(email);
        var used = await PostFormAsync(first, "/account/login-recovery", "login-recovery", new() { ["Input.RecoveryCode"] = codes[0] });
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/")).StatusCode);
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.RecoveryCodeUsed && e.EntityId == id);

        var second = await PasswordStepAsync(email);
        var again = await PostFormAsync(second, "/account/login-recovery", "login-recovery", new() { ["Input.RecoveryCode"] = codes[0] });
        Assert.Contains("login-recovery-error", await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Turning_two_factor_off_is_audited_and_the_password_alone_signs_in_again()
    {
        var (email, id, key, _) = await EnrolledStaffAsync();
        var client = await PasswordStepAsync(email);
        await PostFormAsync(client, "/account/login-2fa", "login-2fa", new() { ["Input.Code"] = Code(key) });
        var off = await PostFormAsync(client, "/account/two-factor", "disable-2fa", []);
        Assert.Contains("enable-2fa", await off.Content.ReadAsStringAsync());
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.TwoFactorDisabled && e.EntityId == id);

        var plain = factory.CreateBrowserLikeClient();
        var response = await KurocoAppFactory.PostLoginAsync(plain, email, KurocoAppFactory.StaffPassword);
        Assert.Equal("/", KurocoAppFactory.LocationPath(response));
    }

    [Fact]
    public async Task A_role_that_requires_two_factor_reaches_nothing_but_enrolment_until_enrolled()
    {
        Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<ISessionPolicyStore>().SaveAsync(
            new SessionPolicy { TwoFactorRequiredRoles = [StaffRoles.SecurityOfficer] }))).Succeeded);
        try
        {
            var email = $"officer-{Guid.NewGuid():N}@test.local";
            await factory.CreateStaffAsync(email, StaffRoles.SecurityOfficer);
            var client = factory.CreateBrowserLikeClient();
            await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
            foreach (var path in new[] { "/", "/security", "/audit" })
            {
                var blocked = await client.GetAsync(path);
                Assert.Equal(HttpStatusCode.Redirect, blocked.StatusCode);
                Assert.StartsWith("/account/two-factor", KurocoAppFactory.LocationPath(blocked));
            }
            Assert.Contains("two-factor-required", await client.GetStringAsync("/account/two-factor"));

            await EnrolAsync(client);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/security")).StatusCode);
            Assert.DoesNotContain("disable-2fa", await client.GetStringAsync("/account/two-factor"));
        }
        finally
        {
            Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<ISessionPolicyStore>().SaveAsync(SessionPolicy.Default))).Succeeded);
        }
    }
}
