using Bunit;
using Kuroco.Admin.Components.Pages.Audit;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Components.Audit;

/// <summary>
/// The detail drawer of /audit: opening an entry puts ?entry={sequence} into the address beside the filters (a link
/// to it can be shared, a reload reopens it); the close button and Escape take it out again.
/// </summary>
public sealed class AuditEntryDrawerTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Opening_an_entry_puts_it_in_the_address_beside_the_filters_and_closing_takes_it_out()
    {
        var marker = NewMarker();
        var written = await WriteAsync(new AuditRecord(AuditActions.StaffUpdated, "Staff", "staff-9", $"{marker} updated",
            Changes: [new FieldChange("DisplayName", "Old", "New")]));
        await using var test = NewContext();
        var navigation = test.Context.Services.GetRequiredService<NavigationManager>();
        var cut = RenderAt(test, $"/audit?q={marker}");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=audit-summary]")), Wait);
        Assert.Empty(cut.FindAll("[data-testid=audit-entry-details]"));

        cut.Find($"[data-testid=audit-details-{written.Sequence}]").Click();

        cut.WaitForAssertion(() => Assert.Equal(Sequence(written), cut.Find("[data-testid=audit-entry-details]").GetAttribute("data-sequence")), Wait);
        var uri = new Uri(navigation.Uri);
        Assert.Contains($"q={marker}", uri.Query, StringComparison.Ordinal);
        Assert.Contains($"entry={written.Sequence}", uri.Query, StringComparison.Ordinal);
        // The list stays under the drawer; in the drawer the changes come first and the hash rows last.
        Assert.Single(cut.FindAll("[data-testid=audit-summary]"));
        var markup = cut.Find("[data-testid=audit-entry-details]").InnerHtml;
        Assert.True(markup.IndexOf("audit-entry-changes", StringComparison.Ordinal) < markup.IndexOf("audit-entry-fields", StringComparison.Ordinal));
        Assert.EndsWith(written.Hash, cut.Find("[data-testid=audit-entry-fields] tbody tr:last-child").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(AuditHistoryUrl("staff-9"), cut.Find("[data-testid=audit-entry-history]").GetAttribute("href"));

        cut.Find("[data-testid=audit-entry-close]").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=audit-entry-details]")), Wait);
        uri = new Uri(navigation.Uri);
        Assert.DoesNotContain("entry=", uri.Query, StringComparison.Ordinal);
        Assert.Contains($"q={marker}", uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shared_link_opens_the_entry_even_when_the_filters_do_not_list_it_and_Escape_closes_it()
    {
        var written = await WriteAsync(new AuditRecord(AuditActions.StaffUpdated, "Staff", "staff-10", $"{NewMarker()} updated"));
        await using var test = NewContext();
        var navigation = test.Context.Services.GetRequiredService<NavigationManager>();
        var other = NewMarker();

        var cut = RenderAt(test, $"/audit?q={other}&entry={written.Sequence}");

        cut.WaitForAssertion(() => Assert.Equal(written.Hash, cut.Find("[data-testid=audit-entry-hash]").TextContent), Wait);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=audit-empty]")), Wait);

        cut.Find("[data-testid=audit-entry-dialog]").KeyDown(new KeyboardEventArgs { Key = "Escape" });

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=audit-entry-details]")), Wait);
        Assert.DoesNotContain("entry=", navigation.Uri, StringComparison.Ordinal);
        Assert.Contains($"q={other}", navigation.Uri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("987654321")]
    [InlineData("abc")]
    [InlineData("-1")]
    public async Task A_link_to_no_entry_says_so_in_Japanese(string entry)
    {
        await using var test = NewContext("ja-JP");

        var cut = RenderAt(test, $"/audit?entry={entry}");

        var missing = cut.WaitForElement("[data-testid=audit-entry-missing]", Wait);
        Assert.Contains("はありません", missing.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=audit-entry-details]"));
    }

    private static string AuditHistoryUrl(string staffId) => $"/audit?entity=Staff&entityId={staffId}";

    private static string Sequence(AuditEntry entry) => entry.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);

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

    private Task<AuditEntry> WriteAsync(AuditRecord record) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(record));

    private static string NewMarker() => "m" + Guid.NewGuid().ToString("N")[..10];
}
