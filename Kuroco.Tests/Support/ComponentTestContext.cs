using System.Globalization;
using Bunit;
using Bunit.TestDoubles;
using Kuroco.Admin.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace Kuroco.Tests.Support;

/// <summary>
/// bunit with MudBlazor, the app's localization and, for everything else, the services of a real
/// app (<see cref="KurocoAppFactory"/>) through one DI scope: components talk to the real SQLite database.
/// Dispose with <c>await using</c>.
/// </summary>
public sealed class ComponentTestContext : IAsyncDisposable
{
    private readonly IServiceScope? appScope;

    public BunitContext Context { get; } = new();

    public BunitAuthorizationContext Auth { get; }

    public IServiceProvider? AppServices => appScope?.ServiceProvider;

    public ComponentTestContext(KurocoAppFactory? app = null, string culture = "en")
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices(o =>
        {
            o.PopoverOptions.CheckForPopoverProvider = false;
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        Context.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        Context.Services.AddSingleton(Options.Create(new KurocoUiOptions()));
        Context.Services.AddScoped<UserTime>();
        Auth = Context.AddAuthorization();
        if (app is not null)
        {
            appScope = app.Services.CreateScope();
            Context.Services.AddFallbackServiceProvider(appScope.ServiceProvider);
        }
        Context.Render<MudPopoverProvider>();
    }

    /// <summary>Signs a user into the component's authentication state.</summary>
    public void SignIn(string userId, string email, params string[] roles)
    {
        Auth.SetAuthorized(email);
        Auth.SetRoles(roles); // Before SetClaims: bunit's SetRoles drops claims set earlier.
        Auth.SetClaims(
            new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, userId),
            new System.Security.Claims.Claim(Kuroco.Infrastructure.Identity.StaffClaims.DisplayName, email.Split('@')[0]),
            new System.Security.Claims.Claim(Kuroco.Infrastructure.Identity.StaffClaims.TimeZone, "Asia/Tokyo"));
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        appScope?.Dispose();
    }
}
