using Bunit;
using Kuroco.Admin.Components.Pages.Content;
using Kuroco.Core.Audit;
using Kuroco.Core.Content;
using Kuroco.Core.Staff;
using Kuroco.Tests.Integration.Content;
using Kuroco.Tests.Support;
using MudBlazor;

namespace Kuroco.Tests.Components.Content;

/// <summary>The Delivery section of the type editor (public flag and CDN cache lifetimes) against the real app.</summary>
public sealed class ContentTypeDeliveryTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private ComponentTestContext Open(string culture = "en")
    {
        var test = new ComponentTestContext(factory, culture);
        test.SignIn("editor-id", "editor@test.local", StaffRoles.ContentEditor);
        test.Context.Render<MudDialogProvider>();
        test.Context.Render<MudSnackbarProvider>();
        return test;
    }

    [Fact]
    public async Task An_out_of_range_lifetime_is_shown_and_not_saved_and_valid_settings_are_saved_and_audited()
    {
        var type = await factory.CreateTypeAsync("v" + Guid.NewGuid().ToString("N")[..10]);
        await using var test = Open();
        var editor = test.Context.Render<ContentTypeEditor>(p => p.Add(e => e.Id, type.Id));
        editor.WaitForAssertion(() => editor.Find("[data-testid=type-cache-max-age]"), Wait);
        Assert.Contains("Cache-Control: private, max-age=0", editor.Find("[data-testid=type-cache-preview]").TextContent, StringComparison.Ordinal);

        editor.Find("[data-testid=type-cache-max-age]").Input("40000000");
        editor.WaitForAssertion(() => Assert.Contains("max-age must be a whole number of seconds from 0 to 31536000",
            editor.Find("[data-testid=type-delivery]").TextContent, StringComparison.Ordinal), Wait);
        editor.Find("[data-testid=save-type]").Click();
        editor.WaitForAssertion(() => Assert.Contains("max-age must be", editor.Find("[data-testid=type-errors]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(0, (await factory.WithContentAsync((types, _) => types.FindAsync(type.Id)))!.CacheMaxAgeSeconds);

        editor.Find("[data-testid=type-cache-max-age]").Input("300");
        editor.Find("[data-testid=type-cache-swr]").Input("60");
        editor.Find("[data-testid=type-cache-sie]").Input("86400");
        editor.Find("input[data-testid=type-public], [data-testid=type-public] input").Change(true);
        editor.WaitForAssertion(() => Assert.Equal("Cache-Control: public, max-age=300, stale-while-revalidate=60, stale-if-error=86400",
            editor.Find("[data-testid=type-cache-preview]").TextContent.Trim()), Wait);
        editor.Find("[data-testid=save-type]").Click();

        ContentType? stored = null;
        for (var i = 0; i < 100 && stored?.CacheMaxAgeSeconds != 300; i++)
        {
            await Task.Delay(50);
            stored = await factory.WithContentAsync((types, _) => types.FindAsync(type.Id));
        }
        Assert.True(stored!.IsPublic);
        Assert.Equal((300, 60, 86_400), (stored.CacheMaxAgeSeconds, stored.CacheStaleWhileRevalidateSeconds, stored.CacheStaleIfErrorSeconds));
        var audit = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.ContentTypeUpdated && e.EntityId == type.Id.ToString());
        Assert.Contains("key required; max-age 0s", audit.Changes, StringComparison.Ordinal);
        Assert.Contains("public; max-age 300s, stale-while-revalidate 60s, stale-if-error 86400s", audit.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_delivery_section_speaks_japanese()
    {
        var type = await factory.CreateTypeAsync("w" + Guid.NewGuid().ToString("N")[..10]);
        await using var test = Open("ja");
        var editor = test.Context.Render<ContentTypeEditor>(p => p.Add(e => e.Id, type.Id));
        editor.WaitForAssertion(() => Assert.Contains("公開：API キーなしで読み取り可能", editor.Find("[data-testid=type-delivery]").TextContent, StringComparison.Ordinal), Wait);
        editor.Find("[data-testid=type-cache-swr]").Input("-1");
        editor.WaitForAssertion(() => Assert.Contains("stale-while-revalidate は 0 から", editor.Find("[data-testid=type-delivery]").TextContent, StringComparison.Ordinal), Wait);
    }
}
