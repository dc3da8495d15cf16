using System.Reflection;
using System.Security.Claims;
using Kuroco.Admin.Account;
using Kuroco.Core.Security;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Account;

/// <summary>The per-minute check of an open Blazor circuit: the session policy and the security stamp end its sign-in.</summary>
public sealed class CircuitSessionTests(CircuitSessionTests.ClockFactory factory) : IClassFixture<CircuitSessionTests.ClockFactory>
{
    public sealed class ClockFactory : KurocoAppFactory
    {
        public ClockFactory()
        {
            TestServices = services => services.AddSingleton<TimeProvider>(Clock);
        }

        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    }

    private async Task<(IdentityRevalidatingAuthenticationStateProvider Provider, CircuitActivity Activity, AuthenticationState State, string UserId)> CircuitAsync()
    {
        var email = $"circuit-{Guid.NewGuid():N}@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var principal = await factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StaffUser>>();
            var claims = sp.GetRequiredService<IUserClaimsPrincipalFactory<StaffUser>>();
            return await claims.CreateAsync((await users.FindByIdAsync(id))!);
        });
        var activity = new CircuitActivity(factory.Clock);
        var provider = new IdentityRevalidatingAuthenticationStateProvider(NullLoggerFactory.Instance,
            factory.Services.GetRequiredService<IServiceScopeFactory>(),
            factory.Services.GetRequiredService<IOptions<IdentityOptions>>(), activity, factory.Clock);
        return (provider, activity, new AuthenticationState(principal), id);
    }

    private static Task<bool> ValidateAsync(IdentityRevalidatingAuthenticationStateProvider provider, AuthenticationState state)
    {
        var method = typeof(IdentityRevalidatingAuthenticationStateProvider).GetMethod("ValidateAuthenticationStateAsync", BindingFlags.Instance | BindingFlags.NonPublic)!;
        return (Task<bool>)method.Invoke(provider, [state, CancellationToken.None])!;
    }

    [Fact]
    public async Task An_active_circuit_stays_signed_in_until_the_maximum_session_length()
    {
        var (provider, activity, state, _) = await CircuitAsync();
        Assert.NotNull(state.User.FindFirst(StaffClaims.SessionIssuedAt));
        for (var elapsed = 0; elapsed < SessionPolicy.DefaultAbsoluteLifetimeMinutes - 20; elapsed += 20)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(20));
            activity.Touch();
            Assert.True(await ValidateAsync(provider, state));
        }
        factory.Clock.Advance(TimeSpan.FromMinutes(21));
        activity.Touch();
        Assert.False(await ValidateAsync(provider, state));
    }

    [Fact]
    public async Task An_idle_circuit_is_signed_out_after_the_idle_timeout()
    {
        var (provider, _, state, _) = await CircuitAsync();
        factory.Clock.Advance(TimeSpan.FromMinutes(SessionPolicy.DefaultIdleTimeoutMinutes - 1));
        Assert.True(await ValidateAsync(provider, state));
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(await ValidateAsync(provider, state));
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_an_open_circuit()
    {
        var (provider, _, state, id) = await CircuitAsync();
        Assert.True(await ValidateAsync(provider, state));
        Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IStaffService>().SignOutEverywhereAsync(id))).Succeeded);
        Assert.False(await ValidateAsync(provider, state));
    }

    [Fact]
    public async Task A_circuit_without_a_sign_in_time_is_refused()
    {
        var (provider, _, state, _) = await CircuitAsync();
        var identity = new ClaimsIdentity(state.User.Claims.Where(c => c.Type != StaffClaims.SessionIssuedAt), "Identity.Application");
        Assert.False(await ValidateAsync(provider, new AuthenticationState(new ClaimsPrincipal(identity))));
    }
}
