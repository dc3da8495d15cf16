using Bunit;
using Kuroco.Admin.Components.Pages.Audit;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Audit;

public sealed class AuditLogPageTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Lists_entries_written_through_the_audit_log_with_actor_action_entity_and_outcome()
    {
        var marker = NewMarker();
        var written = await WriteAsync(new AuditRecord(AuditActions.StaffUpdated, "Staff", "staff-42", $"{marker} display name changed")
        {
            Actor = new AuditActor("u-alice", "alice@test.local", [StaffRoles.Administrator, StaffRoles.SecurityOfficer]),
        });

        await using var test = NewContext();
        var cut = RenderAt(test, $"/audit?q={marker}");

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=audit-summary]")), Wait);
        var row = cut.Find("[data-testid=audit-summary]").ParentElement!;
        Assert.Contains($"{marker} display name changed", row.TextContent);
        Assert.Contains("alice@test.local", row.TextContent);
        Assert.Contains("Administrator, SecurityOfficer", row.TextContent);
        Assert.Contains("Staff account updated", row.TextContent);
        Assert.Contains(AuditActions.StaffUpdated, row.TextContent);
        Assert.Contains("staff-42", row.TextContent);
        Assert.Equal("Success", row.QuerySelector("[data-testid=audit-outcome]")!.GetAttribute("data-outcome"));
        // The time is shown in the user's zone (Asia/Tokyo, UTC+9), with the UTC instant in the markup.
        var time = row.QuerySelector("time")!;
        var tokyo = TimeZoneInfo.ConvertTimeFromUtc(written.OccurredAtUtc, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        Assert.Equal(tokyo.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), time.TextContent);
    }

    [Fact]
    public async Task Filters_by_action_outcome_and_text()
    {
        var marker = NewMarker();
        await WriteAsync(new AuditRecord(AuditActions.SignInFailed, "Staff", null, $"{marker}-alpha wrong password", AuditOutcome.Failure));
        await WriteAsync(new AuditRecord(AuditActions.SignInSucceeded, "Staff", null, $"{marker}-beta signed in"));
        await WriteAsync(new AuditRecord(AuditActions.AccessDenied, "Page", "/audit", $"{marker}-gamma denied", AuditOutcome.Denied));

        await using var test = NewContext();
        var navigation = test.Context.Services.GetRequiredService<NavigationManager>();
        var cut = RenderAt(test, $"/audit?q={marker}");
        cut.WaitForAssertion(() => Assert.Equal(3, Summaries(cut).Count), Wait);

        navigation.NavigateTo($"/audit?q={marker}&action={AuditActions.SignInFailed}");
        cut.WaitForAssertion(() => Assert.Equal([$"{marker}-alpha wrong password"], Summaries(cut)), Wait);

        navigation.NavigateTo($"/audit?q={marker}&outcome=Denied");
        cut.WaitForAssertion(() => Assert.Equal([$"{marker}-gamma denied"], Summaries(cut)), Wait);

        // Free text typed into the search box (case does not matter), submitted with the form.
        navigation.NavigateTo("/audit");
        cut.WaitForAssertion(() => Assert.True(Summaries(cut).Count >= 3), Wait);
        SearchBox(cut).Input($"{marker}-BETA");
        cut.Find("form[data-testid=audit-filters]").Submit();
        cut.WaitForAssertion(() => Assert.Equal([$"{marker}-beta signed in"], Summaries(cut)), Wait);
        Assert.Contains($"q={marker}-BETA", Uri.UnescapeDataString(navigation.Uri), StringComparison.Ordinal);
        // The export link carries the same filter.
        Assert.Contains($"/audit/export.csv?q={marker}-BETA", Uri.UnescapeDataString(cut.Find("[data-testid=audit-export]").GetAttribute("href")!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_total_is_counted_after_the_rows_are_shown_and_says_how_many_match()
    {
        var marker = NewMarker();
        for (var i = 0; i < 3; i++)
        {
            await WriteAsync(new AuditRecord(AuditActions.SignInSucceeded, "Staff", null, $"{marker} row {i}"));
        }

        await using var test = NewContext();
        var cut = RenderAt(test, $"/audit?q={marker}");

        cut.WaitForAssertion(() => Assert.Equal(3, Summaries(cut).Count), Wait);
        cut.WaitForAssertion(() =>
        {
            var total = cut.Find("[data-testid=audit-total]");
            Assert.Equal("false", total.GetAttribute("data-counting"));
            Assert.Equal("3 entries", total.TextContent.Trim());
        }, Wait);
        Assert.Empty(cut.FindAll("[data-testid=audit-count-exact]"));
    }

    [Fact]
    public async Task Date_range_is_read_in_the_users_zone()
    {
        var marker = NewMarker();
        var written = await WriteAsync(new AuditRecord(AuditActions.StaffEnabled, "Staff", null, $"{marker} enabled"));
        var tokyoDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(written.OccurredAtUtc, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")));

        await using var test = NewContext();
        var navigation = test.Context.Services.GetRequiredService<NavigationManager>();
        var cut = RenderAt(test, $"/audit?q={marker}&from={tokyoDay:yyyy-MM-dd}&to={tokyoDay:yyyy-MM-dd}");
        cut.WaitForAssertion(() => Assert.Single(Summaries(cut)), Wait);

        navigation.NavigateTo($"/audit?q={marker}&to={tokyoDay.AddDays(-1):yyyy-MM-dd}");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=audit-empty]")), Wait);
        Assert.Empty(Summaries(cut));

        navigation.NavigateTo($"/audit?q={marker}&from={tokyoDay.AddDays(1):yyyy-MM-dd}");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=audit-empty]")), Wait);
    }

    [Fact]
    public async Task Details_show_every_field_and_the_changes_with_secrets_masked()
    {
        var marker = NewMarker();
        var written = await WriteAsync(new AuditRecord(AuditActions.StaffUpdated, "Staff", "staff-7", $"{marker} updated", Changes:
        [
            new FieldChange("DisplayName", "Old Name", "New Name"),
            new FieldChange("PasswordHash", "AQAAAAold-secret-hash", "AQAAAAnew-secret-hash"),
            new FieldChange("Email", null, "new@test.local"),
        ]));

        await using var test = NewContext();
        var cut = RenderAt(test, $"/audit?q={marker}");
        cut.WaitForAssertion(() => Assert.Single(Summaries(cut)), Wait);

        cut.Find($"[data-testid=audit-details-{written.Sequence}]").Click();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=audit-entry-changes]")), Wait);
        var fields = cut.Find("[data-testid=audit-entry-fields]").TextContent;
        Assert.Contains(written.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), fields);
        Assert.Contains("staff-7", fields);
        Assert.Contains(AuditActions.StaffUpdated, fields);
        Assert.Contains(written.CorrelationId ?? "—", fields);
        Assert.Equal(written.Hash, cut.Find("[data-testid=audit-entry-hash]").TextContent);
        Assert.Contains(written.PreviousHash, fields);

        var rows = cut.FindAll("[data-testid=audit-entry-changes] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Contains(rows, r => r.Contains("DisplayName", StringComparison.Ordinal) && r.Contains("Old Name", StringComparison.Ordinal) && r.Contains("New Name", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("PasswordHash", StringComparison.Ordinal) && r.Contains(AuditChanges.Masked, StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("Email", StringComparison.Ordinal) && r.Contains("new@test.local", StringComparison.Ordinal));
        Assert.DoesNotContain("secret-hash", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markup_in_an_entry_is_shown_as_text_never_run()
    {
        var marker = NewMarker();
        const string payload = "<img src=x onerror=alert(1)><script>alert(2)</script>";
        var written = await WriteAsync(new AuditRecord(AuditActions.SignInFailed, "Staff", "<b>id</b>", $"{marker} {payload}", AuditOutcome.Failure)
        {
            Actor = new AuditActor(null, "<script>alert(3)</script>@evil", []),
        });

        await using var test = NewContext();
        var cut = RenderAt(test, $"/audit?q={marker}");
        cut.WaitForAssertion(() => Assert.Single(Summaries(cut)), Wait);

        Assert.Equal($"{marker} {payload}", Summaries(cut)[0]);
        Assert.Empty(cut.FindAll("[data-testid=audit-table] img"));
        Assert.Empty(cut.FindAll("[data-testid=audit-table] script"));
        Assert.Empty(cut.FindAll("[data-testid=audit-table] b"));
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(3)&lt;/script&gt;@evil", cut.Markup, StringComparison.Ordinal);

        cut.Find($"[data-testid=audit-details-{written.Sequence}]").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=audit-entry-summary]")), Wait);
        Assert.Equal($"{marker} {payload}", cut.Find("[data-testid=audit-entry-summary]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=audit-entry-fields] img, [data-testid=audit-entry-fields] script, [data-testid=audit-entry-fields] b"));
    }

    [Fact]
    public async Task Japanese_culture_shows_Japanese()
    {
        var marker = NewMarker();
        await WriteAsync(new AuditRecord(AuditActions.SignInFailed, "Staff", null, $"{marker} failed", AuditOutcome.Failure));

        await using var test = NewContext("ja-JP");
        var cut = RenderAt(test, $"/audit?q={marker}");
        cut.WaitForAssertion(() => Assert.Single(Summaries(cut)), Wait);

        Assert.Contains("監査ログ", cut.Find("h1").TextContent);
        Assert.Contains("整合性を検証", cut.Find("[data-testid=audit-verify]").TextContent);
        Assert.Contains("サインイン失敗", cut.Markup);
        Assert.Equal("失敗", cut.Find("[data-testid=audit-outcome]").TextContent.Trim());
        Assert.Contains("操作者", cut.Find("[data-testid=audit-table] thead").TextContent);
    }

    private ComponentTestContext NewContext(string culture = "en")
    {
        var test = new ComponentTestContext(factory, culture);
        test.SignIn("officer-1", "officer@test.local", StaffRoles.SecurityOfficer);
        return test;
    }

    private static IRenderedComponent<AuditLog> RenderAt(ComponentTestContext test, string uri)
    {
        test.Context.Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        return test.Context.Render<AuditLog>();
    }

    private static AngleSharp.Dom.IElement SearchBox(IRenderedComponent<AuditLog> cut)
    {
        // MudTextField puts user attributes on the input itself.
        var element = cut.Find("[data-testid=audit-text]");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }

    private static List<string> Summaries(IRenderedComponent<AuditLog> cut) =>
        [.. cut.FindAll("[data-testid=audit-summary]").Select(e => e.TextContent)];

    private Task<AuditEntry> WriteAsync(AuditRecord record) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(record));

    private static string NewMarker() => "m" + Guid.NewGuid().ToString("N")[..10];
}
