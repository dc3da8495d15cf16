using Bunit;
using Kuroco.Admin.Components.Pages.Security.Components;
using Kuroco.Core.Security;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Components.Security;

public sealed class PasswordExpiryWarningTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private async Task<IRenderedComponent<PasswordExpiryWarning>> RenderAsync(ComponentTestContext test, int changedDaysAgo)
    {
        var email = $"expiry-{Guid.NewGuid():N}@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        await factory.UpdateStaffAsync(id, u => u.PasswordChangedAtUtc = DateTime.UtcNow.AddDays(-changedDaysAgo).AddMinutes(1));
        test.SignIn(id, email, StaffRoles.ContentEditor);
        return test.Context.Render<PasswordExpiryWarning>();
    }

    private async Task SaveAsync(PasswordPolicy policy) =>
        Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().SaveAsync(policy))).Succeeded);

    [Fact]
    public async Task Warns_within_the_warning_days_and_not_before()
    {
        await SaveAsync(new PasswordPolicy { ExpiryDays = 90, ExpiryWarningDays = 14 });
        await using (var test = new ComponentTestContext(factory))
        {
            var cut = await RenderAsync(test, 80);
            cut.WaitForAssertion(() => Assert.Equal("10", cut.Find("[data-testid=password-expiry-warning]").GetAttribute("data-days")));
            Assert.Contains("Your password expires in 10 days.", cut.Markup);
        }
        await using (var test = new ComponentTestContext(factory))
        {
            var cut = await RenderAsync(test, 70);
            Assert.Empty(cut.FindAll("[data-testid=password-expiry-warning]"));
        }
        await SaveAsync(new PasswordPolicy());
    }

    [Fact]
    public async Task Says_nothing_when_passwords_never_expire()
    {
        await SaveAsync(new PasswordPolicy());
        await using var test = new ComponentTestContext(factory, "ja-JP");
        var cut = await RenderAsync(test, 3000);
        Assert.Empty(cut.FindAll("[data-testid=password-expiry-warning]"));
    }
}
