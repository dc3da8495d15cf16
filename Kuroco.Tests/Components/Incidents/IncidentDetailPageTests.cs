using Bunit;
using Kuroco.Admin.Components.Pages.Incidents;
using Kuroco.Core.Incidents;
using Kuroco.Core.Monitoring;
using Kuroco.Core.Staff;
using Kuroco.Tests.Integration.Incidents;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Incidents;

/// <summary>The incident page on the real services: only the next step has a button, pressing it records who and when (in the viewer's zone), and a SecurityOfficer only reads.</summary>
public sealed class IncidentDetailPageTests(IncidentWorkflowTests.IncidentAppFactory factory) : IClassFixture<IncidentWorkflowTests.IncidentAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private async Task<Guid> OpenAsync()
    {
        var opened = await factory.WithScopeAsync(sp => sp.GetRequiredService<IIncidentService>().CreateAsync(
            new OpenIncidentRequest("api01 slow", "API slow", "", AlertSeverity.Warning, [StatusComponents.DeliveryApi])));
        Assert.True(opened.Succeeded, opened.Message);
        return opened.Value;
    }

    [Fact]
    public async Task An_operator_walks_the_next_step_only_and_sees_who_and_when_in_japanese()
    {
        var id = await OpenAsync();
        await using var test = new ComponentTestContext(factory, "ja-JP");
        test.SignIn("op-id", "operator@test.local", StaffRoles.Operator);
        test.Context.Render<MudSnackbarProvider>();
        var page = test.Context.Render<IncidentDetail>(p => p.Add(c => c.Id, id));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=incident-next-step]")), Wait);

        var next = page.Find("[data-testid=incident-next-step]");
        Assert.Equal("② 障害確認 に進む", next.TextContent.Trim());
        Assert.Contains("09:00 JST", page.Find("[data-testid=step-1-done]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=step-2-done]"));

        next.Click();

        page.WaitForAssertion(() => Assert.Contains("operator@test.local", page.Find("[data-testid=step-2-done]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal("③ 状況報告 に進む", page.Find("[data-testid=incident-next-step]").TextContent.Trim());
        Assert.Equal(IncidentStep.Confirmed, (await factory.WithScopeAsync(sp => sp.GetRequiredService<IIncidentService>().FindAsync(id)))!.Step);
        Assert.Equal("Confirmed", page.Find("[data-testid=incident-step]").GetAttribute("data-step"));
    }

    [Fact]
    public async Task Classifying_an_alert_opened_incident_in_japanese_keeps_its_public_title_in_every_language_unless_it_is_changed()
    {
        var opened = await factory.WithScopeAsync(sp => sp.GetRequiredService<IIncidentService>().CreateAsync(
            new OpenIncidentRequest("api01 down", IncidentMessages.AlertPublicTitleKey, "", AlertSeverity.Critical, [StatusComponents.DeliveryApi])));
        Assert.True(opened.Succeeded, opened.Message);
        await using var test = new ComponentTestContext(factory, "ja-JP");
        test.SignIn("op-id", "operator@test.local", StaffRoles.Operator);
        test.Context.Render<MudSnackbarProvider>();
        var page = test.Context.Render<IncidentDetail>(p => p.Add(c => c.Id, opened.Value));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=classify-save]")), Wait);
        var japanese = IncidentMessages.PublicTitleIn(System.Globalization.CultureInfo.GetCultureInfo("ja-JP"), IncidentMessages.AlertPublicTitleKey);
        Assert.Equal(japanese, page.Find("input[data-testid=classify-public-title]").GetAttribute("value"));

        // Saved as shown (another field changed): the key is kept, so English readers still read English.
        page.Find("input[data-testid=classify-title]").Change("api01 down (DB)");
        page.Find("[data-testid=classify-save]").Click();
        var saved = await Eventually.GetAsync(Stored, i => i.Title == "api01 down (DB)", "the classification saved");
        Assert.Equal(IncidentMessages.AlertPublicTitleKey, saved.PublicTitle);

        // Rewritten by the operator: their text is stored.
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=classify-save]")), Wait);
        page.Find("input[data-testid=classify-public-title]").Change("配信APIの障害");
        page.Find("[data-testid=classify-save]").Click();
        await Eventually.GetAsync(Stored, i => i.PublicTitle == "配信APIの障害", "the operator's public title saved");

        Task<Incident> Stored() => factory.WithScopeAsync(async sp => (await sp.GetRequiredService<IIncidentService>().FindAsync(opened.Value))!);
    }

    [Fact]
    public async Task A_security_officer_reads_the_incident_without_any_button()
    {
        var id = await OpenAsync();
        await using var test = new ComponentTestContext(factory, "en");
        test.SignIn("so-id", "officer@test.local", StaffRoles.SecurityOfficer);
        var page = test.Context.Render<IncidentDetail>(p => p.Add(c => c.Id, id));
        page.WaitForAssertion(() => Assert.Equal("api01 slow", page.Find("[data-testid=incident-title-heading]").TextContent), Wait);
        Assert.Empty(page.FindAll("[data-testid=incident-next-step]"));
        Assert.Empty(page.FindAll("[data-testid=note-add]"));
        Assert.Empty(page.FindAll("[data-testid=classify-save]"));
    }
}
