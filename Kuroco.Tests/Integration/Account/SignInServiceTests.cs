using Kuroco.Core.Audit;
using Kuroco.Core.Security;
using Kuroco.Core.Security.SignIn;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Account;

/// <summary>The sign-in service with the staff parts it is composed with in the app: the real users table, policy, cookies and audit log.</summary>
public sealed class SignInServiceTests : IClassFixture<KurocoAppFactory>
{
    private readonly KurocoAppFactory factory;

    public SignInServiceTests(KurocoAppFactory factory)
    {
        this.factory = factory;
        factory.Settings.TryAdd("Kuroco:RateLimits:SignInPerAccountPerMinute", "1000");
    }

    private async Task<(string Email, string Id)> StaffAsync()
    {
        var email = $"service-{Guid.NewGuid():N}@test.local";
        return (email, await factory.CreateStaffAsync(email, StaffRoles.ContentEditor));
    }

    /// <summary>Signs in through the service in a request of its own; returns the outcome and the cookies it issued.</summary>
    private Task<(SignInOutcome Outcome, string Cookies)> PasswordAsync(string email, string password) => factory.WithSignInAsync(async (signIn, sp) =>
    {
        var outcome = await signIn.PasswordSignInAsync(email, password, rememberMe: false);
        var http = sp.GetRequiredService<IHttpContextAccessor>().HttpContext!;
        return (outcome, string.Join("\n", http.Response.Headers.SetCookie.ToArray()));
    });

    private async Task<List<AuditEntry>> EntriesForAsync(string id) => [.. (await factory.AuditEntriesAsync()).Where(e => e.EntityId == id)];

    [Fact]
    public async Task A_right_password_issues_the_sign_in_cookie_records_the_time_and_audits_with_the_roles()
    {
        var (email, id) = await StaffAsync();

        var (outcome, cookies) = await PasswordAsync(email, KurocoAppFactory.StaffPassword);

        Assert.Equal(SignInStatus.Succeeded, outcome.Status);
        Assert.Equal(id, outcome.AccountId);
        Assert.Contains("Kuroco.Auth=", cookies);
        var entry = Assert.Single(await EntriesForAsync(id), e => e.Action == AuditActions.SignInSucceeded);
        Assert.Equal(email, entry.ActorName);
        Assert.Equal(StaffRoles.ContentEditor, entry.ActorRoles);
        var user = await factory.WithScopeAsync(async sp => (await sp.GetRequiredService<UserManager<StaffUser>>().FindByIdAsync(id))!);
        Assert.NotNull(user.LastSignInUtc);
    }

    [Fact]
    public async Task A_disabled_account_is_refused_without_a_cookie_and_the_reason_is_audited()
    {
        var (email, id) = await StaffAsync();
        await factory.UpdateStaffAsync(id, u => u.IsEnabled = false);

        var (outcome, cookies) = await PasswordAsync(email, KurocoAppFactory.StaffPassword);

        Assert.Equal(SignInStatus.Disabled, outcome.Status);
        Assert.False(outcome.IsSignedIn);
        Assert.DoesNotContain("Kuroco.Auth=", cookies);
        Assert.Contains("account disabled", AuditText.English(Assert.Single(await EntriesForAsync(id))));
    }

    [Fact]
    public async Task An_expired_password_signs_in_confined_to_the_password_change()
    {
        var (email, id) = await StaffAsync();
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().SaveAsync(new PasswordPolicy { ExpiryDays = 30 }));
        try
        {
            await factory.UpdateStaffAsync(id, u => u.PasswordChangedAtUtc = DateTime.UtcNow.AddDays(-31));

            var (outcome, cookies) = await PasswordAsync(email, KurocoAppFactory.StaffPassword);

            Assert.Equal(SignInStatus.RequiresPasswordChange, outcome.Status);
            Assert.Contains("Kuroco.Auth=", cookies);
        }
        finally
        {
            await factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().SaveAsync(new PasswordPolicy()));
        }
    }

    [Fact]
    public async Task A_passkey_the_server_did_not_ask_for_is_refused_and_audited()
    {
        var before = (await factory.AuditEntriesAsync()).Count;

        var outcome = await factory.WithSignInAsync(signIn => signIn.PasskeySignInAsync("{\"id\":\"AQID\",\"response\":{}}"));

        Assert.Equal(SignInStatus.Failed, outcome.Status);
        var entry = Assert.Single((await factory.AuditEntriesAsync()).Skip(before));
        Assert.Equal(AuditActions.SignInFailed, entry.Action);
        Assert.Equal("Sign-in with a passkey failed for anonymous: unknown passkey.", AuditText.English(entry));
    }

    [Fact]
    public async Task A_second_step_without_a_right_password_first_is_refused()
    {
        var outcome = await factory.WithSignInAsync(signIn => signIn.AuthenticatorCodeSignInAsync("123456", rememberMe: false));
        Assert.Equal(SignInStatus.Failed, outcome.Status);
        Assert.False(await factory.WithSignInAsync(signIn => signIn.HasPendingSecondStepAsync()));
    }

    [Fact]
    public async Task Signing_out_is_audited_for_the_account_that_signs_out()
    {
        var (_, id) = await StaffAsync();

        await factory.WithSignInAsync(async signIn =>
        {
            await signIn.SignOutAsync(id);
            return true;
        });

        Assert.Equal(AuditActions.SignOut, Assert.Single(await EntriesForAsync(id)).Action);
    }

    [Fact]
    public async Task Identitys_own_sign_in_methods_are_closed_so_nothing_signs_in_past_the_service()
    {
        var (email, _) = await StaffAsync();
        await factory.WithScopeAsync(async sp =>
        {
            var manager = sp.GetRequiredService<SignInManager<StaffUser>>();
            var user = (await manager.UserManager.FindByEmailAsync(email))!;
            await Assert.ThrowsAsync<NotSupportedException>(() => manager.PasswordSignInAsync(email, KurocoAppFactory.StaffPassword, false, true));
            await Assert.ThrowsAsync<NotSupportedException>(() => manager.CheckPasswordSignInAsync(user, KurocoAppFactory.StaffPassword, true));
            await Assert.ThrowsAsync<NotSupportedException>(() => manager.TwoFactorAuthenticatorSignInAsync("123456", false, false));
            await Assert.ThrowsAsync<NotSupportedException>(() => manager.TwoFactorRecoveryCodeSignInAsync("code"));
            await Assert.ThrowsAsync<NotSupportedException>(() => manager.PasskeySignInAsync("{}"));
        });
    }
}
