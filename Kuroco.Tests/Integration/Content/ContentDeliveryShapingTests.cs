using System.Net;
using System.Text.Json;
using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Kuroco.Tests.Integration.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Content;

/// <summary>fields=, expand=, per-type Cache-Control and public types through the real pipeline and database.</summary>
public sealed class ContentDeliveryShapingTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    private static string Api(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static async Task<string> BadParameterAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("parameter").GetString()!;
    }

    /// <summary>The header as sent (HttpClient's parsed form reorders the directives).</summary>
    private static string? CacheControl(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("Cache-Control", out var values) ? values.ToString() : null;

    private Task<ContentType> SaveTypeAsync(ContentType type) => factory.WithContentAsync(async (types, _) =>
    {
        var result = await types.SaveAsync(type);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        return result.Value!;
    });

    private Task<ContentType> ChangeTypeAsync(Guid id, Action<ContentType> change) => factory.WithContentAsync(async (types, _) =>
    {
        var type = await types.FindAsync(id);
        change(type!);
        var result = await types.SaveAsync(type!);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        return result.Value!;
    });

    private Task<ContentItem> ItemAsync(ContentType type, string slug, bool publish, params (string Key, string? Value)[] values) => factory.WithContentAsync(async (_, items) =>
    {
        var input = new ContentItemInput { TypeId = type.Id, Slug = slug };
        foreach (var (key, value) in values)
        {
            input.Ja[key] = value;
        }
        var saved = await items.SaveDraftAsync(input);
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
        if (!publish)
        {
            return saved.Value!;
        }
        var published = await factory.WithPublishingAsync(p => p.PublishAsync(new(saved.Value!.Id)));
        Assert.True(published.Succeeded, string.Join(" ", published.Errors));
        return published.Value!;
    });

    /// <summary>Authors (with a "mentor" reference to another author), tags of another type, and posts referring to both.</summary>
    private async Task<(ContentType Authors, ContentType Topics, ContentType Posts)> ModelAsync(bool topicsPublic = false)
    {
        var authorsId = Api("au");
        var authors = await SaveTypeAsync(new ContentType
        {
            Name = "Authors",
            ApiId = authorsId,
            Fields =
            [
                new FieldDefinition { Key = "name", LabelEn = "Name", Kind = FieldKind.ShortText, Required = true },
                new FieldDefinition { Key = "mentor", LabelEn = "Mentor", Kind = FieldKind.Reference, ReferenceTypeApiId = authorsId },
            ],
        });
        var topics = await SaveTypeAsync(new ContentType
        {
            Name = "Topics",
            ApiId = Api("to"),
            IsPublic = topicsPublic,
            Fields = [new FieldDefinition { Key = "label", LabelEn = "Label", Kind = FieldKind.ShortText, Required = true }],
        });
        var posts = await SaveTypeAsync(new ContentType
        {
            Name = "Posts",
            ApiId = Api("po"),
            Fields =
            [
                new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText, Required = true },
                new FieldDefinition { Key = "summary", LabelEn = "Summary", Kind = FieldKind.LongText },
                new FieldDefinition { Key = "author", LabelEn = "Author", Kind = FieldKind.Reference, ReferenceTypeApiId = authors.ApiId },
                new FieldDefinition { Key = "topic", LabelEn = "Topic", Kind = FieldKind.Reference, ReferenceTypeApiId = topics.ApiId },
            ],
        });
        return (authors, topics, posts);
    }

    [Fact]
    public async Task Fields_selects_the_named_fields_on_list_and_item_and_an_unknown_key_is_400()
    {
        var (_, _, posts) = await ModelAsync();
        await ItemAsync(posts, "hello", true, ("title", "Hello"), ("summary", "Short"));
        var (_, key) = await factory.CreateKeyAsync("Website", ApiAccess.Read, [posts.ApiId]);
        using var client = factory.CreateClient();

        var list = await JsonAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{posts.ApiId}?fields=title", key)));
        var item = list.GetProperty("items")[0];
        Assert.Equal(["title"], item.GetProperty("fields").EnumerateObject().Select(p => p.Name));
        foreach (var always in new[] { "id", "type", "slug", "language", "publishedAt", "updatedAt" })
        {
            Assert.True(item.TryGetProperty(always, out _), always);
        }
        var one = await JsonAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{posts.ApiId}/hello?fields=summary,%20title", key)));
        Assert.Equal(["title", "summary"], one.GetProperty("fields").EnumerateObject().Select(p => p.Name));
        Assert.Equal("Short", one.GetProperty("fields").GetProperty("summary").GetString());
        var all = await JsonAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{posts.ApiId}/hello", key)));
        Assert.Equal(4, all.GetProperty("fields").EnumerateObject().Count());

        Assert.Equal("fields", await BadParameterAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{posts.ApiId}?fields=title,nope", key))));
        Assert.Equal("fields", await BadParameterAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{posts.ApiId}/hello?fields=,", key))));
        // An empty value means "not given", like lang=.
        Assert.Equal(4, (await JsonAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{posts.ApiId}/hello?fields=", key)))).GetProperty("fields").EnumerateObject().Count());
        Assert.Equal("fields", await BadParameterAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{posts.ApiId}?fields=title&fields=summary", key))));
        Assert.Equal("fields", await BadParameterAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{posts.ApiId}?fields=title%27%20OR%201=1--", key))));
    }

    [Fact]
    public async Task Expand_replaces_readable_published_references_one_level_deep_and_keeps_the_rest_as_ids()
    {
        var (authors, topics, posts) = await ModelAsync();
        var mentor = await ItemAsync(authors, "mentor", true, ("name", "Mentor"));
        var author = await ItemAsync(authors, "ann", true, ("name", "Ann"), ("mentor", mentor.Id.ToString()));
        var ghost = await ItemAsync(authors, "ghost", false, ("name", "Draft ghost writer"));
        var topic = await ItemAsync(topics, "secret-topic", true, ("label", "Out of scope topic"));
        await ItemAsync(posts, "p1", true, ("title", "One"), ("author", author.Id.ToString()), ("topic", topic.Id.ToString()));
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await ItemAsync(posts, "p2", true, ("title", "Two"), ("author", ghost.Id.ToString()));
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await ItemAsync(posts, "p3", true, ("title", "Three"), ("author", author.Id.ToString()));
        var (_, key) = await factory.CreateKeyAsync("Website", ApiAccess.Read, [posts.ApiId, authors.ApiId]);
        using var client = factory.CreateClient();

        var page = await JsonAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{posts.ApiId}?expand=*", key)));
        var bySlug = page.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("slug").GetString()!, i => i.GetProperty("fields"));
        var expanded = bySlug["p1"].GetProperty("author");
        Assert.Equal(JsonValueKind.Object, expanded.ValueKind);
        Assert.Equal(author.Id, expanded.GetProperty("id").GetGuid());
        Assert.Equal(authors.ApiId, expanded.GetProperty("type").GetString());
        Assert.Equal("ja", expanded.GetProperty("language").GetString());
        Assert.Equal("Ann", expanded.GetProperty("fields").GetProperty("name").GetString());
        // One level: the author's own reference stays an id.
        Assert.Equal(mentor.Id, expanded.GetProperty("fields").GetProperty("mentor").GetGuid());
        Assert.Equal(author.Id, bySlug["p3"].GetProperty("author").GetProperty("id").GetGuid());
        // Unpublished: stays the id, nothing of the draft leaks.
        Assert.Equal(ghost.Id, bySlug["p2"].GetProperty("author").GetGuid());
        Assert.DoesNotContain("Draft ghost writer", page.ToString(), StringComparison.Ordinal);
        // A type the key may not read (and not public): stays the id.
        Assert.Equal(topic.Id, bySlug["p1"].GetProperty("topic").GetGuid());
        Assert.DoesNotContain("Out of scope topic", page.ToString(), StringComparison.Ordinal);

        var one = await JsonAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{posts.ApiId}/p1?expand=author&fields=title,author", key)));
        Assert.Equal(["title", "author"], one.GetProperty("fields").EnumerateObject().Select(p => p.Name));
        Assert.Equal("Ann", one.GetProperty("fields").GetProperty("author").GetProperty("fields").GetProperty("name").GetString());
        var plain = await JsonAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{posts.ApiId}/p1", key)));
        Assert.Equal(author.Id, plain.GetProperty("fields").GetProperty("author").GetGuid());

        foreach (var bad in new[] { "expand=title", "expand=nope", "expand=,", "expand=author&fields=title", "expand=author,%3Cscript%3E" })
        {
            Assert.Equal("expand", await BadParameterAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{posts.ApiId}?{bad}", key))));
            Assert.Equal("expand", await BadParameterAsync(await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{posts.ApiId}/p1?{bad}", key))));
        }
    }

    [Fact]
    public async Task Expand_into_a_public_type_needs_no_scope_and_a_cached_expansion_goes_when_the_referenced_item_is_unpublished()
    {
        var (authors, topics, posts) = await ModelAsync(topicsPublic: true);
        var topic = await ItemAsync(topics, "open-topic", true, ("label", "Open topic"));
        var author = await ItemAsync(authors, "bo", true, ("name", "Bo"));
        await ItemAsync(posts, "p1", true, ("title", "One"), ("author", author.Id.ToString()), ("topic", topic.Id.ToString()));
        var (_, key) = await factory.CreateKeyAsync("Posts only", ApiAccess.Read, [posts.ApiId]);
        using var client = factory.CreateClient();
        var path = $"/api/v1/content/{posts.ApiId}?expand=author,topic";

        var first = (await JsonAsync(await client.SendAsync(ApiTestKeys.Get(path, key)))).GetProperty("items")[0].GetProperty("fields");
        Assert.Equal("Open topic", first.GetProperty("topic").GetProperty("fields").GetProperty("label").GetString());
        Assert.Equal(author.Id, first.GetProperty("author").GetGuid());

        // The answer is in the server cache; unpublishing the referenced item (another type) evicts it too.
        Assert.True((await factory.WithPublishingAsync(p => p.UnpublishAsync(new(topic.Id)))).Succeeded);
        var after = (await JsonAsync(await client.SendAsync(ApiTestKeys.Get(path, key)))).GetProperty("items")[0].GetProperty("fields");
        Assert.Equal(topic.Id, after.GetProperty("topic").GetGuid());
    }

    [Fact]
    public async Task Cache_control_follows_the_type_settings_on_200_and_304_of_both_endpoints_and_errors_are_not_stored()
    {
        var type = await SaveTypeAsync(new ContentType
        {
            Name = "Cached",
            ApiId = Api("cc"),
            CacheMaxAgeSeconds = 60,
            CacheStaleWhileRevalidateSeconds = 30,
            CacheStaleIfErrorSeconds = 86_400,
            Fields = [new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText, Required = true }],
        });
        await ItemAsync(type, "one", true, ("title", "One"));
        var (_, key) = await factory.CreateKeyAsync("Website", ApiAccess.Read, [type.ApiId]);
        using var client = factory.CreateClient();
        const string Expected = "private, max-age=60, stale-while-revalidate=30, stale-if-error=86400";

        foreach (var path in new[] { $"/api/v1/content/{type.ApiId}", $"/api/v1/content/{type.ApiId}/one" })
        {
            var ok = await client.SendAsync(ApiTestKeys.Get(path, key));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(Expected, CacheControl(ok));
            Assert.Contains("X-API-Key", ok.Headers.Vary);
            var again = ApiTestKeys.Get(path, key);
            again.Headers.IfNoneMatch.Add(ok.Headers.ETag!);
            var notModified = await client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Equal(Expected, CacheControl(notModified));
            Assert.Equal(ok.Headers.ETag, notModified.Headers.ETag);
        }
        var missing = await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}/nope", key));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.True(missing.Headers.CacheControl?.NoStore);
        var bad = await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}?fields=nope", key));
        Assert.True(bad.Headers.CacheControl?.NoStore);

        // Changing the settings takes effect at once, even for an answer that sat in the server cache.
        await ChangeTypeAsync(type.Id, t => t.CacheMaxAgeSeconds = 5);
        var changed = await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}", key));
        Assert.Equal("private, max-age=5, stale-while-revalidate=30, stale-if-error=86400", CacheControl(changed));
        var defaults = await SaveTypeAsync(new ContentType { Name = "Defaults", ApiId = Api("df"), Fields = [new FieldDefinition { Key = "t", LabelEn = "T", Kind = FieldKind.ShortText }] });
        var (_, all) = await factory.CreateKeyAsync("All");
        var plain = await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{defaults.ApiId}", all));
        Assert.Equal("private, max-age=0, stale-while-revalidate=0, stale-if-error=0", CacheControl(plain));
    }

    [Fact]
    public async Task A_public_type_is_read_without_a_key_or_with_any_valid_key_and_turning_it_private_applies_at_once()
    {
        var type = await SaveTypeAsync(new ContentType
        {
            Name = "Open",
            ApiId = Api("pu"),
            IsPublic = true,
            CacheMaxAgeSeconds = 120,
            Fields = [new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText, Required = true }],
        });
        var closed = await SaveTypeAsync(new ContentType { Name = "Closed", ApiId = Api("pr"), Fields = [new FieldDefinition { Key = "t", LabelEn = "T", Kind = FieldKind.ShortText }] });
        await ItemAsync(type, "hello", true, ("title", "Hello world"));
        var (_, other) = await factory.CreateKeyAsync("Other type only", ApiAccess.Read, [closed.ApiId]);
        using var client = factory.CreateClient();
        var list = $"/api/v1/content/{type.ApiId}";

        var anonymous = await client.SendAsync(ApiTestKeys.Get(list));
        Assert.Equal("Hello world", (await JsonAsync(anonymous)).GetProperty("items")[0].GetProperty("fields").GetProperty("title").GetString());
        Assert.Equal("public, max-age=120, stale-while-revalidate=0, stale-if-error=0", CacheControl(anonymous));
        var single = await client.SendAsync(ApiTestKeys.Get(list + "/hello"));
        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        Assert.True(single.Headers.CacheControl?.Public);
        // A key that does not list the type still reads it, privately; a refused key is refused even here (the cached anonymous answer is not served).
        var keyed = await client.SendAsync(ApiTestKeys.Get(list, other));
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        Assert.True(keyed.Headers.CacheControl?.Private);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(ApiTestKeys.Get(list, "kk_wrong"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{closed.ApiId}"))).StatusCode);

        await ChangeTypeAsync(type.Id, t => t.IsPublic = false);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(ApiTestKeys.Get(list))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(ApiTestKeys.Get(list, other))).StatusCode);
        await ChangeTypeAsync(type.Id, t => t.IsPublic = true);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(ApiTestKeys.Get(list))).StatusCode);
    }

    [Fact]
    public async Task The_public_flag_is_cached_briefly_and_read_again_after_a_type_change_or_the_lifetime()
    {
        var type = await SaveTypeAsync(new ContentType { Name = "Flag", ApiId = Api("fl"), IsPublic = true, Fields = [new FieldDefinition { Key = "t", LabelEn = "T", Kind = FieldKind.ShortText }] });
        var publicTypes = factory.Services.GetRequiredService<IPublicContentTypes>();
        Assert.True(await publicTypes.IsPublicAsync(type.ApiId));
        Assert.False(await publicTypes.IsPublicAsync("no-such-type"));

        // A change behind the services' back is seen once the 30-second lifetime has passed...
        await factory.WithScopeAsync(sp => sp.GetRequiredService<Kuroco.Infrastructure.Data.KurocoDbContext>().ContentTypes
            .Where(t => t.Id == type.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.IsPublic, false)));
        Assert.True(await publicTypes.IsPublicAsync(type.ApiId));
        factory.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.False(await publicTypes.IsPublicAsync(type.ApiId));
        // ...and a change through the type service at once.
        await ChangeTypeAsync(type.Id, t => t.IsPublic = true);
        Assert.True(await publicTypes.IsPublicAsync(type.ApiId));
    }

    [Fact]
    public async Task The_server_cache_keeps_anonymous_and_keyed_answers_apart()
    {
        var (authors, topics, posts) = await ModelAsync(topicsPublic: true);
        await ChangeTypeAsync(posts.Id, t => t.IsPublic = true);
        var author = await ItemAsync(authors, "cy", true, ("name", "Private author name"));
        await ItemAsync(posts, "p1", true, ("title", "One"), ("author", author.Id.ToString()));
        var (_, key) = await factory.CreateKeyAsync("Authors too", ApiAccess.Read, [posts.ApiId, authors.ApiId]);
        using var client = factory.CreateClient();
        var path = $"/api/v1/content/{posts.ApiId}?expand=author";

        // Keyed first: the key may read authors, so the name is expanded...
        var keyed = await client.SendAsync(ApiTestKeys.Get(path, key));
        Assert.Contains("Private author name", (await JsonAsync(keyed)).ToString(), StringComparison.Ordinal);
        Assert.True(keyed.Headers.CacheControl?.Private);
        // ...and an anonymous caller never gets that cached answer: authors are not public.
        for (var i = 0; i < 2; i++)
        {
            var anonymous = await client.SendAsync(ApiTestKeys.Get(path));
            var text = (await JsonAsync(anonymous)).ToString();
            Assert.DoesNotContain("Private author name", text, StringComparison.Ordinal);
            Assert.Contains(author.Id.ToString(), text, StringComparison.Ordinal);
            Assert.True(anonymous.Headers.CacheControl?.Public);
        }
        Assert.Contains("Private author name", (await JsonAsync(await client.SendAsync(ApiTestKeys.Get(path, key)))).ToString(), StringComparison.Ordinal);
    }
}
