using Bunit;
using Kuroco.Admin.Components.Pages.Security;
using Kuroco.Core.Audit;
using Kuroco.Core.Security;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;
using System.Globalization;
using Kuroco.Core.Staff;
using FluentValidation;

namespace Kuroco.Tests.Components.Security;

public sealed class SessionSettingsPageTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task Saves_the_session_policy_and_refuses_a_lifetime_shorter_than_the_idle_timeout()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        var app = factory.Services;
        var scope = app.CreateScope();
        ctx.Services.AddSingleton(scope.ServiceProvider.GetRequiredService<ISessionPolicyStore>());
        ctx.Services.AddSingleton(app.GetRequiredService<IValidator<SessionPolicy>>());
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized("officer@test.local");
        auth.SetRoles(StaffRoles.SecurityOfficer);
        ctx.Render<MudPopoverProvider>();
        var cut = ctx.Render<SessionSettings>();

        cut.WaitForElement("input[data-testid=idle-timeout]");
        cut.Find("input[data-testid=idle-timeout]").Change("60");
        cut.Find("input[data-testid=absolute-lifetime]").Change("30");
        cut.Find("[data-testid=save-session-settings]").Click();
        cut.WaitForAssertion(() => Assert.Contains("cannot be shorter than the idle timeout", cut.Find("[data-testid=session-settings-errors]").TextContent));
        Assert.Equal(SessionPolicy.DefaultIdleTimeoutMinutes,
            (await factory.WithScopeAsync(sp => sp.GetRequiredService<ISessionPolicyStore>().GetAsync().AsTask())).IdleTimeoutMinutes);

        cut.Find("input[data-testid=idle-timeout]").Change("45");
        cut.Find("input[data-testid=absolute-lifetime]").Change("480");
        cut.Find("[data-testid=save-session-settings]").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=session-settings-errors]")));

        var saved = await factory.WithScopeAsync(sp => sp.GetRequiredService<ISessionPolicyStore>().GetAsync().AsTask());
        Assert.Equal(45, saved.IdleTimeoutMinutes);
        Assert.Equal(480, saved.AbsoluteLifetimeMinutes);
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.SessionPolicyChanged);
        scope.Dispose();
    }

    [Theory]
    [InlineData("idle-timeout", "1")]
    [InlineData("absolute-lifetime", "20000")]
    public async Task An_out_of_range_value_is_kept_as_typed_and_refused_next_to_its_field(string field, string typed)
    {
        await using var test = new ComponentTestContext(factory);
        test.SignIn("officer-id", "officer@test.local", StaffRoles.SecurityOfficer);
        var cut = test.Context.Render<SessionSettings>();
        cut.WaitForElement($"input[data-testid={field}]");

        cut.Find($"input[data-testid={field}]").Change(typed);
        cut.Find("[data-testid=save-session-settings]").Click();

        const string message = "Enter a number of minutes from 5 to 10080.";
        cut.WaitForAssertion(() =>
        {
            var input = cut.Find($"input[data-testid={field}]");
            Assert.Equal(typed, input.GetAttribute("value"));
            Assert.Equal(message, input.Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim());
            Assert.Contains(message, cut.Find("[data-testid=session-settings-errors]").TextContent);
        });
        var stored = await factory.WithScopeAsync(sp => sp.GetRequiredService<ISessionPolicyStore>().GetAsync().AsTask());
        Assert.NotEqual(typed, stored.IdleTimeoutMinutes.ToString(CultureInfo.InvariantCulture));
        Assert.NotEqual(typed, stored.AbsoluteLifetimeMinutes.ToString(CultureInfo.InvariantCulture));
    }
}
