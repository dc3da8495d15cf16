using System.Net;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Account;

/// <summary>Sessions against a controllable clock: a password change ends the account's other sessions at their next check.</summary>
public sealed class SessionTests(SessionTests.ClockAppFactory factory) : IClassFixture<SessionTests.ClockAppFactory>
{
    public sealed class ClockAppFactory : KurocoAppFactory
    {
        public ClockAppFactory()
        {
            TestServices = services => services.AddSingleton<TimeProvider>(Clock);
        }

        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Changing_the_password_ends_the_other_sessions_within_the_validation_interval()
    {
        var email = $"session-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var here = factory.CreateBrowserLikeClient();
        var elsewhere = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(here, email, KurocoAppFactory.StaffPassword);
        await KurocoAppFactory.SignInAsync(elsewhere, email, KurocoAppFactory.StaffPassword);

        var changed = await KurocoAppFactory.PostChangePasswordAsync(here, KurocoAppFactory.StaffPassword, "Harbor-Kettle-93!sun", "Harbor-Kettle-93!sun");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        factory.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/")).StatusCode);
        var ended = await elsewhere.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.StartsWith("/account/login", KurocoAppFactory.LocationPath(ended));
    }

    [Fact]
    public async Task A_session_ends_after_eight_hours_without_activity()
    {
        var email = $"idle-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        factory.Clock.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));

        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", KurocoAppFactory.LocationPath(response));
    }
}
