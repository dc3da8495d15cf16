using System.Net;
using Kuroco.Core.Audit;
using Kuroco.Core.Security;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Kuroco.Infrastructure.Identity;

namespace Kuroco.Tests.Integration.Account;

/// <summary>The saved session policy (idle timeout, absolute lifetime) and "sign out everywhere", against a controllable clock.</summary>
public sealed class SessionPolicyTests(SessionPolicyTests.PolicyAppFactory factory) : IClassFixture<SessionPolicyTests.PolicyAppFactory>
{
    public sealed class PolicyAppFactory : KurocoAppFactory
    {
        public PolicyAppFactory()
        {
            TestServices = services => services.AddSingleton<TimeProvider>(Clock);
        }

        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    }

    private Task<Kuroco.Core.Common.Result> SaveAsync(SessionPolicy policy) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<ISessionPolicyStore>().SaveAsync(policy));

    private async Task<HttpClient> SignedInAsync(string prefix, params string[] roles)
    {
        var email = $"{prefix}-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, roles.Length == 0 ? [StaffRoles.ContentEditor] : roles);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        return client;
    }

    private static async Task AssertEndedAsync(HttpClient client)
    {
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", KurocoAppFactory.LocationPath(response));
    }

    [Fact]
    public async Task Only_the_security_area_opens_the_session_settings()
    {
        var editor = await SignedInAsync("editor", StaffRoles.ContentEditor);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync("/security/sessions")).StatusCode);
        var officer = await SignedInAsync("officer", StaffRoles.SecurityOfficer);
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync("/security/sessions")).StatusCode);
    }

    [Fact]
    public async Task Invalid_policies_are_refused_and_nothing_changes()
    {
        var before = await factory.WithScopeAsync(sp => sp.GetRequiredService<ISessionPolicyStore>().GetAsync().AsTask());
        var tooShort = await SaveAsync(new SessionPolicy { IdleTimeoutMinutes = 4 });
        Assert.Equal(Kuroco.Core.Common.ErrorKind.Validation, tooShort.Error);
        Assert.Equal(nameof(SessionPolicy.IdleTimeoutMinutes), Assert.Single(tooShort.FieldErrors).Field);
        Assert.False((await SaveAsync(new SessionPolicy { AbsoluteLifetimeMinutes = SessionPolicy.MaxMinutes + 1 })).Succeeded);
        Assert.False((await SaveAsync(new SessionPolicy { IdleTimeoutMinutes = 60, AbsoluteLifetimeMinutes = 30 })).Succeeded);
        Assert.False((await SaveAsync(new SessionPolicy { TwoFactorRequiredRoles = ["Nobody"] })).Succeeded);
        var after = await factory.WithScopeAsync(sp => sp.GetRequiredService<ISessionPolicyStore>().GetAsync().AsTask());
        Assert.Equal(before.IdleTimeoutMinutes, after.IdleTimeoutMinutes);
        Assert.Equal(before.AbsoluteLifetimeMinutes, after.AbsoluteLifetimeMinutes);
    }

    [Fact]
    public async Task Policy_lifetimes_are_enforced_and_the_change_is_audited()
    {
        // One test for everything that changes the shared policy, so the class's tests cannot race on it.
        Assert.True((await SaveAsync(new SessionPolicy { IdleTimeoutMinutes = 10, AbsoluteLifetimeMinutes = 60 })).Succeeded);
        var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.SessionPolicyChanged);
        Assert.Contains("IdleTimeoutMinutes", entry.Changes);
        Assert.Contains("\"30\"", entry.Changes);
        Assert.Contains("\"10\"", entry.Changes);
        try
        {
            // Idle: 11 minutes without a request ends the session.
            var idle = await SignedInAsync("idle");
            factory.Clock.Advance(TimeSpan.FromMinutes(11));
            await AssertEndedAsync(idle);

            // In use: requests every 8 minutes keep it, until 60 minutes after signing in.
            var busy = await SignedInAsync("busy");
            for (var i = 0; i < 7; i++)
            {
                factory.Clock.Advance(TimeSpan.FromMinutes(8));
                Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/")).StatusCode);
            }
            factory.Clock.Advance(TimeSpan.FromMinutes(5));
            await AssertEndedAsync(busy);
            Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.SessionEnded && AuditText.English(e).Contains("maximum session length", StringComparison.Ordinal));
        }
        finally
        {
            Assert.True((await SaveAsync(SessionPolicy.Default)).Succeeded);
        }
    }

    [Fact]
    public async Task A_session_ends_after_the_default_idle_timeout()
    {
        var client = await SignedInAsync("default-idle");
        factory.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        factory.Clock.Advance(TimeSpan.FromMinutes(SessionPolicy.DefaultIdleTimeoutMinutes + 1));
        await AssertEndedAsync(client);
    }

    [Fact]
    public async Task The_keepalive_request_of_the_interactive_console_renews_the_last_use()
    {
        var client = await SignedInAsync("keepalive");
        Assert.Contains("js/session-keepalive", await client.GetStringAsync("/"));
        for (var i = 0; i < 3; i++)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(SessionPolicy.DefaultIdleTimeoutMinutes - 5));
            Assert.Equal(HttpStatusCode.NoContent, (await client.GetAsync("/account/keepalive")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        var anonymous = factory.CreateBrowserLikeClient();
        Assert.NotEqual(HttpStatusCode.NoContent, (await anonymous.GetAsync("/account/keepalive")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_session_and_is_audited()
    {
        var email = $"everywhere-{Guid.NewGuid():N}@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var one = factory.CreateBrowserLikeClient();
        var two = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(one, email, KurocoAppFactory.StaffPassword);
        await KurocoAppFactory.SignInAsync(two, email, KurocoAppFactory.StaffPassword);

        var result = await factory.WithScopeAsync(sp => sp.GetRequiredService<IStaffService>().SignOutEverywhereAsync(id));
        Assert.True(result.Succeeded);
        factory.Clock.Advance(TimeSpan.FromMinutes(2));

        await AssertEndedAsync(one);
        await AssertEndedAsync(two);
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.StaffSignedOutEverywhere && e.EntityId == id);
    }

    [Fact]
    public async Task Signing_out_everywhere_from_the_profile_ends_this_and_other_sessions()
    {
        var email = $"self-{Guid.NewGuid():N}@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var here = factory.CreateBrowserLikeClient();
        var elsewhere = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(here, email, KurocoAppFactory.StaffPassword);
        await KurocoAppFactory.SignInAsync(elsewhere, email, KurocoAppFactory.StaffPassword);

        var page = await here.GetStringAsync("/account/profile");
        var response = await here.PostAsync("/account/sign-out-everywhere", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = KurocoAppFactory.AntiforgeryToken(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", KurocoAppFactory.LocationPath(response));
        await AssertEndedAsync(here);
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await AssertEndedAsync(elsewhere);
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.StaffSignedOutEverywhere && e.EntityId == id);
    }

    [Fact]
    public async Task A_lockout_ends_the_accounts_open_sessions()
    {
        var email = $"lockout-{Guid.NewGuid():N}@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var victim = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(victim, email, KurocoAppFactory.StaffPassword);
        var stampBefore = await factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StaffUser>>();
            return await users.GetSecurityStampAsync((await users.FindByIdAsync(id))!);
        });

        var attacker = factory.CreateBrowserLikeClient();
        for (var i = 0; i < 5; i++)
        {
            await KurocoAppFactory.PostLoginAsync(attacker, email, "Wrong-Passw0rd!guess");
        }
        var stampAfter = await factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByIdAsync(id))!;
            Assert.True(await users.IsLockedOutAsync(user));
            return await users.GetSecurityStampAsync(user);
        });
        Assert.NotEqual(stampBefore, stampAfter);
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await AssertEndedAsync(victim);
    }
}
