using System.Net;
using System.Text.Json;
using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Kuroco.Tests.Integration.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Content;

/// <summary>The delivery API through the real pipeline: a website's key reads published items only.</summary>
public sealed class ContentDeliveryApiTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    private static string Api() => "d" + Guid.NewGuid().ToString("N")[..10];

    private async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private async Task<ContentItem> PublishedAsync(ContentType type, string slug, string title, string? body = null)
    {
        var item = await factory.CreateItemAsync(type, slug, title, body);
        var published = await factory.WithPublishingAsync(p => p.PublishAsync(new(item.Id)));
        Assert.True(published.Succeeded, string.Join(" ", published.Errors));
        return published.Value!;
    }

    [Fact]
    public async Task A_list_holds_published_items_only_with_typed_fields_and_paging()
    {
        var type = await factory.CreateTypeAsync(Api());
        var first = await PublishedAsync(type, "first", "First", "<p>One</p>");
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await PublishedAsync(type, "second", "Second");
        await factory.CreateItemAsync(type, "draft-only", "Never published");
        var withDraft = await PublishedAsync(type, "changed", "Live title");
        await factory.WithContentAsync((_, items) =>
        {
            var input = new ContentItemInput { Id = withDraft.Id, TypeId = type.Id, Slug = "changed", ConcurrencyToken = withDraft.ConcurrencyToken };
            input.Ja["title"] = "Unpublished draft title";
            return items.SaveDraftAsync(input);
        });
        var (_, secret) = await factory.CreateKeyAsync("Website", ApiAccess.Read, [type.ApiId]);
        using var client = factory.CreateClient();

        var page = await JsonAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}?pageSize=2", secret)));

        Assert.Equal(3, page.GetProperty("totalCount").GetInt32());
        Assert.Equal(2, page.GetProperty("totalPages").GetInt32());
        var slugs = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("slug").GetString()).ToList();
        Assert.Equal(2, slugs.Count);
        var all = await JsonAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}?page=1&pageSize=100", secret)));
        var text = all.ToString();
        Assert.DoesNotContain("draft-only", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unpublished draft title", text, StringComparison.Ordinal);
        Assert.Contains("Live title", text, StringComparison.Ordinal);

        var one = await JsonAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}/first", secret)));
        Assert.Equal(first.Id, one.GetProperty("id").GetGuid());
        Assert.Equal("First", one.GetProperty("fields").GetProperty("title").GetString());
        Assert.Equal("<p>One</p>", one.GetProperty("fields").GetProperty("body").GetString());
        var byId = await JsonAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}/{first.Id}", secret)));
        Assert.Equal("first", byId.GetProperty("slug").GetString());
    }

    [Fact]
    public async Task Japanese_is_written_as_itself_while_markup_characters_in_text_stay_escaped()
    {
        var type = await factory.CreateTypeAsync(Api());
        await PublishedAsync(type, "notice", "お知らせ <b>重要</b> & more");
        var (_, secret) = await factory.CreateKeyAsync("Website", ApiAccess.Read, [type.ApiId]);
        using var client = factory.CreateClient();

        var raw = await (await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}/notice", secret))).Content.ReadAsStringAsync();

        Assert.Contains("お知らせ", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u304A", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", raw, StringComparison.Ordinal);
        Assert.Contains("\\u003Cb\\u003E", raw, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("お知らせ <b>重要</b> & more", JsonDocument.Parse(raw).RootElement.GetProperty("fields").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Every_answer_has_an_etag_and_a_matching_if_none_match_gets_304_until_the_content_changes()
    {
        var type = await factory.CreateTypeAsync(Api());
        var item = await PublishedAsync(type, "tagged", "Tagged");
        var (_, secret) = await factory.CreateKeyAsync("Website", ApiAccess.Read, [type.ApiId]);
        using var client = factory.CreateClient();
        var path = $"/api/v1/content/{type.ApiId}";

        var first = await client.SendAsync(ApiTestKeys.Get(path, secret));
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        var again = ApiTestKeys.Get(path, secret);
        again.Headers.IfNoneMatch.Add(etag);
        var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        Assert.True((await factory.WithPublishingAsync(p => p.UnpublishAsync(new(item.Id)))).Succeeded);
        var changed = ApiTestKeys.Get(path, secret);
        changed.Headers.IfNoneMatch.Add(etag);
        var fresh = await client.SendAsync(changed);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.NotEqual(etag, fresh.Headers.ETag);
        Assert.Equal(0, (await JsonAsync(fresh)).GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=101", "pageSize")]
    [InlineData("?page=0", "page")]
    [InlineData("?page=1%27%20OR%201=1--", "page")]
    [InlineData("?lang=fr", "lang")]
    public async Task A_bad_parameter_gets_400_naming_it(string query, string parameter)
    {
        var type = await factory.CreateTypeAsync(Api());
        var (_, secret) = await factory.CreateKeyAsync("Website", ApiAccess.Read, [type.ApiId]);
        using var client = factory.CreateClient();

        var response = await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}{query}", secret));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(parameter, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_and_types_decide_401_403_and_404()
    {
        var type = await factory.CreateTypeAsync(Api());
        var other = await factory.CreateTypeAsync(Api());
        await PublishedAsync(type, "secret-plan", "Secret plan");
        var (_, narrow) = await factory.CreateKeyAsync("Only the other type", ApiAccess.Read, [other.ApiId]);
        var (_, wide) = await factory.CreateKeyAsync("Every type");
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}", "kk_wrong"))).StatusCode);
        var forbidden = await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}/secret-plan", narrow));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.DoesNotContain("Secret plan", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(ApiTestKeys.Get("/api/v1/content/no-such-type", wide))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}/no-such-item", wide))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}/secret-plan", wide))).StatusCode);
    }

    [Fact]
    public async Task Answers_come_from_the_server_cache_per_key_until_an_item_of_the_type_is_published()
    {
        var type = await factory.CreateTypeAsync(Api());
        var item = await PublishedAsync(type, "cached", "Cached");
        var (_, website) = await factory.CreateKeyAsync("Website", ApiAccess.Read, [type.ApiId]);
        var (_, other) = await factory.CreateKeyAsync("Other site", ApiAccess.Read, [type.ApiId]);
        var (_, narrow) = await factory.CreateKeyAsync("No access", ApiAccess.Read, ["not-this-type"]);
        using var client = factory.CreateClient();
        var path = $"/api/v1/content/{type.ApiId}";
        Assert.Contains("\"cached\"", (await JsonAsync(await client.SendAsync(ApiTestKeys.Get(path, website)))).ToString(), StringComparison.Ordinal);

        // A change that bypasses the content services (and so evicts nothing) is not seen by the cached answer...
        await factory.WithScopeAsync(sp => sp.GetRequiredService<Kuroco.Infrastructure.Data.KurocoDbContext>().ContentItems
            .Where(i => i.Id == item.Id).ExecuteUpdateAsync(u => u.SetProperty(i => i.Slug, "renamed-behind")));
        Assert.Contains("\"cached\"", (await JsonAsync(await client.SendAsync(ApiTestKeys.Get(path, website)))).ToString(), StringComparison.Ordinal);
        // ...while another key has its own entry, and a key without the type is still refused.
        Assert.Contains("renamed-behind", (await JsonAsync(await client.SendAsync(ApiTestKeys.Get(path, other)))).ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(ApiTestKeys.Get(path, narrow))).StatusCode);

        // Publishing an item of the type evicts every cached answer of the type at once.
        await PublishedAsync(type, "second", "Second");
        var fresh = await JsonAsync(await client.SendAsync(ApiTestKeys.Get(path, website)));
        Assert.Equal(2, fresh.GetProperty("totalCount").GetInt32());
        Assert.Contains("renamed-behind", fresh.ToString(), StringComparison.Ordinal);
    }
}
