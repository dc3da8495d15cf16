using Bunit;
using Kuroco.Core.Audit;
using Kuroco.Core.Security;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PolicyPage = Kuroco.Admin.Components.Pages.Security.PasswordPolicy;

namespace Kuroco.Tests.Components.Security;

public sealed class PasswordPolicyPageTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private Task<PasswordPolicy> StoredAsync() => factory.WithScopeAsync(sp =>
    {
        sp.GetRequiredService<Kuroco.Infrastructure.Security.PasswordPolicyCache>().Clear();
        return sp.GetRequiredService<IPasswordPolicyStore>().GetAsync();
    });

    private async Task SaveAsync(PasswordPolicy policy) =>
        Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().SaveAsync(policy))).Succeeded);

    [Fact]
    public async Task An_officer_changes_a_setting_confirms_the_diff_and_it_is_stored_and_audited()
    {
        await SaveAsync(new PasswordPolicy());
        await using var test = new ComponentTestContext(factory);
        test.SignIn("officer-id", "officer@test.local", StaffRoles.SecurityOfficer);
        var dialogs = test.Context.Render<MudDialogProvider>();
        var cut = test.Context.Render<PolicyPage>();
        cut.WaitForAssertion(() => Assert.Equal("12", cut.Find("[data-testid=policy-min-length]").GetAttribute("value")), Wait);

        cut.Find("[data-testid=policy-min-length]").Input("16");
        cut.Find("[data-testid=save-policy]").Click();

        dialogs.WaitForAssertion(() => Assert.Single(dialogs.FindAll("[data-testid=policy-change]")), Wait);
        var row = dialogs.Find("[data-testid=policy-change]");
        Assert.Equal("MinLength", row.GetAttribute("data-field"));
        Assert.Contains("Minimum length", row.TextContent);
        Assert.Contains("12", row.TextContent);
        Assert.Contains("16", row.TextContent);
        dialogs.Find("[data-testid=policy-changes-confirm]").Click();

        var stored = await Eventually.GetAsync(StoredAsync, p => p.MinLength == 16, "the saved policy");
        Assert.Equal(16, stored.MinLength);
        var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.PasswordPolicyChanged);
        Assert.Contains("\"16\"", entry.Changes);
        await SaveAsync(new PasswordPolicy());
    }

    [Fact]
    public async Task An_invalid_value_is_shown_and_nothing_is_saved()
    {
        await SaveAsync(new PasswordPolicy());
        await using var test = new ComponentTestContext(factory);
        test.SignIn("officer-id", "officer@test.local", StaffRoles.SecurityOfficer);
        test.Context.Render<MudDialogProvider>();
        var cut = test.Context.Render<PolicyPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=policy-history]"), Wait);

        // Expiry after 10 days with the default warning 14 days before it: refused by the Core validator.
        cut.Find("[data-testid=policy-expiry]").Input("10");
        cut.Find("[data-testid=save-policy]").Click();

        cut.WaitForAssertion(() => Assert.Contains("The warning must come before the password expires", cut.Find("[data-testid=policy-errors]").TextContent), Wait);
        Assert.Equal(0, (await StoredAsync()).ExpiryDays);
    }

    [Theory]
    [InlineData("policy-min-length", "4", "Enter a value from 8 to 64.")]
    [InlineData("policy-min-length", "65", "Enter a value from 8 to 64.")]
    [InlineData("policy-max-length", "2000", "Enter a value from 64 to 1024.")]
    [InlineData("policy-min-classes", "5", "Enter a value from 0 to 4.")]
    [InlineData("policy-strength", "9", "Enter a value from 0 to 4.")]
    [InlineData("policy-history", "-1", "Enter a value from 0 to 24.")]
    [InlineData("policy-expiry", "4000", "Enter a value from 0 to 3650.")]
    [InlineData("policy-expiry-warning", "91", "Enter a value from 0 to 90.")]
    [InlineData("policy-max-failed", "2", "Enter a value from 3 to 20.")]
    [InlineData("policy-lockout-minutes", "0", "Enter a value from 1 to 1440.")]
    [InlineData("policy-remember-days", "365", "Enter a value from 1 to 90.")]
    public async Task An_out_of_range_value_is_kept_as_typed_refused_next_to_its_field_and_not_saved(string field, string typed, string message)
    {
        await SaveAsync(new PasswordPolicy());
        await using var test = new ComponentTestContext(factory);
        test.SignIn("officer-id", "officer@test.local", StaffRoles.SecurityOfficer);
        var dialogs = test.Context.Render<MudDialogProvider>();
        var cut = test.Context.Render<PolicyPage>();
        cut.WaitForAssertion(() => Assert.Equal("12", cut.Find("[data-testid=policy-min-length]").GetAttribute("value")), Wait);

        cut.Find($"[data-testid={field}]").Input(typed);

        // Never clamped: the field keeps what was typed and says why it is refused, beside the field.
        cut.WaitForAssertion(() =>
        {
            var input = cut.Find($"[data-testid={field}]");
            Assert.Equal(typed, input.GetAttribute("value"));
            Assert.Equal(message, input.Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim());
        }, Wait);

        cut.Find("[data-testid=save-policy]").Click();

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find("[data-testid=policy-errors]").TextContent), Wait);
        Assert.Empty(dialogs.FindAll("[data-testid=policy-changes-dialog]"));
        Assert.Equal(typed, cut.Find($"[data-testid={field}]").GetAttribute("value"));
        var stored = await StoredAsync();
        Assert.Equal(new PasswordPolicy().Settings(), stored.Settings());
    }

    [Fact]
    public async Task A_range_error_is_shown_in_japanese()
    {
        await SaveAsync(new PasswordPolicy());
        await using var test = new ComponentTestContext(factory, "ja-JP");
        test.SignIn("officer-id", "officer@test.local", StaffRoles.SecurityOfficer);
        var cut = test.Context.Render<PolicyPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=policy-min-length]"), Wait);
        Assert.Contains("設定できる値: 8〜64", cut.Find("[data-testid=policy-min-length]").Closest(".mud-input-control")!.TextContent);

        cut.Find("[data-testid=policy-min-length]").Input("4");

        cut.WaitForAssertion(() => Assert.Equal("8から64までの値を入力してください。",
            cut.Find("[data-testid=policy-min-length]").Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim()), Wait);
    }

    [Fact]
    public async Task The_checker_lists_the_broken_rules_and_the_strength_in_japanese()
    {
        await SaveAsync(new PasswordPolicy());
        await using var test = new ComponentTestContext(factory, "ja-JP");
        test.SignIn("officer-id", "officer@test.local", StaffRoles.SecurityOfficer);
        var cut = test.Context.Render<PolicyPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=policy-sample]"), Wait);

        cut.Find("[data-testid=policy-sample]").Input("password");

        cut.WaitForAssertion(() =>
        {
            var codes = cut.FindAll("[data-testid=policy-sample-violations] [data-code]").Select(e => e.GetAttribute("data-code")).ToList();
            Assert.Contains(PasswordRules.Codes.Common, codes);
            Assert.Contains(PasswordRules.Codes.TooShort, codes);
            Assert.Contains("パスワードは12文字以上にしてください。", cut.Find("[data-testid=policy-sample-violations]").TextContent);
            Assert.Contains("強度: 0/4", cut.Find("[data-testid=policy-sample-score]").TextContent);
        }, Wait);
        Assert.Equal("パスワードポリシー", cut.Find("h1").TextContent);

        cut.Find("[data-testid=policy-sample]").Input("Orbit-Maple-93!dew");
        cut.WaitForAssertion(() => cut.Find("[data-testid=policy-sample-ok]"), Wait);
    }
}
