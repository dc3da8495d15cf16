using System.Net;
using System.Text.RegularExpressions;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Support;

/// <summary>
/// The real app on a real SQLite file in a fresh temporary data folder, with a known bootstrap
/// Administrator. One factory per test class (IClassFixture).
/// </summary>
public partial class KurocoAppFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Bootstrap-Passw0rd!x";
    /// <summary>Password given to staff created by <see cref="CreateStaffAsync"/>.</summary>
    public const string StaffPassword = "Staff-Passw0rd!long";

    public string DataPath { get; } = Path.Combine(Path.GetTempPath(), "kuroco-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Extra configuration, set before the app starts (applied last, so it overrides the defaults above).</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    /// <summary>The host environment; "Production" turns on the exception handler, HSTS and secure cookies.</summary>
    public string EnvironmentName { get; set; } = "Development";

    /// <summary>
    /// Replaces services after the app registered its own: only the outside world (SendGrid's HTTP API)
    /// and what a test needs to observe (log capture).
    /// </summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>Start-up uses no configured bootstrap credentials (the app falls back to admin@localhost and a generated password).</summary>
    public KurocoAppFactory WithoutBootstrapCredentials()
    {
        Settings["Kuroco:Bootstrap:AdminEmail"] = "";
        Settings["Kuroco:Bootstrap:AdminPassword"] = "";
        return this;
    }

    /// <summary>
    /// Starts the app on Kestrel at 127.0.0.1 on a free port (a real socket, for browsers and server
    /// limits) and returns its base address. <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> then talks to that socket.
    /// </summary>
    public Uri StartKestrel()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reported no address.");
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(DataPath);
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("Storage:DataPath", DataPath);
        builder.UseSetting("Kuroco:Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Kuroco:Bootstrap:AdminPassword", AdminPassword);
        // The monitoring probes would add their own requests to the logs tests read; tests that want them turn them on.
        builder.UseSetting("Monitoring:Probes:Enabled", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        if (TestServices is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
        // Start-up resolves the initializer first thing, when every setting and service is final (whatever a subclass
        // or a test set): that is when the data folder may start from the migrated template.
        builder.ConfigureTestServices(services => services.AddSingleton(sp =>
        {
            MigratedTemplate.SeedIfPlain(this, sp);
            return ActivatorUtilities.CreateInstance<DatabaseInitializer>(sp);
        }));
    }

    /// <summary>A client that keeps cookies and does not follow redirects, so tests see each 302.</summary>
    public HttpClient CreateBrowserLikeClient(string baseAddress = "http://localhost") =>
        CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri(baseAddress),
        });

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task WithScopeAsync(Func<IServiceProvider, Task> action) =>
        WithScopeAsync<object?>(async sp => { await action(sp); return null; });

    /// <summary>
    /// Runs <paramref name="action"/> with the app's sign-in service in a scope of its own, as one request would: a
    /// fresh HttpContext (so the issued cookies have somewhere to go) and the scope's services.
    /// </summary>
    public Task<T> WithSignInAsync<T>(Func<Kuroco.Core.Security.SignIn.ISignInService, Task<T>> action) =>
        WithSignInAsync((signIn, _) => action(signIn));

    /// <inheritdoc cref="WithSignInAsync{T}(Func{Kuroco.Core.Security.SignIn.ISignInService, Task{T}})"/>
    public Task<T> WithSignInAsync<T>(Func<Kuroco.Core.Security.SignIn.ISignInService, IServiceProvider, Task<T>> action) => WithScopeAsync(async sp =>
    {
        var accessor = sp.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>();
        accessor.HttpContext = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = sp };
        try
        {
            return await action(sp.GetRequiredService<Kuroco.Core.Security.SignIn.ISignInService>(), sp);
        }
        finally
        {
            accessor.HttpContext = null;
        }
    });

    /// <summary>The audit log in sequence order, read straight from the database.</summary>
    public Task<List<AuditEntry>> AuditEntriesAsync() => WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());

    /// <summary>Creates an enabled staff account with <see cref="StaffPassword"/> and the given roles (no forced change).</summary>
    public Task<string> CreateStaffAsync(string email, params string[] roles) => WithScopeAsync(async sp =>
    {
        var users = sp.GetRequiredService<UserManager<StaffUser>>();
        var user = new StaffUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = email.Split('@')[0],
            LockoutEnabled = true,
            CreatedAtUtc = DateTime.UtcNow,
        };
        var created = await users.CreateAsync(user, StaffPassword);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        if (roles.Length > 0)
        {
            var added = await users.AddToRolesAsync(user, roles);
            Assert.True(added.Succeeded, string.Join(" ", added.Errors.Select(e => e.Description)));
        }
        return user.Id;
    });

    /// <summary>Changes a staff account directly (e.g. disables it or forces a password change), as an Administrator's action would leave it.</summary>
    public Task UpdateStaffAsync(string userId, Action<StaffUser> change) => WithScopeAsync(async sp =>
    {
        var users = sp.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException($"No staff account {userId}.");
        change(user);
        var updated = await users.UpdateAsync(user);
        Assert.True(updated.Succeeded, string.Join(" ", updated.Errors.Select(e => e.Description)));
    });

    /// <summary>Signs in through the real sign-in form (antiforgery token included); returns the final response.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password, bool rememberMe = false, string? returnUrl = null)
    {
        var path = "/account/login" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var form = await client.GetStringAsync(path);
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        };
        if (rememberMe)
        {
            fields["Input.RememberMe"] = "true";
        }
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    /// <summary>Signs in and, when the account must change its password, changes it to <paramref name="newPassword"/>.</summary>
    public static async Task SignInAsync(HttpClient client, string email, string password, string? newPassword = null)
    {
        var response = await PostLoginAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = LocationPath(response);
        if (location.Contains("/account/change-password", StringComparison.Ordinal))
        {
            Assert.NotNull(newPassword);
            var changed = await PostChangePasswordAsync(client, password, newPassword!, newPassword!);
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        }
    }

    public static async Task<HttpResponseMessage> PostChangePasswordAsync(HttpClient client, string current, string next, string confirm)
    {
        var form = await client.GetStringAsync("/account/change-password");
        return await client.PostAsync("/account/change-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "change-password",
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["Input.CurrentPassword"] = current,
            ["Input.NewPassword"] = next,
            ["Input.ConfirmNewPassword"] = confirm,
        }));
    }

    /// <summary>The redirect target's path and query, whether the Location header is absolute or relative.</summary>
    public static string LocationPath(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new InvalidOperationException($"No Location header (status {(int)response.StatusCode}).");
        return location.IsAbsoluteUri ? location.PathAndQuery : new Uri(new Uri("http://localhost"), location).PathAndQuery;
    }

    public static string AntiforgeryToken(string html)
    {
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, "The form carries no antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>
    /// Start on an empty data folder even when the app's configuration is the plain one: start-up then applies every
    /// migration itself instead of starting from the migrated template (<see cref="MigratedTemplate"/>).
    /// </summary>
    public bool FreshDatabase { get; set; }

    /// <summary>Keeps the data folder when disposed (the migrated template is copied out of it afterwards).</summary>
    internal bool KeepDataOnDispose { get; set; }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && !KeepDataOnDispose)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataPath, recursive: true);
            }
            catch (IOException)
            {
                // A job thread may still hold the file for a moment; the temp folder is cleaned by the OS.
            }
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
