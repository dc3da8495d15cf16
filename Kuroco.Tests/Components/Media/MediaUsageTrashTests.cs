using Bunit;
using Kuroco.Admin.Components.Pages.Media;
using Kuroco.Core.Media;
using Kuroco.Core.Staff;
using Kuroco.Tests.Integration.Media;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Media;

/// <summary>A usage in the trash is marked in the user's language, in the details and in the delete confirmation.</summary>
public sealed class MediaUsageTrashTests(MediaEndpointTests.MediaAppFactory factory) : IClassFixture<MediaEndpointTests.MediaAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("en", "(in the trash)")]
    [InlineData("ja", "（ごみ箱内）")]
    public async Task A_usage_in_the_trash_is_marked_in_the_users_language(string culture, string mark)
    {
        var name = $"trashed-use-{Guid.NewGuid():N}.png";
        var item = await factory.WithScopeAsync(async sp => (await sp.GetRequiredService<IMediaLibrary>().UploadAsync(new MemoryStream(MediaSamples.Png(4, 4)), name)).Value!);
        factory.UsageProvider.Usages[item.Id] =
        [
            new MediaUsage("ContentItem", "1", "news/old: Old news", InTrash: true),
            new MediaUsage("ContentItem", "2", "news/new: New news"),
        ];
        await using var test = new ComponentTestContext(factory, culture);
        test.SignIn("editor-id", "editor@test.local", StaffRoles.ContentEditor);
        var dialogs = test.Context.Render<MudDialogProvider>();
        test.Context.Render<MudSnackbarProvider>();
        var page = test.Context.Render<MediaLibraryPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find($"[data-media-id='{item.Id}']")), Wait);
        page.Find($"[data-media-id='{item.Id}']").Click();
        dialogs.WaitForAssertion(() => Assert.Equal(2, dialogs.FindAll("[data-testid=media-usages] li").Count), Wait);
        var usages = dialogs.FindAll("[data-testid=media-usages] li");
        Assert.Contains("news/old: Old news " + mark, usages[0].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(mark, usages[1].TextContent, StringComparison.Ordinal);

        dialogs.Find("[data-testid=media-delete]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("news/old: Old news " + mark, dialogs.Find("[data-testid=confirm-message]").TextContent, StringComparison.Ordinal), Wait);
        dialogs.Find("[data-testid=confirm-cancel]").Click();
    }
}
