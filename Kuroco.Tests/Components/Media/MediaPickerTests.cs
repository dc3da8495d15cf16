using Bunit;
using Kuroco.Admin.Components.Pages.Media;
using Kuroco.Core.Media;
using Kuroco.Core.Staff;
using Kuroco.Tests.Integration.Media;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Media;

/// <summary>The reusable picker and the library page against the real app (database, files, audit) with a fake usage provider.</summary>
public sealed class MediaPickerTests(MediaEndpointTests.MediaAppFactory factory) : IClassFixture<MediaEndpointTests.MediaAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private Task<MediaItem> UploadAsync(byte[] bytes, string name) => factory.WithScopeAsync(async sp =>
    {
        var result = await sp.GetRequiredService<IMediaLibrary>().UploadAsync(new MemoryStream(bytes), name);
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    });

    private static ComponentTestContext Open(KurocoAppFactory app, string culture = "en")
    {
        var test = new ComponentTestContext(app, culture);
        test.SignIn("editor-id", "editor@test.local", StaffRoles.ContentEditor);
        return test;
    }

    [Fact]
    public async Task Choosing_an_image_in_the_dialog_sets_the_value_and_shows_it()
    {
        var name = $"pick-{Guid.NewGuid():N}.png";
        var image = await UploadAsync(MediaSamples.Png(8, 6), name);
        await using var test = Open(factory);
        var dialogs = test.Context.Render<MudDialogProvider>();
        Guid? chosen = null;
        var picker = test.Context.Render<MediaPicker>(p => p
            .Add(x => x.Label, "Main image")
            .Add(x => x.ImagesOnly, true)
            .Add(x => x.ValueChanged, EventCallback.Factory.Create<Guid?>(this, v => chosen = v)));

        Assert.Contains("Main image", picker.Markup, StringComparison.Ordinal);
        Assert.NotNull(picker.Find("[data-testid=media-picker-none]"));
        picker.Find("[data-testid=media-picker-choose]").Click();

        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find($"[data-media-id='{image.Id}']")), Wait);
        var thumb = dialogs.Find($"[data-media-id='{image.Id}'] img");
        Assert.Equal(image.ThumbnailUrl, thumb.GetAttribute("src"));
        dialogs.Find($"[data-media-id='{image.Id}']").Click();

        picker.WaitForAssertion(() => Assert.Equal(name, picker.Find("[data-testid=media-picker-name]").TextContent), Wait);
        Assert.Equal(image.Id, chosen);
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=media-picker-dialog]")), Wait);
    }

    [Fact]
    public async Task An_images_only_picker_does_not_offer_other_files_and_search_filters()
    {
        var stamp = Guid.NewGuid().ToString("N")[..8];
        var pdf = await UploadAsync(MediaSamples.Pdf(), $"doc-{stamp}.pdf");
        var image = await UploadAsync(MediaSamples.Png(2, 2), $"img-{stamp}.png");
        var other = await UploadAsync(MediaSamples.Png(2, 2), $"other-{Guid.NewGuid():N}.png");
        await using var test = Open(factory);
        var dialogs = test.Context.Render<MudDialogProvider>();
        var picker = test.Context.Render<MediaPicker>(p => p.Add(x => x.ImagesOnly, true));

        picker.Find("[data-testid=media-picker-choose]").Click();
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=media-search]")), Wait);
        dialogs.Find("[data-testid=media-search]").Input(stamp);

        dialogs.WaitForAssertion(() =>
        {
            var cards = dialogs.FindAll("[data-testid=media-card]");
            var card = Assert.Single(cards);
            Assert.Equal(image.Id.ToString(), card.GetAttribute("data-media-id"));
        }, Wait);
        Assert.DoesNotContain(pdf.Id.ToString(), dialogs.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(other.Id.ToString(), dialogs.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_given_value_is_shown_and_a_deleted_one_is_reported_missing()
    {
        var item = await UploadAsync(MediaSamples.Png(3, 3), "shown.png");
        await using var test = Open(factory, "ja");
        test.Context.Render<MudDialogProvider>();

        var picker = test.Context.Render<MediaPicker>(p => p.Add(x => x.Value, item.Id));
        picker.WaitForAssertion(() => Assert.Equal("shown.png", picker.Find("[data-testid=media-picker-name]").TextContent), Wait);
        Assert.Equal("変更", picker.Find("[data-testid=media-picker-choose]").TextContent.Trim());

        var missing = test.Context.Render<MediaPicker>(p => p.Add(x => x.Value, Guid.NewGuid()));
        missing.WaitForAssertion(() => Assert.Contains("選択したメディアは存在しません。", missing.Find("[data-testid=media-picker-missing]").TextContent, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task Deleting_from_the_library_page_lists_the_usages_in_the_confirmation()
    {
        var name = $"used-{Guid.NewGuid():N}.png";
        var item = await UploadAsync(MediaSamples.Png(4, 4), name);
        factory.UsageProvider.Usages[item.Id] = [new MediaUsage("ContentItem", "news/7", "Autumn sale")];
        await using var test = Open(factory);
        var dialogs = test.Context.Render<MudDialogProvider>();
        test.Context.Render<MudSnackbarProvider>();
        var page = test.Context.Render<MediaLibraryPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find($"[data-media-id='{item.Id}']")), Wait);
        page.Find($"[data-media-id='{item.Id}']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Autumn sale", dialogs.Find("[data-testid=media-usages]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal("4 × 4", dialogs.Find("[data-testid=media-dimensions]").TextContent);

        dialogs.Find("[data-testid=media-delete]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Autumn sale", dialogs.Find("[data-testid=confirm-message]").TextContent, StringComparison.Ordinal), Wait);
        // Cancelling changes nothing.
        dialogs.Find("[data-testid=confirm-cancel]").Click();
        Assert.NotNull(await factory.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>().FindAsync(item.Id)));

        dialogs.Find("[data-testid=media-delete]").Click();
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=confirm-ok]")), Wait);
        dialogs.Find("[data-testid=confirm-ok]").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-media-id='{item.Id}']")), Wait);
        Assert.Null(await factory.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>().FindAsync(item.Id)));
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == Kuroco.Core.Audit.AuditActions.MediaDeleted && e.EntityId == item.Id.ToString("D") && Kuroco.Tests.Support.AuditText.English(e).Contains("\"Autumn sale\"", StringComparison.Ordinal));
    }
}

