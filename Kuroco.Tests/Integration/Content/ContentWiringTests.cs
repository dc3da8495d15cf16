using Kuroco.Core.Content;
using Kuroco.Core.Media;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Webhooks;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Content;

/// <summary>Content joined to the features built beside it: webhooks hear about publishing, the media library about references.</summary>
public sealed class ContentWiringTests(ContentWiringTests.Factory factory) : IClassFixture<ContentWiringTests.Factory>
{
    public sealed class Factory : ContentAppFactory
    {
        public SwitchableResolver Resolver { get; } = new();

        public Factory()
        {
            var content = TestServices;
            TestServices = services =>
            {
                content?.Invoke(services);
                services.AddSingleton<IWebhookHostResolver>(Resolver);
            };
        }
    }

    private static string Api() => "w" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Publishing_unpublishing_and_deleting_an_item_queue_webhook_deliveries_for_its_type_only()
    {
        factory.Resolver.Set("hooks.example.com", "203.0.113.10");
        var type = await factory.CreateTypeAsync(Api());
        var other = await factory.CreateTypeAsync(Api());
        var subscription = await factory.WithScopeAsync(async sp =>
        {
            var result = await sp.GetRequiredService<IWebhookService>().CreateAsync(new WebhookSubscriptionRequest
            {
                Name = "Site rebuild",
                TargetUrl = "https://hooks.example.com/rebuild",
                ContentType = type.ApiId,
                Events = [.. WebhookEventTypes.All],
            });
            Assert.True(result.Succeeded, string.Join(" ", result.Errors));
            return result.Value!.Id;
        });

        var item = await factory.CreateItemAsync(type, "hello", "Hello");
        Assert.True((await factory.WithPublishingAsync(p => p.PublishAsync(new(item.Id)))).Succeeded);
        Assert.True((await factory.WithPublishingAsync(p => p.UnpublishAsync(new(item.Id)))).Succeeded);
        Assert.True((await factory.WithTrashAsync(t => t.DeleteAsync(new(item.Id)))).Succeeded);
        var elsewhere = await factory.CreateItemAsync(other, "elsewhere", "Elsewhere");
        Assert.True((await factory.WithPublishingAsync(p => p.PublishAsync(new(elsewhere.Id)))).Succeeded);

        var deliveries = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().WebhookDeliveries.AsNoTracking()
            .Where(d => d.SubscriptionId == subscription).OrderBy(d => d.CreatedAtUtc).ToListAsync());
        Assert.Equal([WebhookEventTypes.ContentPublished, WebhookEventTypes.ContentUnpublished, WebhookEventTypes.ContentDeleted],
            deliveries.Select(d => d.EventType));
        Assert.All(deliveries, d => Assert.Equal(item.Id, d.ItemId));
        Assert.All(deliveries, d => Assert.Contains("\"slug\":\"hello\"", d.Payload, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_media_item_used_by_content_is_not_deleted_without_confirmation()
    {
        var apiId = Api();
        var type = await factory.WithContentAsync(async (types, _) =>
        {
            var saved = await types.SaveAsync(new ContentType
            {
                Name = "With image",
                ApiId = apiId,
                Fields =
                [
                    new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText, Required = true },
                    new FieldDefinition { Key = "image", LabelEn = "Image", Kind = FieldKind.Media },
                ],
            });
            Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
            return saved.Value!;
        });
        var media = await factory.WithScopeAsync(async sp =>
        {
            using var png = new MemoryStream(MediaSamples.Png(4, 3));
            var uploaded = await sp.GetRequiredService<IMediaLibrary>().UploadAsync(png, "photo.png");
            Assert.True(uploaded.Succeeded, uploaded.Message);
            return uploaded.Value!;
        });
        var unused = await factory.WithScopeAsync(async sp =>
        {
            using var png = new MemoryStream(MediaSamples.Png(2, 2));
            return (await sp.GetRequiredService<IMediaLibrary>().UploadAsync(png, "other.png")).Value!;
        });
        var item = await factory.WithContentAsync(async (_, items) =>
        {
            var input = new ContentItemInput { TypeId = type.Id, Slug = "with-image" };
            input.Ja["title"] = "写真つき";
            input.Ja["image"] = media.Id.ToString();
            var saved = await items.SaveDraftAsync(input);
            Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
            return saved.Value!;
        });

        var refused = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>().DeleteAsync(media.Id, confirmedDespiteUsages: false));
        Assert.Equal(Kuroco.Core.Common.ErrorKind.Conflict, refused.Error);
        var usage = Assert.Single(Assert.IsType<MediaInUse>(refused.ErrorData).Usages);
        Assert.Equal(item.Id.ToString(), usage.EntityId);
        Assert.Contains("with-image", usage.Title, StringComparison.Ordinal);

        Assert.Empty(await factory.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>().FindUsagesAsync(unused.Id)));
        Assert.True((await factory.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>().DeleteAsync(media.Id, confirmedDespiteUsages: true))).Succeeded);
    }
}
