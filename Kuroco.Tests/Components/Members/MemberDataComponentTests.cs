using Bunit;
using Kuroco.Admin.Components.Pages.Members.Components;
using Kuroco.Admin.Members;
using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Members;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Members;

/// <summary>The personal-data actions and the export menu against the real services: who sees what, and an erasure confirmed by the typed email.</summary>
public sealed class MemberDataComponentTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Support_staff_may_download_a_members_data_but_not_erase_it()
    {
        var member = await factory.AddMemberAsync("鈴木 花子");
        await using var test = new ComponentTestContext(factory, "en");
        test.SignIn("support-id", "support@test.local", StaffRoles.SupportStaff);

        var actions = test.Context.Render<MemberDataActions>(p => p.Add(x => x.MemberId, member.Id).Add(x => x.Email, member.Email));

        Assert.Equal(MemberDataApi.PersonalDataPath(member.Id), actions.Find("[data-testid=member-personal-data-download]").GetAttribute("href"));
        Assert.Empty(actions.FindAll("[data-testid=member-erase]"));
    }

    [Fact]
    public async Task Content_editors_see_no_personal_data_actions()
    {
        var member = await factory.AddMemberAsync("田中 一郎");
        await using var test = new ComponentTestContext(factory, "en");
        test.SignIn("editor-id", "editor@test.local", StaffRoles.ContentEditor);

        var actions = test.Context.Render<MemberDataActions>(p => p.Add(x => x.MemberId, member.Id).Add(x => x.Email, member.Email));

        Assert.Empty(actions.FindAll("[data-testid=member-data-actions]"));
    }

    [Fact]
    public async Task An_administrator_erases_a_member_only_after_typing_its_email()
    {
        var member = await factory.AddMemberAsync("山本 さくら", email: $"sakura-{Guid.NewGuid():N}@example.jp");
        await using var test = new ComponentTestContext(factory, "ja");
        test.SignIn("admin-id", "admin@test.local", StaffRoles.Administrator);
        var dialogs = test.Context.Render<MudDialogProvider>();
        test.Context.Render<MudSnackbarProvider>();
        var erased = false;
        var actions = test.Context.Render<MemberDataActions>(p => p
            .Add(x => x.MemberId, member.Id).Add(x => x.Email, member.Email).Add(x => x.OnErased, () => erased = true));

        Assert.Equal("個人データを削除", actions.Find("[data-testid=member-erase]").TextContent.Trim());
        actions.Find("[data-testid=member-erase]").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=erase-confirm]"), Wait);
        Assert.True(dialogs.Find("[data-testid=erase-confirm]").HasAttribute("disabled"));
        dialogs.Find("[data-testid=erase-confirm-email]").Input("someone-else@example.jp");
        Assert.True(dialogs.Find("[data-testid=erase-confirm]").HasAttribute("disabled"));

        dialogs.Find("[data-testid=erase-confirm-email]").Input(member.Email.ToUpperInvariant());
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("[data-testid=erase-confirm]").HasAttribute("disabled")), Wait);
        dialogs.Find("[data-testid=erase-confirm]").Click();

        actions.WaitForAssertion(() => Assert.True(erased), Wait);
        var stored = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Members.AsNoTracking().SingleAsync(m => m.Id == member.Id));
        Assert.Equal(MemberStatus.Erased, stored.Status);
        Assert.Equal("", stored.DisplayName);
    }

    [Fact]
    public async Task The_export_menu_renders_and_its_links_carry_the_lists_filter()
    {
        var group = Guid.NewGuid();
        await using var test = new ComponentTestContext(factory, "ja");
        test.SignIn("support-id", "support@test.local", StaffRoles.SupportStaff);
        var filter = new MemberListFilter(Search: "山田 花子", GroupId: group, Status: MemberListStatus.Suspended);

        var menu = test.Context.Render<MemberExportMenu>(p => p.Add(x => x.Filter, filter));

        Assert.Contains("エクスポート", menu.Find("[data-testid=member-export-menu]").TextContent, StringComparison.Ordinal);
        var sjis = MemberExportLinks.Csv(filter, CsvEncoding.ShiftJis);
        Assert.StartsWith(MemberDataApi.ExportCsvPath + "?q=" + Uri.EscapeDataString("山田 花子"), sjis, StringComparison.Ordinal);
        Assert.Contains("group=" + group.ToString("D"), sjis, StringComparison.Ordinal);
        Assert.Contains("status=Suspended", sjis, StringComparison.Ordinal);
        Assert.EndsWith("encoding=shift_jis", sjis, StringComparison.Ordinal);
        // What the endpoint reads back is the same filter.
        var parsed = new MemberExportQuery("山田 花子", group, "Suspended", null, null, null, null, "shift_jis").ToFilter();
        Assert.True(parsed.Succeeded);
        Assert.Equal(filter, parsed.Value);
    }
}