/// <summary>A file name with markup is shown as text in the library grid.</summary>
public sealed class MediaGridEncodingTests(MediaEndpointTests.MediaAppFactory factory) : IClassFixture<MediaEndpointTests.MediaAppFactory>
{
    [Fact]
    public async Task Markup_in_a_file_name_is_encoded()
    {
        const string name = "<img src=x onerror=alert(1)>.png";
        var item = await factory.WithScopeAsync(async sp => (await sp.GetRequiredService<IMediaLibrary>().UploadAsync(new MemoryStream(MediaSamples.Png(2, 2)), name)).Value!);
        await using var test = new ComponentTestContext(factory);
        test.SignIn("editor-id", "editor@test.local", StaffRoles.ContentEditor);
        var grid = test.Context.Render<MediaGrid>();

        grid.WaitForAssertion(() => Assert.NotNull(grid.Find($"[data-media-id='{item.Id}']")), TimeSpan.FromSeconds(10));
        var card = grid.Find($"[data-media-id='{item.Id}']");
        Assert.Equal(name, card.QuerySelector(".media-card-name")!.TextContent);
        Assert.Empty(card.QuerySelectorAll("img[onerror]"));
        Assert.Equal(name, card.GetAttribute("title"));
        Assert.Equal(item.ThumbnailUrl, Assert.Single(card.QuerySelectorAll("img")).GetAttribute("src"));
    }
}
