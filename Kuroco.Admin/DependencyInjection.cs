using System.Globalization;
using Hangfire;
using Hangfire.Dashboard;
using Kuroco.Admin.Account;
using Kuroco.Admin.Api;
using Kuroco.Admin.Members;
using Kuroco.Admin.Content;
using Kuroco.Admin.Audit;
using Kuroco.Admin.Components.Pages.Audit;
using Kuroco.Admin.Components;
using Kuroco.Admin.Health;
using Kuroco.Admin.Jobs;
using Kuroco.Admin.Localization;
using Kuroco.Admin.Media;
using Kuroco.Admin.Security;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Jobs;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;

namespace Kuroco.Admin;

public static class DependencyInjection
{
    /// <summary>Largest request body accepted anywhere (uploads get their own limit in the media feature).</summary>
    public const long MaxRequestBodyBytes = 4 * 1024 * 1024;

    public static IServiceCollection AddAdmin(this IServiceCollection services, IConfiguration configuration, IWebHostEnvironment environment)
    {
        services.AddRazorComponents().AddInteractiveServerComponents(o => o.DetailedErrors = environment.IsDevelopment());
        services.AddMudServices();
        services.AddProblemDetails();
        // Japanese text is written as is rather than as numeric character references (output is still HTML-encoded).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddHttpContextAccessor();
        services.AddCulture();
        services.AddNetworkSecurity(configuration);
        services.AddKurocoRateLimits(configuration);
        services.AddKurocoApi(configuration);
        services.AddMemberBearer(configuration);
        services.AddContentDelivery(configuration);
        // Several instances: Redis for the output cache, type-cache invalidation and rate limits (after the output cache).
        Kuroco.Infrastructure.Scaling.ScalingServices.AddRedisScaling(services, configuration);
        Status.StatusServices.AddStatusPage(services, configuration);
        services.AddStaffAuthentication(environment);
        services.AddScoped<CircuitOrigin>();
        services.AddScoped<CircuitHandler, CircuitOriginHandler>();
        services.AddScoped<CircuitActivity>();
        services.AddScoped<CircuitHandler, CircuitActivityHandler>();
        services.AddScoped<IAuditContext, HttpAuditContext>();
        services.AddSingleton<IAuditSearchText, AuditSearchText>();
        services.AddScoped<UserTime>();
        services.AddScoped<Backups.BackupDownloadLinks>();
        services.AddScoped<Kuroco.Core.Sla.ISlaReportPdf, Sla.SlaReportPdf>();
        Security.SelfAssessment.SelfAssessmentWebSetup.AddSelfAssessmentWeb(services);
        services.AddScoped<IdentityRedirectManager>();
        services.Configure<KurocoUiOptions>(configuration.GetSection(KurocoUiOptions.SectionName));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "Kuroco.Antiforgery";
            o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            o.AddServerHeader = false;
        });
        services.Configure<FormOptions>(o =>
        {
            o.MultipartBodyLengthLimit = MaxRequestBodyBytes;
            o.ValueLengthLimit = 1024 * 1024;
            o.ValueCountLimit = 256;
        });
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });
        return services;
    }

    private static void AddCulture(this IServiceCollection services)
    {
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = SupportedCultures.All.Select(c => new CultureInfo(c)).ToList();
            o.DefaultRequestCulture = new RequestCulture(SupportedCultures.Default);
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            // The switcher's cookie first, then the browser's Accept-Language, else English.
            o.RequestCultureProviders =
            [
                new CookieRequestCultureProvider { CookieName = SupportedCultures.CookieName },
                new AcceptLanguageFamilyProvider(),
            ];
        });
    }

    private static void AddStaffAuthentication(this IServiceCollection services, IWebHostEnvironment environment)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.Cookie.Name = "Kuroco.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            // The cookie may live as long as the longest allowed session; the session policy (idle
            // timeout, absolute lifetime) is enforced on every request by AuthenticationEvents (see SessionLifetime).
            o.ExpireTimeSpan = TimeSpan.FromMinutes(Kuroco.Core.Security.SessionPolicy.MaxMinutes);
            o.SlidingExpiration = true;
            o.EventsType = typeof(AuthenticationEvents);
        });
        services.AddScoped<AuthenticationEvents>();
        services.AddScoped<AccessDeniedAudit>();
        // A password change, disable or role change ends other sessions within a minute.
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            o.OnRefreshingPrincipal = SessionLifetime.KeepSessionStart;
        });
        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        foreach (var (policy, roles) in AreaPolicies.RolesByPolicy)
        {
            authorization.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        }
        authorization.AddPolicy(Kuroco.Core.Members.MemberDataPolicies.PersonalDataRequests,
            p => p.RequireAuthenticatedUser().RequireRole(Kuroco.Core.Members.MemberDataPolicies.PersonalDataRoles));
        authorization.AddPolicy(Kuroco.Core.Members.MemberDataPolicies.Erase,
            p => p.RequireAuthenticatedUser().RequireRole(Kuroco.Core.Members.MemberDataPolicies.EraseRoles));
    }

    public static async Task InitializeKurocoAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Options are validated before anything is written: a bad setting must not leave a migrated
        // database or a bootstrap account behind (the host would only check them after this).
        app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping);
        await app.Services.GetRequiredService<Kuroco.Infrastructure.Demo.DemoSeeder>().RunAsync(app.Lifetime.ApplicationStopping);
        app.Services.GetRequiredService<RecurringJobsRegistrar>().Register();
    }

    private static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);

    private static bool IsPageRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

    public static WebApplication UseAdmin(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseTrustedProxies();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseMiddleware<Kuroco.Admin.Logs.ApiRequestLogMiddleware>();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        // Browsers get a localized error page (/error/{code}); the API gets RFC 7807 problem details.
        // The re-execution must sit on the main pipeline: inside a UseWhen branch it has no router and
        // re-executes into an empty 404 (a 403 became a blank 404). The inner branch writes its problem
        // details first, so the page is never rendered for the API, nor for a refused POST: re-executed
        // as a POST to the status page it would fail antiforgery and turn every 403 or 404 into a 400.
        app.UseStatusCodePagesWithReExecute("/error/{0}", createScopeForStatusCodePages: true);
        app.UseWhen(c => IsApi(c.Request.Path) || !IsPageRead(c.Request.Method), api => api.UseStatusCodePages());
        app.UseRequestLocalization();
        app.UsePlainHttpGuard();
        app.UseKurocoApi();
        app.UseMiddleware<Maintenance.MaintenanceMiddleware>();
        app.UseIpRestrictions();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseMiddleware<ApiForbiddenAuditMiddleware>();
        app.UseAuthorization();
        // After authorization, so a cached delivery answer is still behind the key check and the rate limits.
        app.UseOutputCache();
        app.UseMiddleware<MustChangePasswordMiddleware>();
        app.UseMiddleware<TwoFactorSetupMiddleware>();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapKurocoEndpoints();
        Status.StatusPageEndpoint.MapStatusPage(app);
        Monitoring.PrometheusEndpoint.MapPrometheusEndpoint(app,
            app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Kuroco.Infrastructure.Monitoring.MonitoringOptions>>().Value.Prometheus);
        app.MapHangfireDashboard("/admin/jobs", new DashboardOptions
        {
            Authorization = [new JobsDashboardAuthorizationFilter()],
            AsyncAuthorization = [],
            DashboardTitle = "Kuroco jobs",
            AppPath = "/",
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(AreaPolicies.Jobs).RequireAuthorization(p => p.RequireRole(StaffRoles.Administrator));
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
