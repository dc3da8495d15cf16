using Bunit;
using Kuroco.Core.Audit;
using Kuroco.Core.Members;
using Kuroco.Core.Security;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Security;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PolicyPage = Kuroco.Admin.Components.Pages.Security.PasswordPolicy;

namespace Kuroco.Tests.Integration.Security;

/// <summary>
/// Saving the Members tab of the Password policy screen, through the real app's services and SQLite file: row 2 of
/// PasswordPolicies changes, row 1 (staff) does not, and one members.password-policy-changed entry records before and after.
/// </summary>
public sealed class MemberPasswordPolicyTabSaveTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private sealed record Row(int Id, int MinLength, int MaxFailedAttempts, int HistoryCount, DateTime UpdatedAtUtc);

    /// <summary>The stored rows as they are in the table, read past the stores and their caches.</summary>
    private Task<Dictionary<int, Row>> RowsAsync() => factory.WithScopeAsync(async sp =>
        await sp.GetRequiredService<KurocoDbContext>().PasswordPolicies.AsNoTracking()
            .Select(p => new Row(
                EF.Property<int>(p, PasswordPolicyConfiguration.IdProperty), p.MinLength, p.MaxFailedAttempts, p.HistoryCount,
                EF.Property<DateTime>(p, PasswordPolicyConfiguration.UpdatedAtProperty)))
            .ToDictionaryAsync(r => r.Id));

    [Fact]
    public async Task Saving_the_members_tab_changes_row_2_only_and_audits_before_and_after()
    {
        // Both rows exist (the stores write them on first save), so "row 1 untouched" means something.
        Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IPasswordPolicyStore>().SaveAsync(new PasswordPolicy { HistoryCount = 6 }))).Succeeded);
        Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IMemberPasswordPolicyStore>().SaveAsync(new PasswordPolicy { HistoryCount = 4 }))).Succeeded);
        var before = await RowsAsync();
        Assert.Equal(5, before[PasswordPolicyConfiguration.MemberPolicyId].MaxFailedAttempts);
        var auditBefore = (await factory.AuditEntriesAsync()).Count;

        await using (var test = new ComponentTestContext(factory))
        {
            test.SignIn("admin-id", KurocoAppFactory.AdminEmail, StaffRoles.Administrator);
            var dialogs = test.Context.Render<MudDialogProvider>();
            var snackbars = test.Context.Render<MudSnackbarProvider>();
            test.Context.Services.GetRequiredService<NavigationManager>().NavigateTo("/security/password-policy?tab=members");
            var cut = test.Context.Render<PolicyPage>();
            cut.WaitForAssertion(() => Assert.Equal("4", cut.Find("[data-testid=policy-history]").GetAttribute("value")), Wait);

            cut.Find("[data-testid=policy-max-failed]").Input("9");
            cut.Find("[data-testid=policy-min-length]").Input("14");
            cut.Find("[data-testid=save-policy]").Click();
            dialogs.WaitForAssertion(() => Assert.Equal(2, dialogs.FindAll("[data-testid=policy-change]").Count), Wait);
            dialogs.Find("[data-testid=policy-changes-confirm]").Click();

            cut.WaitForAssertion(() => Assert.Contains("The member password policy was saved.", snackbars.Markup, StringComparison.Ordinal), Wait);
        }

        var after = await Eventually.GetAsync(RowsAsync, rows => rows[PasswordPolicyConfiguration.MemberPolicyId].MaxFailedAttempts == 9, "the saved member row");
        var member = after[PasswordPolicyConfiguration.MemberPolicyId];
        Assert.Equal((14, 9, 4), (member.MinLength, member.MaxFailedAttempts, member.HistoryCount));
        Assert.True(member.UpdatedAtUtc >= before[PasswordPolicyConfiguration.MemberPolicyId].UpdatedAtUtc);
        Assert.Equal(before[PasswordPolicyConfiguration.SingletonId], after[PasswordPolicyConfiguration.SingletonId]);
        Assert.Equal(2, after.Count);

        var written = (await factory.AuditEntriesAsync()).Skip(auditBefore).ToList();
        var entry = Assert.Single(written, e => e.Action == AuditActions.MemberPasswordPolicyChanged);
        Assert.DoesNotContain(written, e => e.Action == AuditActions.PasswordPolicyChanged);
        Assert.Equal("MemberPasswordPolicy", entry.EntityType);
        Assert.Equal("2", entry.EntityId);
        var changes = AuditChanges.Deserialize(entry.Changes);
        Assert.Contains(changes, c => c is { Field: nameof(PasswordPolicy.MaxFailedAttempts), Before: "5", After: "9" });
        Assert.Contains(changes, c => c is { Field: nameof(PasswordPolicy.MinLength), Before: "12", After: "14" });
        Assert.Equal(2, changes.Count);
    }
}
