using System.Globalization;
using Bunit;
using Kuroco.Admin.Components.Pages.Security;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace Kuroco.Tests.Components.Security;

public sealed class SecurityOverviewPageTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task Shows_the_password_lockout_and_session_rules_the_app_runs_with()
    {
        await using var ctx = NewContext("en");
        var cut = ctx.Render<SecurityOverview>();

        var values = Values(cut);
        Assert.Equal("12 characters", values["min-length"]);
        Assert.Equal("Required", values["digit"]);
        Assert.Equal("Required", values["lowercase"]);
        Assert.Equal("Required", values["uppercase"]);
        Assert.Equal("Required", values["symbol"]);
        Assert.Equal("5 attempts", values["max-failed"]);
        Assert.Equal("15 min", values["lockout-minutes"]);
        // The member policy's defaults are the seed's too: locked after 5 failures.
        Assert.Equal("5 attempts", values["member-max-failed"]);
        Assert.Equal("4 of 4 required", values["member-kinds"]);
        Assert.Equal("On", values["lockout-new"]);
        Assert.Equal("1 min", values["validation-interval"]);
        Assert.Equal("30 min", values["idle-timeout"]);
        Assert.Contains("renewed while the console is in use", cut.Find("[data-item=idle-timeout]").TextContent);
        Assert.Equal("12 h", values["session-lifetime"]);
        Assert.Equal("5", values["history"]);
        Assert.Equal("128 characters", values["max-length"]);
        Assert.Equal("Off", values["min-classes"]);
        Assert.Equal("On", values["common"]);
        Assert.Equal("On", values["personal"]);
        Assert.Equal("2 of 4", values["strength"]);
        Assert.Contains("zxcvbn", cut.Find("[data-item=strength]").TextContent);
        Assert.Equal("Never", values["expiry"]);
        Assert.Equal("Off", values["expiry-warning"]);
        Assert.Equal("On", values["remember-me"]);
        Assert.Equal("14 days", values["remember-me-days"]);
        Assert.Contains("New accounts can be locked", cut.Find("[data-item=lockout-new]").TextContent);
        Assert.Contains("no account is exempt", cut.Find("[data-item=lockout-new]").TextContent);
        Assert.Contains("password policy and the session settings", cut.Find("[data-testid=security-readonly-note]").TextContent);
    }

    [Fact]
    public async Task Japanese_culture_shows_Japanese()
    {
        await using var ctx = NewContext("ja-JP");
        var cut = ctx.Render<SecurityOverview>();

        Assert.Equal("セキュリティ設定", cut.Find("h1").TextContent);
        var values = Values(cut);
        Assert.Equal("12 文字", values["min-length"]);
        Assert.Equal("必須", values["digit"]);
        Assert.Equal("15 分", values["lockout-minutes"]);
        Assert.Contains("ロックまでのサインイン失敗回数", cut.Find("[data-item=max-failed]").TextContent);
        Assert.Equal("2 / 4", values["strength"]);
        Assert.Equal("無期限", values["expiry"]);
        Assert.Equal("14 日", values["remember-me-days"]);
        Assert.Equal("有効", values["common"]);
        Assert.Contains("新規アカウントもロック対象", cut.Find("[data-item=lockout-new]").TextContent);
        Assert.Contains("会員のパスワードポリシー", cut.Find("[data-testid=security-section-members]").TextContent);
        Assert.Equal("4 種類中 4 種類", values["member-kinds"]);
        // Every explanation on the page is Japanese: no English sentence left behind (the "Vendor doc: …" defect).
        foreach (var item in cut.FindAll("[data-testid=security-item]"))
        {
            Assert.DoesNotMatch("[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", item.TextContent);
        }
    }

    [Fact]
    public async Task A_changed_policy_shows_its_expiry_remember_me_strength_and_common_password_rule()
    {
        var changed = new Kuroco.Core.Security.PasswordPolicy
        {
            ExpiryDays = 90, ExpiryWarningDays = 10, RememberMeAllowed = false, MinStrengthScore = 3,
            RejectCommonPasswords = false, HistoryCount = 0,
        };
        await factory.WithScopeAsync(sp => sp.GetRequiredService<Kuroco.Core.Security.IPasswordPolicyStore>().SaveAsync(changed));
        try
        {
            await using var ctx = NewContext("en");
            var cut = ctx.Render<SecurityOverview>();

            var values = Values(cut);
            Assert.Equal("90 days", values["expiry"]);
            Assert.Equal("10 days", values["expiry-warning"]);
            Assert.Equal("Off", values["remember-me"]);
            Assert.Equal("Off", values["remember-me-days"]);
            Assert.Equal("3 of 4", values["strength"]);
            Assert.Equal("Off", values["common"]);
            Assert.Equal("Off", values["history"]);
        }
        finally
        {
            await factory.WithScopeAsync(sp => sp.GetRequiredService<Kuroco.Core.Security.IPasswordPolicyStore>().SaveAsync(new Kuroco.Core.Security.PasswordPolicy()));
        }
    }

    [Fact]
    public async Task The_member_password_policy_is_shown_apart_with_its_own_values_and_a_link_to_its_tab()
    {
        var members = new Kuroco.Core.Security.PasswordPolicy
        {
            MinLength = 10, MaxFailedAttempts = 7, RequireSymbol = false, HistoryCount = 3, ExpiryDays = 180,
            LockoutMinutes = 30, RememberMeDays = 30,
        };
        Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<Kuroco.Core.Members.IMemberPasswordPolicyStore>().SaveAsync(members))).Succeeded);
        try
        {
            await using var ctx = NewContext("en");
            var cut = ctx.Render<SecurityOverview>();

            var values = Values(cut);
            Assert.Contains("Member password policy", cut.Find("[data-testid=security-section-members]").TextContent);
            Assert.Equal("10 characters", values["member-min-length"]);
            Assert.Equal("3 of 4 required", values["member-kinds"]);
            Assert.Equal("On", values["member-common"]);
            Assert.Equal("3", values["member-history"]);
            Assert.Equal("180 days", values["member-expiry"]);
            Assert.Equal("7 attempts", values["member-max-failed"]);
            Assert.Equal("30 min", values["member-lockout-minutes"]);
            Assert.Equal("30 days", values["member-remember-me-days"]);
            // The staff policy's values are untouched by the member policy.
            Assert.Equal("12 characters", values["min-length"]);
            Assert.Equal("5 attempts", values["max-failed"]);
            Assert.EndsWith("security/password-policy?tab=members", cut.Find("[data-testid=edit-member-password-policy]").GetAttribute("href"));
        }
        finally
        {
            await factory.WithScopeAsync(sp => sp.GetRequiredService<Kuroco.Core.Members.IMemberPasswordPolicyStore>().SaveAsync(new Kuroco.Core.Security.PasswordPolicy()));
        }
    }

    private static Dictionary<string, string> Values(IRenderedComponent<SecurityOverview> cut) =>
        cut.FindAll("[data-testid=security-item]").ToDictionary(
            e => e.GetAttribute("data-item")!,
            e => e.QuerySelector("[data-testid=security-value]")!.TextContent.Trim());

    /// <summary>
    /// Built here rather than with ComponentTestContext: that one renders before a test can add
    /// services, and IOptions&lt;T&gt; would then come from bunit's own container with default
    /// values (6 characters, 30 minutes) instead of the app's configured ones.
    /// </summary>
    private BunitContext NewContext(string culture)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        var app = factory.Services;
        var scope = app.CreateScope();
        ctx.Services.AddSingleton(scope.ServiceProvider.GetRequiredService<Kuroco.Core.Security.IPasswordPolicyStore>());
        ctx.Services.AddSingleton(scope.ServiceProvider.GetRequiredService<Kuroco.Core.Members.IMemberPasswordPolicyStore>());
        ctx.Services.AddSingleton(app.GetRequiredService<IOptions<SecurityStampValidatorOptions>>());
        ctx.Services.AddSingleton(app.GetRequiredService<IOptions<IdentityOptions>>());
        ctx.Services.AddScoped(_ => app.CreateScope().ServiceProvider.GetRequiredService<Kuroco.Core.Security.ISessionPolicyStore>());
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized("officer@test.local");
        auth.SetRoles(StaffRoles.SecurityOfficer);
        return ctx;
    }
}
