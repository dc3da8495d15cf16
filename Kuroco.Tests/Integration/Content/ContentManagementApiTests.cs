using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Kuroco.Core.Api;
using Kuroco.Core.Audit;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Api;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Content;

/// <summary>The management API through the real pipeline and a real SQLite file: keys, rules, concurrency, audit, delivery.</summary>
public sealed class ContentManagementApiTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    private static string Api() => "m" + Guid.NewGuid().ToString("N")[..10];

    private static string Path(ContentType type, object? id = null, string? action = null) =>
        $"/api/v1/manage/content/{type.ApiId}" + (id is null ? "" : "/" + id) + (action is null ? "" : "/" + action);

    private static HttpRequestMessage Send(HttpMethod method, string path, string? key, object? body = null, string? ifMatch = null, string? rawBody = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (rawBody is not null)
        {
            request.Content = new StringContent(rawBody, Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }
        return request;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var json = await JsonAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return json;
    }

    private static string[] ErrorKeys(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    /// <summary>A type with every rule kind: required, unique, lengths, pattern, number range, choices, tags, date, reference, rich text.</summary>
    private Task<(ContentType Type, ContentType Target)> CreateRichTypeAsync(bool requiresApproval = false) => factory.WithContentAsync(async (types, _) =>
    {
        var target = await types.SaveAsync(new ContentType
        {
            Name = "Authors",
            ApiId = Api(),
            Fields = [new FieldDefinition { Key = "name", LabelEn = "Name", Kind = FieldKind.ShortText, Required = true }],
        });
        Assert.True(target.Succeeded, string.Join(" ", target.Errors));
        var result = await types.SaveAsync(new ContentType
        {
            Name = "Articles",
            ApiId = Api(),
            RequiresApproval = requiresApproval,
            ReviewerRole = requiresApproval ? Kuroco.Core.Staff.StaffRoles.Administrator : null,
            Fields =
            [
                new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText, Required = true, Unique = true, MinLength = 2, MaxLength = 50 },
                new FieldDefinition { Key = "code", LabelEn = "Code", Kind = FieldKind.ShortText, Pattern = "[A-Z]{3}" },
                new FieldDefinition { Key = "body", LabelEn = "Body", Kind = FieldKind.RichText },
                new FieldDefinition { Key = "price", LabelEn = "Price", Kind = FieldKind.Number, MinValue = 0, MaxValue = 1000 },
                new FieldDefinition { Key = "featured", LabelEn = "Featured", Kind = FieldKind.Boolean },
                new FieldDefinition { Key = "date", LabelEn = "Date", Kind = FieldKind.DateTime },
                new FieldDefinition { Key = "color", LabelEn = "Color", Kind = FieldKind.SingleChoice, Choices = ["red", "blue"] },
                new FieldDefinition { Key = "sizes", LabelEn = "Sizes", Kind = FieldKind.MultipleChoice, Choices = ["s", "m", "l"] },
                new FieldDefinition { Key = "tags", LabelEn = "Tags", Kind = FieldKind.Tags, MaxLength = 3 },
                new FieldDefinition { Key = "author", LabelEn = "Author", Kind = FieldKind.Reference, ReferenceTypeApiId = target.Value!.ApiId },
            ],
        });
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        return (result.Value!, target.Value!);
    });

    private async Task<(ContentType Type, ContentType Target, string Key, HttpClient Client)> SetUpAsync(bool requiresApproval = false)
    {
        var (type, target) = await CreateRichTypeAsync(requiresApproval);
        var (_, key) = await factory.CreateKeyAsync("Importer", ApiAccess.Write, [type.ApiId, target.ApiId]);
        return (type, target, key, factory.CreateClient());
    }

    private static object Body(string slug, object ja, object? en = null, bool? publish = null) =>
        publish is null ? new { slug, fields = new { ja, en } } : new { slug, fields = new { ja, en }, publish };

    private async Task<JsonElement> CreateAsync(HttpClient client, ContentType type, string key, string slug, string title, bool publish = false)
    {
        var response = await client.SendAsync(Send(HttpMethod.Post, Path(type), key, Body(slug, new { title }, publish: publish)));
        return await JsonAsync(response, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Create_with_typed_values_answers_201_with_location_and_etag_and_the_item_reads_back()
    {
        var (type, target, key, client) = await SetUpAsync();
        var author = await JsonAsync(await client.SendAsync(Send(HttpMethod.Post, Path(target), key, Body("hanako", new { name = "Hanako" }))), HttpStatusCode.Created);
        var response = await client.SendAsync(Send(HttpMethod.Post, Path(type), key, Body("first-article",
            new
            {
                title = "最初の記事",
                code = "ABC",
                body = "<p>Hello</p>",
                price = 12.5,
                featured = true,
                date = "2026-11-26T09:00:00+09:00",
                color = "blue",
                sizes = new[] { "s", "l" },
                tags = new[] { "news", "tokyo" },
                author = author.GetProperty("id").GetGuid(),
            },
            new { title = "First article" })));

        var created = await JsonAsync(response, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/manage/content/{type.ApiId}/{id}", response.Headers.Location?.OriginalString);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal(response.Headers.ETag!.Tag, created.GetProperty("eTag").GetString());
        Assert.Equal("draft", created.GetProperty("status").GetString());
        Assert.True(response.Headers.Contains("X-RateLimit-Remaining"));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.False(created.GetProperty("isPublished").GetBoolean());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("published").ValueKind);
        Assert.Equal(1, created.GetProperty("versionCount").GetInt32());

        var read = await JsonAsync(await client.SendAsync(Send(HttpMethod.Get, Path(type, id), key)));
        var ja = read.GetProperty("fields").GetProperty("ja");
        Assert.Equal(12.5m, ja.GetProperty("price").GetDecimal());
        Assert.True(ja.GetProperty("featured").GetBoolean());
        Assert.Equal(new DateTime(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc), ja.GetProperty("date").GetDateTime().ToUniversalTime());
        Assert.Equal(["s", "l"], ja.GetProperty("sizes").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(["news", "tokyo"], ja.GetProperty("tags").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("First article", read.GetProperty("fields").GetProperty("en").GetProperty("title").GetString());
        Assert.Equal(created.GetProperty("eTag").GetString(), (await client.SendAsync(Send(HttpMethod.Get, Path(type, id), key))).Headers.ETag?.Tag);

        var list = await JsonAsync(await client.SendAsync(Send(HttpMethod.Get, Path(type) + "?status=draft", key)));
        Assert.Equal(1, list.GetProperty("totalCount").GetInt32());
        Assert.Equal("first-article", list.GetProperty("items")[0].GetProperty("slug").GetString());
        Assert.Equal("draft", list.GetProperty("items")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task No_key_is_401_a_read_key_or_a_key_without_the_type_is_403_and_nothing_is_written()
    {
        var (type, target, _, client) = await SetUpAsync();
        var (_, readKey) = await factory.CreateKeyAsync("Website", ApiAccess.Read, [type.ApiId]);
        var (_, otherType) = await factory.CreateKeyAsync("Other importer", ApiAccess.Write, [target.ApiId]);
        var body = Body("refused", new { title = "Refused" });

        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type), null, body)), HttpStatusCode.Unauthorized);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Get, Path(type), null)), HttpStatusCode.Unauthorized);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type), "kk_notakey0000000000", body)), HttpStatusCode.Unauthorized);
        var readOnly = await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type), readKey, body)), HttpStatusCode.Forbidden);
        Assert.Contains("read-only", readOnly.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Get, Path(type), readKey)), HttpStatusCode.Forbidden);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type), otherType, body)), HttpStatusCode.Forbidden);

        var page = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id)));
        Assert.Equal(0, page.TotalCount);

        // Each key refused is audited once per path and window (the read key's second refusal is coalesced), as the key.
        var denied = (await factory.AuditEntriesAsync()).Where(e => e.Action == AuditActions.AccessDenied && e.EntityId == Path(type)).ToList();
        var website = Assert.Single(denied, e => e.ActorName.StartsWith("API key Website (", StringComparison.Ordinal));
        Assert.Equal(AuditOutcome.Denied, website.Outcome);
        Assert.StartsWith($"{website.ActorName} was refused POST {Path(type)}", AuditText.English(website), StringComparison.Ordinal);
        Assert.Single(denied, e => e.ActorName.StartsWith("API key Other importer (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_console_cookie_never_authenticates_the_management_api_so_there_is_no_csrf()
    {
        var (type, _, _, _) = await SetUpAsync();
        var email = $"editor-{Guid.NewGuid():N}@example.com";
        await factory.CreateStaffAsync(email, Kuroco.Core.Staff.StaffRoles.Administrator);
        using var browser = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(browser, email, KurocoAppFactory.StaffPassword);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/content")).StatusCode); // the cookie is good for the console

        await ProblemAsync(await browser.SendAsync(Send(HttpMethod.Post, Path(type), null, Body("csrf", new { title = "Forged" }))), HttpStatusCode.Unauthorized);

        var page = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id)));
        Assert.Equal(0, page.TotalCount);
    }

    [Fact]
    public async Task Unknown_type_or_item_is_404()
    {
        var (type, _, key, client) = await SetUpAsync();
        var (_, wide) = await factory.CreateKeyAsync("Every type", ApiAccess.Write);

        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Get, "/api/v1/manage/content/no-such-type", wide)), HttpStatusCode.NotFound);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, "/api/v1/manage/content/no-such-type", wide, Body("x", new { title = "X" }))), HttpStatusCode.NotFound);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Get, Path(type, Guid.NewGuid()), key)), HttpStatusCode.NotFound);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Get, Path(type, "not-a-guid"), key)), HttpStatusCode.NotFound);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type, Guid.NewGuid(), "publish"), key)), HttpStatusCode.NotFound);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Delete, Path(type, Guid.NewGuid()), key)), HttpStatusCode.NotFound);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Put, Path(type, Guid.NewGuid()), key, Body("x", new { title = "X" }), "\"abc\"")), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Every_rule_of_the_console_is_a_400_keyed_by_field()
    {
        var (type, _, key, client) = await SetUpAsync();
        await CreateAsync(client, type, key, "taken", "Taken title");

        async Task<string[]> Refused(object body)
        {
            var problem = await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type), key, body)), HttpStatusCode.BadRequest);
            return ErrorKeys(problem);
        }

        // Required (primary language), bad slug.
        Assert.Equal(["fields.ja.title", "slug"], await Refused(Body("Not A Slug", new { code = "ABC" })));
        // Lengths, pattern, number range, choices, tags count.
        Assert.Equal(["fields.ja.code", "fields.ja.color", "fields.ja.price", "fields.ja.sizes", "fields.ja.tags", "fields.ja.title"], await Refused(Body("rules",
            new { title = "X", code = "abc", price = 1001, color = "green", sizes = new[] { "xl" }, tags = new[] { "a", "b", "c", "d" } })));
        // Unique value, taken slug, reference to nothing.
        Assert.Equal(["fields.ja.title"], await Refused(Body("other-slug", new { title = "Taken title" })));
        Assert.Equal(["slug"], await Refused(Body("taken", new { title = "Fresh title" })));
        Assert.Equal(["fields.ja.author"], await Refused(Body("no-author", new { title = "Orphan", author = Guid.NewGuid() })));
        // A secondary language with values gets its own required rule.
        Assert.Equal(["fields.en.title"], await Refused(Body("en-partial", new { title = "Japanese" }, new { code = "ABC" })));

        var page = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id)));
        Assert.Equal(1, page.TotalCount);
    }

    [Fact]
    public async Task Wrong_json_types_unknown_fields_and_bad_bodies_are_400_naming_the_place()
    {
        var (type, _, key, client) = await SetUpAsync();

        var problem = await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type), key, new
        {
            slug = 5,
            publish = "yes",
            extra = 1,
            fields = new
            {
                ja = new { title = 42, price = "12", featured = "true", date = "yesterday", sizes = "s", tags = new object[] { 1 }, author = 7, nope = "x" },
                fr = new { title = "Bonjour" },
            },
        })), HttpStatusCode.BadRequest);
        Assert.Equal(
            ["extra", "fields.fr", "fields.ja.author", "fields.ja.date", "fields.ja.featured", "fields.ja.nope", "fields.ja.price", "fields.ja.sizes", "fields.ja.tags", "fields.ja.title", "publish", "slug"],
            ErrorKeys(problem));
        Assert.Contains("JSON number", problem.GetProperty("errors").GetProperty("fields.ja.price")[0].GetString(), StringComparison.Ordinal);

        var notJson = await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type), key, rawBody: "{\"slug\": ")), HttpStatusCode.BadRequest);
        Assert.Equal("body", notJson.GetProperty("parameter").GetString());
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type), key, rawBody: "[1,2]")), HttpStatusCode.BadRequest);
        var form = Send(HttpMethod.Post, Path(type), key);
        form.Content = new StringContent("slug=x", Encoding.UTF8, "application/x-www-form-urlencoded");
        await ProblemAsync(await client.SendAsync(form), HttpStatusCode.UnsupportedMediaType);
        var badPage = await ProblemAsync(await client.SendAsync(Send(HttpMethod.Get, Path(type) + "?pageSize=101", key)), HttpStatusCode.BadRequest);
        Assert.Equal("pageSize", badPage.GetProperty("parameter").GetString());

        var page = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id)));
        Assert.Equal(0, page.TotalCount);
    }

    [Fact]
    public async Task Update_needs_if_match_428_when_missing_412_when_stale_and_keeps_a_version_per_save()
    {
        var (type, _, key, client) = await SetUpAsync();
        var created = await CreateAsync(client, type, key, "versioned", "Version one");
        var id = created.GetProperty("id").GetGuid();
        var etag = created.GetProperty("eTag").GetString()!;
        var update = Body("versioned", new { title = "Version two" });

        var missing = await ProblemAsync(await client.SendAsync(Send(HttpMethod.Put, Path(type, id), key, update)), (HttpStatusCode)428);
        Assert.Contains("If-Match", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Put, Path(type, id), key, update, "*")), (HttpStatusCode)428);

        var saved = await JsonAsync(await client.SendAsync(Send(HttpMethod.Put, Path(type, id), key, update, etag)));
        Assert.Equal("Version two", saved.GetProperty("fields").GetProperty("ja").GetProperty("title").GetString());
        Assert.Equal(2, saved.GetProperty("versionCount").GetInt32());
        var fresh = saved.GetProperty("eTag").GetString()!;
        Assert.NotEqual(etag, fresh);

        // The first ETag is stale now: a second client that read before the save is told, not silently applied.
        var stale = await client.SendAsync(Send(HttpMethod.Put, Path(type, id), key, Body("versioned", new { title = "Lost update" }), etag));
        await ProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Put, Path(type, id), key, update, "\"garbage\"")), HttpStatusCode.PreconditionFailed);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type, id, "publish"), key, ifMatch: etag)), HttpStatusCode.PreconditionFailed);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Delete, Path(type, id), key, ifMatch: etag)), HttpStatusCode.PreconditionFailed);

        // An edit in the console also makes the API's ETag stale.
        await factory.WithContentAsync(async (_, items) =>
        {
            var input = new ContentItemInput { Id = id, TypeId = type.Id, Slug = "versioned", ConcurrencyToken = Guid.Parse(fresh.Trim('"')) };
            input.Ja["title"] = "Console edit";
            var result = await items.SaveDraftAsync(input);
            Assert.True(result.Succeeded, string.Join(" ", result.Errors));
            return result;
        });
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Put, Path(type, id), key, update, fresh)), HttpStatusCode.PreconditionFailed);

        var versions = await factory.WithVersionsAsync(v => v.ListAsync(id));
        Assert.Equal(3, versions.Count);
        var item = await factory.WithContentAsync((_, items) => items.FindAsync(id));
        Assert.Contains("Console edit", item!.ValuesJa, StringComparison.Ordinal);

        // Omitted slug and languages stay; a sent language replaces that language.
        var weak = await JsonAsync(await client.SendAsync(Send(HttpMethod.Get, Path(type, id), key)));
        var partial = await JsonAsync(await client.SendAsync(Send(HttpMethod.Put, Path(type, id), key,
            new { fields = new { en = new { title = "English" } } }, "W/" + weak.GetProperty("eTag").GetString())));
        Assert.Equal("versioned", partial.GetProperty("slug").GetString());
        Assert.Equal("Console edit", partial.GetProperty("fields").GetProperty("ja").GetProperty("title").GetString());
        Assert.Equal("English", partial.GetProperty("fields").GetProperty("en").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Publish_shows_the_item_in_the_delivery_api_at_once_and_unpublish_and_delete_take_it_away()
    {
        var (type, _, key, client) = await SetUpAsync();
        var (_, website) = await factory.CreateKeyAsync("Website", ApiAccess.Read, [type.ApiId]);
        var delivery = $"/api/v1/content/{type.ApiId}";
        async Task<int> DeliveredCount() =>
            (await JsonAsync(await client.SendAsync(ApiTestKeys.Get(delivery, website)))).GetProperty("totalCount").GetInt32();

        Assert.Equal(0, await DeliveredCount()); // now cached as empty
        var created = await CreateAsync(client, type, key, "launch", "Launch");
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(0, await DeliveredCount());

        var published = await JsonAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type, id, "publish"), key, ifMatch: created.GetProperty("eTag").GetString())));
        Assert.Equal("published", published.GetProperty("status").GetString());
        Assert.Equal("Launch", published.GetProperty("published").GetProperty("ja").GetProperty("title").GetString());
        Assert.Equal(1, await DeliveredCount()); // the cached empty answer was evicted
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(ApiTestKeys.Get($"{delivery}/launch", website))).StatusCode);

        // A draft change of a published item stays off the website until published again.
        await JsonAsync(await client.SendAsync(Send(HttpMethod.Put, Path(type, id), key, Body("launch", new { title = "Draft change" }), published.GetProperty("eTag").GetString())));
        var live = await JsonAsync(await client.SendAsync(ApiTestKeys.Get($"{delivery}/launch", website)));
        Assert.Equal("Launch", live.GetProperty("fields").GetProperty("title").GetString());

        var unpublished = await JsonAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type, id, "unpublish"), key)));
        Assert.Equal("draft", unpublished.GetProperty("status").GetString());
        Assert.Equal(0, await DeliveredCount());
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type, id, "unpublish"), key)), HttpStatusCode.Conflict);

        // Created and published in one call, then deleted to the trash.
        var direct = await CreateAsync(client, type, key, "direct", "Direct", publish: true);
        Assert.Equal("published", direct.GetProperty("status").GetString());
        Assert.Equal(1, await DeliveredCount());
        var deleted = await client.SendAsync(Send(HttpMethod.Delete, Path(type, direct.GetProperty("id").GetGuid()), key, ifMatch: direct.GetProperty("eTag").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, await DeliveredCount());
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Get, Path(type, direct.GetProperty("id").GetGuid()), key)), HttpStatusCode.NotFound);
        var trash = await factory.WithTrashAsync(t => t.ListAsync(0, 200));
        Assert.Contains(trash.Items, i => i.Id == direct.GetProperty("id").GetGuid());
        Assert.True((await factory.WithTrashAsync(t => t.RestoreAsync(direct.GetProperty("id").GetGuid()))).Succeeded);

        var kinds = factory.Changes.All.Where(c => c.TypeApiId == type.ApiId).Select(c => c.Kind).ToList();
        Assert.Equal([ContentChangeKind.Published, ContentChangeKind.Unpublished, ContentChangeKind.Published, ContentChangeKind.Deleted], kinds);
    }

    [Fact]
    public async Task A_type_that_requires_approval_cannot_be_published_over_the_api_until_approved()
    {
        var (type, _, key, client) = await SetUpAsync(requiresApproval: true);
        var refusedCreate = await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type), key, Body("at-once", new { title = "At once" }, publish: true))), HttpStatusCode.Conflict);
        Assert.Contains("approved", refusedCreate.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id)))).TotalCount);

        var created = await CreateAsync(client, type, key, "reviewed", "Reviewed");
        var id = created.GetProperty("id").GetGuid();
        var refused = await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type, id, "publish"), key)), HttpStatusCode.Conflict);
        Assert.Contains("approved", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(ContentStatus.Draft, (await factory.WithContentAsync((_, items) => items.FindAsync(id)))!.Status);

        // Once a reviewer approved the current content, the API may publish it.
        await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().ContentItems
            .Where(i => i.Id == id).ExecuteUpdateAsync(u => u.SetProperty(i => i.ReviewState, ReviewState.Approved)));
        var published = await JsonAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type, id, "publish"), key)));
        Assert.Equal("published", published.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Audit_entries_name_the_key_never_its_secret()
    {
        var (type, _, _, client) = await SetUpAsync();
        var (summary, key) = await factory.CreateKeyAsync("Nightly import", ApiAccess.Write, [type.ApiId]);
        var created = await CreateAsync(client, type, key, "audited", "Audited", publish: true);
        var id = created.GetProperty("id").GetGuid().ToString();

        var entries = (await factory.AuditEntriesAsync()).Where(e => e.EntityId == id).ToList();
        Assert.Equal([AuditActions.ContentItemCreated, AuditActions.ContentItemPublished], entries.Select(e => e.Action).ToArray());
        Assert.All(entries, e =>
        {
            Assert.Equal($"API key Nightly import ({summary.Prefix})", e.ActorName);
            Assert.DoesNotContain(key, e.ActorName + e.Summary + e.Changes, StringComparison.Ordinal);
        });
        Assert.Equal($"API key Nightly import ({summary.Prefix})", created.GetProperty("updatedBy").GetString());
    }

    [Fact]
    public async Task Script_in_rich_text_comes_back_sanitized_and_text_is_stored_as_sent()
    {
        var (type, _, key, client) = await SetUpAsync();
        var created = await JsonAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type), key, Body("xss",
            new { title = "<script>alert(1)</script>", body = "<p onclick=\"alert(1)\">Hi<script>alert(2)</script><a href=\"javascript:alert(3)\">x</a><img src=x onerror=alert(4)></p>" },
            publish: true))), HttpStatusCode.Created);

        var body = created.GetProperty("fields").GetProperty("ja").GetProperty("body").GetString()!;
        Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Hi", body, StringComparison.Ordinal);
        var (_, website) = await factory.CreateKeyAsync("Website", ApiAccess.Read, [type.ApiId]);
        var delivered = await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}/xss", website));
        var raw = await delivered.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", raw, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Problems_are_in_english_whatever_the_accept_language()
    {
        var (type, _, key, client) = await SetUpAsync();
        var request = Send(HttpMethod.Post, Path(type), key, Body("x", new { code = "ABC" }));
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("ja"));

        var problem = await ProblemAsync(await client.SendAsync(request), HttpStatusCode.BadRequest);

        Assert.Contains("required", problem.GetProperty("errors").GetProperty("fields.ja.title")[0].GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Every_management_endpoint_is_in_the_openapi_document()
    {
        using var client = factory.CreateClient();
        var document = await JsonAsync(await client.GetAsync("/openapi/v1.json"));
        var paths = document.GetProperty("paths");
        var collection = paths.GetProperty("/api/v1/manage/content/{type}");
        var item = paths.GetProperty("/api/v1/manage/content/{type}/{id}");
        Assert.True(collection.TryGetProperty("get", out _));
        Assert.True(collection.GetProperty("post").TryGetProperty("requestBody", out _));
        Assert.True(item.TryGetProperty("get", out _));
        Assert.True(item.GetProperty("put").GetProperty("responses").TryGetProperty("428", out _));
        Assert.True(item.GetProperty("put").GetProperty("responses").TryGetProperty("412", out _));
        Assert.True(item.TryGetProperty("delete", out _));
        Assert.True(paths.GetProperty("/api/v1/manage/content/{type}/{id}/publish").GetProperty("post").GetProperty("responses").TryGetProperty("409", out _));
        Assert.True(paths.TryGetProperty("/api/v1/manage/content/{type}/{id}/unpublish", out _));
    }
}

/// <summary>The 4 MiB request limit applies to the management API too, over a real socket (TestServer has no body-size limit).</summary>
public sealed class ContentManagementBodyLimitTests(ContentManagementBodyLimitTests.Factory factory) : IClassFixture<ContentManagementBodyLimitTests.Factory>
{
    public sealed class Factory : ContentAppFactory
    {
        private Uri? baseAddress;

        public Uri BaseAddress => baseAddress ??= StartKestrel();
    }

    [Fact]
    public async Task An_oversized_item_gets_413_problem_details_and_nothing_is_saved()
    {
        using var client = new HttpClient { BaseAddress = factory.BaseAddress };
        var type = await factory.CreateTypeAsync("big" + Guid.NewGuid().ToString("N")[..8]);
        var (_, key) = await factory.CreateKeyAsync("Importer", ApiAccess.Write, [type.ApiId]);
        var body = "{\"slug\":\"big\",\"fields\":{\"ja\":{\"title\":\"Big\",\"body\":\"" + new string('a', 5 * 1024 * 1024) + "\"}}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/manage/content/{type.ApiId}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-API-Key", key);
        request.Headers.ExpectContinue = true;

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, (await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id)))).TotalCount);
    }
}
