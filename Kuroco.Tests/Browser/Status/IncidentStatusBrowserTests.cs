using Kuroco.Core.Incidents;
using Kuroco.Core.Monitoring;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Monitoring;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Status;

/// <summary>
/// Issue 14's walk-through: a Critical alert raised through the real sampling round opens an incident
/// (<c>Incidents:OpenFromAlerts</c>), an operator working in Japanese walks it through the seven steps with one progress
/// report, and the public status page in a second tab (Japanese, anonymous content, output cache on) shows each step at
/// once: every change evicts the page's cache.
/// </summary>
public sealed class IncidentStatusBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly Dictionary<IncidentStep, string> PublicStepJa = new()
    {
        [IncidentStep.Detected] = "① 障害を検知しました",
        [IncidentStep.Confirmed] = "② 障害を確認しました",
        [IncidentStep.StatusReported] = "③ 状況をお知らせしました",
        [IncidentStep.Investigating] = "④ 原因を調査しています",
        [IncidentStep.Recovered] = "⑤ 復旧しました",
        [IncidentStep.RecoveryConfirmed] = "⑥ 復旧を確認しました",
        [IncidentStep.RecoveryAnnounced] = "⑦ 解決済み（復旧をご報告しました）",
    };

    [Fact]
    public Task An_operator_walks_an_alert_incident_through_the_seven_steps_and_the_japanese_status_page_follows_each_step() =>
        browser.RunAsync(nameof(An_operator_walks_an_alert_incident_through_the_seven_steps_and_the_japanese_status_page_follows_each_step), async page =>
        {
            var unique = Guid.NewGuid().ToString("N")[..6];
            var id = await RaiseAlertAsync("Console down " + unique);
            var email = $"operator-{unique}@test.local";
            await browser.App.CreateStaffAsync(email, StaffRoles.Operator);
            await BrowserFixture.SignInToAsync(page, $"/incidents/{id}", email);
            await Expect(page.GetByTestId("step-1-done")).ToBeVisibleAsync();
            // Japanese from here on (the cookie also serves the status page in the other tab).
            await page.GotoAsync($"/culture/set?culture=ja-JP&returnUrl={Uri.EscapeDataString($"/incidents/{id}")}");
            await Expect(page.GetByText("① 障害発見").First).ToBeVisibleAsync();

            var status = await browser.Context.NewPageAsync();
            await status.GotoAsync("/status");
            await ExpectStepAsync(status, id, IncidentStep.Detected);
            await Expect(status.GetByTestId("status-component").And(status.Locator("[data-component=console]"))).ToHaveAttributeAsync("data-state", "Outage");

            // ② and ③ (the circuit must be connected before the first click does anything).
            await BrowserFixture.ClickUntilVisibleAsync(page.GetByTestId("incident-next-step"), page.GetByTestId("step-2-done"), "step ②");
            await ExpectStepAsync(status, id, IncidentStep.Confirmed);
            await AdvanceAsync(page, status, id, IncidentStep.StatusReported);
            await AdvanceAsync(page, status, id, IncidentStep.Investigating);

            // ④: the operator gives the public title customers read and the cause (recovery needs one) in the classification
            // form, then writes one progress report in the notes panel.
            var publicTitle = "管理画面がご利用いただけません " + unique;
            var report = "原因を特定し、復旧作業を進めています " + unique;
            var publicTitleField = page.GetByTestId("classify-public-title");
            await publicTitleField.FillAsync(publicTitle);
            await publicTitleField.PressAsync("Tab"); // a MudTextField binds on change
            var causeSelect = page.Locator("div.mud-select").Filter(new() { Has = page.GetByTestId("classify-cause") }).First;
            var software = page.GetByRole(AriaRole.Option, new() { Name = "ソフトウェア障害", Exact = true });
            await BrowserFixture.ClickUntilVisibleAsync(causeSelect, software, "the cause list");
            await software.ClickAsync();
            await Expect(page.GetByRole(AriaRole.Option)).ToHaveCountAsync(0);
            await page.GetByTestId("classify-save").ClickAsync();
            await Expect(page.GetByTestId("incident-public")).ToHaveTextAsync(publicTitle);
            var noteText = page.GetByTestId("note-text");
            await noteText.FillAsync(report);
            await noteText.PressAsync("Tab");
            await page.GetByTestId("note-progress").ClickAsync();
            await page.GetByTestId("note-add").ClickAsync();
            await Expect(page.GetByTestId("incident-note").Filter(new() { HasTextString = report })).ToHaveAttributeAsync("data-kind", "Progress");
            await status.ReloadAsync();
            var shown = Incident(status, id);
            await Expect(shown.Locator("h3")).ToHaveTextAsync(publicTitle);
            await Expect(shown.GetByTestId("status-note")).ToContainTextAsync(report);
            await Expect(shown.GetByTestId("status-note")).ToContainTextAsync("進捗報告");

            await AdvanceAsync(page, status, id, IncidentStep.Recovered);
            await Expect(status.Locator("[data-testid=status-component][data-component=console]")).ToHaveAttributeAsync("data-state", "Operational");
            await AdvanceAsync(page, status, id, IncidentStep.RecoveryConfirmed);
            await AdvanceAsync(page, status, id, IncidentStep.RecoveryAnnounced);
            // Closed: in the history now, with its whole timeline.
            await Expect(status.GetByTestId("status-history").Locator($"[data-incident-id='{id}']")).ToHaveCountAsync(1);
            await Expect(Incident(status, id).Locator("[data-testid=status-step][data-reached=true]")).ToHaveCountAsync(7);
            await Expect(status.Locator("html")).ToHaveAttributeAsync("lang", "ja");
            await status.CloseAsync();
        });

    /// <summary>A rule that holds at once (the app is up) with Critical severity, and one real sampling round: the alert opens the incident.</summary>
    private async Task<Guid> RaiseAlertAsync(string ruleName)
    {
        var rule = new AlertRule
        {
            Id = Guid.NewGuid(),
            Name = ruleName,
            Signal = MonitoringSignals.AppUp,
            Comparison = AlertComparison.GreaterOrEqual,
            Threshold = 1,
            DurationMinutes = 0,
            Severity = AlertSeverity.Critical,
            CreatedAtUtc = DateTime.UtcNow,
            UpdatedAtUtc = DateTime.UtcNow,
        };
        await browser.App.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            db.AlertRules.Add(rule);
            await db.SaveChangesAsync();
        });
        await browser.App.Services.GetRequiredService<MonitoringSamplerService>().RunRoundAsync(CancellationToken.None);
        var incident = await browser.App.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Set<Incident>().AsNoTracking()
            .SingleOrDefaultAsync(i => i.AlertRuleId == rule.Id));
        Assert.NotNull(incident);
        Assert.Equal(IncidentStep.Detected, incident.Step);
        // The rule has done its job: switched off so later rounds do not annotate the incident.
        await browser.App.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().AlertRules.Where(r => r.Id == rule.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Enabled, false)));
        return incident.Id;
    }

    private static ILocator Incident(IPage status, Guid id) => status.Locator($"[data-testid=status-incident][data-incident-id='{id}']");

    private static async Task AdvanceAsync(IPage page, IPage status, Guid id, IncidentStep step)
    {
        await page.GetByTestId("incident-next-step").ClickAsync();
        await Expect(page.GetByTestId($"step-{(int)step}-done")).ToBeVisibleAsync();
        await ExpectStepAsync(status, id, step);
    }

    /// <summary>Reloads the public page (a plain page: no circuit) and expects the incident at <paramref name="step"/>, named in Japanese.</summary>
    private static async Task ExpectStepAsync(IPage status, Guid id, IncidentStep step)
    {
        await status.ReloadAsync();
        var incident = Incident(status, id);
        await Expect(incident).ToHaveAttributeAsync("data-step", step.ToString());
        await Expect(incident.GetByTestId("status-incident-step")).ToHaveTextAsync(PublicStepJa[step]);
    }
}
