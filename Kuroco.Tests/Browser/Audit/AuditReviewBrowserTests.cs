using System.Globalization;
using System.Text.RegularExpressions;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Audit;

/// <summary>
/// A security officer, in Japanese, filters last week's failed sign-ins on the audit log and opens one, then prepares a
/// monthly review, acknowledges one finding, escalates another, each with a comment, and signs the review off: the review
/// turns read-only and shows the hash of its sign-off entry, which is in the chain.
/// </summary>
public sealed partial class AuditReviewBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Month = "2025-06";

    [Fact]
    public Task An_officer_filters_failed_sign_ins_then_decides_findings_and_signs_a_review_off_in_japanese() =>
        browser.RunAsync(nameof(An_officer_filters_failed_sign_ins_then_decides_findings_and_signs_a_review_off_in_japanese), async page =>
        {
            const string officer = "officer-review@test.local";
            await browser.App.CreateStaffAsync(officer, StaffRoles.SecurityOfficer);
            // Last week: failed sign-ins of an intruder, written as the sign-in page writes them.
            await browser.App.WithScopeAsync(async sp =>
            {
                var log = sp.GetRequiredService<IAuditLog>();
                for (var i = 0; i < 3; i++)
                {
                    await log.WriteAsync(new AuditRecord(AuditActions.SignInFailed, "StaffUser", null,
                        "Failed sign-in for intruder@test.local (wrong password).", AuditOutcome.Failure)
                    {
                        Actor = new AuditActor(null, "intruder@test.local", []),
                        Origin = new AuditOrigin("203.0.113.66", "browser-test", null),
                    });
                }
            });
            // June 2025: a burst of failed sign-ins from one address and a role change, appended to the chain with their own times.
            var june = new DateTime(2025, 6, 10, 1, 0, 0, DateTimeKind.Utc);
            await AppendAsync(
                [.. Enumerable.Range(0, 5).Select(i => Entry(AuditActions.SignInFailed, june.AddMinutes(i), $"guess{i}@test.local", "198.51.100.7", AuditOutcome.Failure)),
                 Entry(AuditActions.StaffRolesChanged, june.AddHours(2), "system", null, AuditOutcome.Success)]);

            await BrowserFixture.SignInAsync(page, officer);
            await page.GotoAsync("/culture/set?culture=ja-JP&returnUrl=" + Uri.EscapeDataString("/audit?preset=last7"));

            // The audit log, last week: choose the action "failed sign-in" (サインイン失敗).
            await Expect(page.Locator("h1")).ToHaveTextAsync("監査ログ");
            var failedSignIn = page.GetByTestId("audit-action-" + AuditActions.SignInFailed);
            await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("audit-action-toggle"), failedSignIn, "the grouped action list");
            await Expect(page.Locator("label", new() { Has = failedSignIn })).ToContainTextAsync("サインイン失敗");
            await failedSignIn.ClickAsync();
            await Expect(page).ToHaveURLAsync(FailedSignInFilter());
            var rows = page.GetByTestId("audit-summary");
            await Expect(rows.First).ToContainTextAsync("intruder@test.local");
            await Expect(rows).ToHaveCountAsync(3);
            await page.Locator("[data-testid^=audit-details-]").First.ClickAsync();
            await Expect(page.GetByTestId("audit-entry-summary")).ToContainTextAsync("intruder@test.local");
            // Escape closes the drawer once the focus is in it (it moves there after the drawer renders).
            await BrowserFixture.UntilAsync(async () => await page.GetByTestId("audit-entry-details").CountAsync() == 0, async () =>
            {
                await page.GetByTestId("audit-entry-dialog").FocusAsync();
                await page.Keyboard.PressAsync("Escape");
            }, "Escape to close the drawer");

            // The review list: prepare June 2025 now.
            await page.GotoAsync("/audit/reviews");
            await Expect(page.Locator("h1")).ToHaveTextAsync("月次監査レビュー");
            var monthSelect = page.Locator("div.mud-select").Filter(new() { HasText = "月" }).First;
            var monthOption = page.GetByRole(AriaRole.Option, new() { Name = Month, Exact = true });
            // Under load a choice can be lost while the list opens: choose again until the select holds the month.
            await BrowserFixture.UntilAsync(async () => (await monthSelect.InnerTextAsync()).Contains(Month, StringComparison.Ordinal), async () =>
            {
                await BrowserFixture.ClickUntilVisibleAsync(monthSelect, monthOption, "the month list");
                await monthOption.ClickAsync();
            }, "the month " + Month);
            await page.GetByTestId("review-prepare").ClickAsync();
            await Expect(page).ToHaveURLAsync(ReviewUrl());
            await Expect(page.Locator("h1")).ToHaveTextAsync($"{Month} の監査レビュー");

            // Two findings once the job has prepared the month (the page polls until then).
            var findings = page.GetByTestId("finding");
            await Expect(findings).ToHaveCountAsync(2, new() { Timeout = 60_000 });
            var burstFinding = page.Locator("[data-testid=finding][data-kind=FailedSignInBurstAddress]");
            var roleFinding = page.Locator("[data-testid=finding][data-kind=RoleChange]");
            await Expect(burstFinding.GetByTestId("finding-text")).ToContainTextAsync("198.51.100.7 からのサインインが短時間に 5 回失敗しました");

            await burstFinding.Locator("input[data-testid=finding-comment], [data-testid=finding-comment] input").First.FillAsync("社内の検証用アドレスからのテストでした。");
            await burstFinding.GetByTestId("finding-acknowledge").ClickAsync();
            await Expect(burstFinding).ToHaveAttributeAsync("data-decision", "Acknowledged");
            await Expect(burstFinding.GetByTestId("finding-comment-text")).ToContainTextAsync("社内の検証用アドレスからのテストでした。");

            await roleFinding.Locator("input[data-testid=finding-comment], [data-testid=finding-comment] input").First.FillAsync("依頼のないロール変更です。管理者に確認を依頼します。");
            await roleFinding.GetByTestId("finding-escalate").ClickAsync();
            await Expect(roleFinding).ToHaveAttributeAsync("data-decision", "Escalated");

            await page.GetByTestId("review-signoff").ClickAsync();
            var signed = page.GetByTestId("review-signed");
            await Expect(signed).ToBeVisibleAsync();
            await Expect(signed).ToContainTextAsync("このレビューは読み取り専用です");
            await Expect(page.GetByTestId("review-status")).ToHaveAttributeAsync("data-state", "Signed");
            // Read-only: no comment box, no decision or sign-off button remains.
            await Expect(page.GetByTestId("finding-acknowledge")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("finding-escalate")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("review-signoff")).ToHaveCountAsync(0);

            // The sign-off is an audit entry; the review shows its hash.
            var hash = await signed.GetAttributeAsync("data-hash");
            var entries = await browser.App.AuditEntriesAsync();
            var signOff = Assert.Single(entries, e => e.Action == AuditActions.AuditReviewSignedOff && e.EntityId == Month + "/v1");
            Assert.Equal(signOff.Hash, hash);
            Assert.Equal(signOff.Sequence.ToString(CultureInfo.InvariantCulture), await signed.GetAttributeAsync("data-sequence"));
            await Expect(signed).ToContainTextAsync(signOff.Hash);
            Assert.Equal("officer-review@test.local", signOff.ActorName);
            Assert.Contains(entries, e => e.Action == AuditActions.AuditReviewFindingEscalated && e.ActorName == officer);
            Assert.Contains(entries, e => e.Action == AuditActions.AuditReviewFindingAcknowledged && e.ActorName == officer);
        });

    private static AuditEntry Entry(string action, DateTime utc, string actor, string? ip, AuditOutcome outcome) => new()
    {
        OccurredAtUtc = utc,
        ActorName = actor,
        ActorRoles = "",
        Action = action,
        EntityType = "StaffUser",
        Summary = action + " " + actor,
        Outcome = outcome,
        IpAddress = ip,
    };

    /// <summary>Appends entries at the tail of the chain, correctly linked and hashed, with the times they carry.</summary>
    private Task AppendAsync(IReadOnlyList<AuditEntry> entries) => browser.App.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        var tail = await db.AuditEntries.OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash }).FirstAsync();
        var (sequence, previous) = (tail.Sequence, tail.Hash);
        foreach (var entry in entries)
        {
            entry.Sequence = ++sequence;
            entry.PreviousHash = previous;
            entry.Hash = AuditHasher.Compute(entry);
            previous = entry.Hash;
        }
        db.AuditEntries.AddRange(entries);
        await db.SaveChangesAsync();
    });

    [GeneratedRegex("action=auth.sign-in-failed")]
    private static partial Regex FailedSignInFilter();

    [GeneratedRegex("/audit/reviews/2025-06")]
    private static partial Regex ReviewUrl();
}
