using Kuroco.Core.Members;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Members;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Members;

/// <summary>Support staff find a member by a half-width kana search, open the member, suspend and reactivate them.</summary>
public sealed class MemberConsoleBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string SupportEmail = "sue.support@test.local";

    [Fact]
    public Task Support_staff_search_a_member_open_it_suspend_and_reactivate() =>
        browser.RunAsync(nameof(Support_staff_search_a_member_open_it_suspend_and_reactivate), async page =>
        {
            await browser.App.CreateStaffAsync(SupportEmail, StaffRoles.SupportStaff);
            var member = await browser.App.AddMemberAsync("佐々木 美咲", "ささき みさき", email: "misaki.sasaki@example.jp");
            await browser.App.AddMemberAsync("Someone Else", "さとう", email: "someone.else@example.jp");
            await BrowserFixture.SignInAsync(page, SupportEmail);

            await page.GotoAsync("/members");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Members");
            // Half-width katakana finds the hiragana reading; the debounced search needs the circuit.
            var search = page.GetByTestId("members-search");
            var link = page.GetByTestId($"member-link-{member.Id}");
            await BrowserFixture.UntilAsync(async () => await link.IsVisibleAsync() && await page.GetByTestId("members-total").InnerTextAsync() == "Matching members: 1",
                () => search.FillAsync("ｻｻｷ ﾐｻｷ"), "the search result");
            await link.ClickAsync();

            await Expect(page.GetByTestId("member-title")).ToHaveTextAsync("佐々木 美咲");
            await Expect(page.GetByTestId("member-status")).ToHaveTextAsync("Active");
            // Support staff manage members but do not delete them.
            await Expect(page.GetByTestId("action-delete")).ToHaveCountAsync(0);

            var confirm = page.GetByTestId("confirm-dialog");
            await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("action-suspend"), confirm, "the suspend confirmation");
            await page.GetByTestId("confirm-ok").ClickAsync();
            await Expect(page.GetByTestId("member-status")).ToHaveTextAsync("Suspended");
            Assert.Equal(MemberStatus.Suspended, await StatusAsync(member.Id));
            await Expect(page.GetByTestId("member-history")).ToContainTextAsync("Member suspended");

            await page.GetByTestId("action-reactivate").ClickAsync();
            await Expect(confirm).ToBeVisibleAsync();
            await page.GetByTestId("confirm-ok").ClickAsync();
            await Expect(page.GetByTestId("member-status")).ToHaveTextAsync("Active");
            Assert.Equal(MemberStatus.Active, await StatusAsync(member.Id));
            await Expect(page.GetByTestId("member-history")).ToContainTextAsync("Member reactivated");
            await Expect(page.GetByTestId("member-history")).ToContainTextAsync(SupportEmail);
        });

    private Task<MemberStatus> StatusAsync(Guid memberId) => browser.App.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().Members.Where(m => m.Id == memberId).Select(m => m.Status).SingleAsync());
}
