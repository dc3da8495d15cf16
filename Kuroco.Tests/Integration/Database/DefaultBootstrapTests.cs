using System.Net;
using System.Text.RegularExpressions;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Identity;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuroco.Tests.Integration.Database;

/// <summary>Without configured bootstrap credentials the first Administrator is admin@localhost with a logged one-time password.</summary>
public sealed partial class DefaultBootstrapTests
{
    [Fact]
    public async Task Without_configured_credentials_the_admin_is_admin_at_localhost_with_a_logged_one_time_password()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = new KurocoAppFactory().WithoutBootstrapCredentials();
        app.TestServices = services => services.AddSingleton<ILoggerProvider>(logs);

        await app.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StaffUser>>();
            var admins = await users.GetUsersInRoleAsync(StaffRoles.Administrator);
            var admin = Assert.Single(admins);
            Assert.Equal(BootstrapOptions.DefaultAdminEmail, admin.Email);
            Assert.True(admin.MustChangePassword);
            Assert.Null(await users.FindByEmailAsync(KurocoAppFactory.AdminEmail));
        });

        // The password is written to the log once, and it works (only for the change-password page).
        var message = Assert.Single(logs.Messages, m => m.Contains("one-time password", StringComparison.Ordinal));
        var password = OneTimePassword().Match(message).Groups[1].Value;
        Assert.Equal(20, password.Length);

        var client = app.CreateBrowserLikeClient();
        var login = await KurocoAppFactory.PostLoginAsync(client, BootstrapOptions.DefaultAdminEmail, password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith("/account/change-password", KurocoAppFactory.LocationPath(login));
    }

    [GeneratedRegex(@"one-time password: (\S+)")]
    private static partial Regex OneTimePassword();
}
