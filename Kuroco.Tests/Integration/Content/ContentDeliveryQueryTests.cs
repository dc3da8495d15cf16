using System.Net;
using System.Text;
using System.Text.Json;
using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Content;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Content;

/// <summary>The content app without the output cache (answers come from the index every time) and with room for many requests.</summary>
public sealed class DeliveryQueryAppFactory : ContentAppFactory
{
    public DeliveryQueryAppFactory()
    {
        Settings["Kuroco:Api:OutputCache:Seconds"] = "0";
        Settings["Kuroco:RateLimits:ApiPerClientPerMinute"] = "1000000";
        Settings["Kuroco:RateLimits:ApiPerKeyPerMinute"] = "1000000";
    }
}

/// <summary>The delivery list's filters, sort and cursors through the real pipeline and a real SQLite file.</summary>
public sealed class ContentDeliveryQueryTests(DeliveryQueryAppFactory factory) : IClassFixture<DeliveryQueryAppFactory>
{
    private static readonly Guid Image = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    private static string Api() => "q" + Guid.NewGuid().ToString("N")[..10];

    private Task<ContentType> TypeAsync(string apiId) => factory.WithContentAsync(async (types, _) =>
    {
        var result = await types.SaveAsync(new ContentType
        {
            Name = "Products " + apiId,
            ApiId = apiId,
            Fields =
            [
                new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText },
                new FieldDefinition { Key = "body", LabelEn = "Body", Kind = FieldKind.RichText },
                new FieldDefinition { Key = "price", LabelEn = "Price", Kind = FieldKind.Number },
                new FieldDefinition { Key = "featured", LabelEn = "Featured", Kind = FieldKind.Boolean },
                new FieldDefinition { Key = "releasedAt", LabelEn = "Released", Kind = FieldKind.DateTime },
                new FieldDefinition { Key = "status", LabelEn = "Status", Kind = FieldKind.SingleChoice, Choices = ["active", "retired"] },
                new FieldDefinition { Key = "colors", LabelEn = "Colors", Kind = FieldKind.MultipleChoice, Choices = ["red", "green", "blue"] },
                new FieldDefinition { Key = "tags", LabelEn = "Tags", Kind = FieldKind.Tags },
                new FieldDefinition { Key = "image", LabelEn = "Image", Kind = FieldKind.Media },
            ],
        });
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        return result.Value!;
    });

    private Task<ContentItem> DraftAsync(ContentType type, string slug, Dictionary<string, string?> ja, Dictionary<string, string?>? en = null) =>
        factory.WithContentAsync(async (_, items) =>
        {
            var input = new ContentItemInput { TypeId = type.Id, Slug = slug, Ja = new(ja, StringComparer.Ordinal), En = new(en ?? [], StringComparer.Ordinal) };
            var result = await items.SaveDraftAsync(input);
            Assert.True(result.Succeeded, string.Join(" ", result.Errors));
            return result.Value!;
        });

    private async Task<ContentItem> PublishedAsync(ContentType type, string slug, Dictionary<string, string?> ja, Dictionary<string, string?>? en = null)
    {
        var draft = await DraftAsync(type, slug, ja, en);
        var published = await factory.WithPublishingAsync(p => p.PublishAsync(new(draft.Id)));
        Assert.True(published.Succeeded, string.Join(" ", published.Errors));
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        return published.Value!;
    }

    private async Task<(HttpClient Client, string Secret)> ClientAsync(ContentType type)
    {
        var (_, secret) = await factory.CreateKeyAsync("Website", ApiAccess.Read, [type.ApiId]);
        return (factory.CreateClient(), secret);
    }

    private static async Task<JsonElement> OkAsync(HttpClient client, string secret, string url)
    {
        var response = await client.SendAsync(ApiTestKeys.Get(url, secret));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} → {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<List<string>> SlugsAsync(HttpClient client, string secret, string url) =>
        [.. (await OkAsync(client, secret, url)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("slug").GetString()!)];

    private static async Task<string?> BadParameterAsync(HttpClient client, string secret, string url)
    {
        var response = await client.SendAsync(ApiTestKeys.Get(url, secret));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("parameter").GetString();
    }

    private static string Sorted(IEnumerable<string> slugs) => string.Join(",", slugs.Order(StringComparer.Ordinal));

    /// <summary>Three items covering every kind: a (active, 10, featured, January), b (retired, 20.5, February), c (active, -5, no date).</summary>
    private async Task<ContentType> CatalogueAsync()
    {
        var type = await TypeAsync(Api());
        await PublishedAsync(type, "a", new()
        {
            ["title"] = "Alpha", ["body"] = "<p>Hello 100% <b>World</b></p>", ["price"] = "10", ["featured"] = "true",
            ["releasedAt"] = "2026-01-10T09:00:00Z", ["status"] = "active", ["colors"] = "red\ngreen", ["tags"] = "news\nsale", ["image"] = Image.ToString(),
        });
        await PublishedAsync(type, "b", new()
        {
            ["title"] = "Beta_1", ["body"] = "<p>Other</p>", ["price"] = "20.5", ["featured"] = "false",
            ["releasedAt"] = "2026-02-10T09:00:00Z", ["status"] = "retired", ["colors"] = "blue", ["tags"] = "news",
        });
        await PublishedAsync(type, "c", new()
        {
            ["title"] = "Gamma", ["body"] = "<p>a_b</p>", ["price"] = "-5", ["status"] = "active", ["tags"] = "sale",
        });
        await DraftAsync(type, "draft", new() { ["title"] = "Alpha draft", ["status"] = "active", ["price"] = "1", ["tags"] = "news" });
        return type;
    }

    [Theory]
    [InlineData("filter[status]=active", "a,c")]
    [InlineData("filter[status][eq]=active", "a,c")]
    [InlineData("filter[status][ne]=active", "b")]
    [InlineData("filter[status][in]=active,retired", "a,b,c")]
    [InlineData("filter[status][contains]=tiv", "a,c")]
    [InlineData("filter[title][eq]=Alpha", "a")]
    [InlineData("filter[title][contains]=alp", "a")]
    [InlineData("filter[title][contains]=_", "b")]
    [InlineData("filter[title][in]=Alpha,Gamma", "a,c")]
    [InlineData("filter[body][contains]=100%25", "a")]
    [InlineData("filter[body][contains]=%25", "a")]
    [InlineData("filter[body][contains]=world", "a")]
    [InlineData("filter[body][contains]=a_b", "c")]
    [InlineData("filter[body][contains]=%3Cp%3E", "")]
    [InlineData("filter[price][lt]=15", "a,c")]
    [InlineData("filter[price][gt]=0", "a,b")]
    [InlineData("filter[price][gt]=-10", "a,b,c")]
    [InlineData("filter[price][eq]=20.50", "b")]
    [InlineData("filter[price][in]=10,-5", "a,c")]
    [InlineData("filter[price][ne]=10", "b,c")]
    [InlineData("filter[featured]=true", "a")]
    [InlineData("filter[featured][ne]=true", "b,c")]
    [InlineData("filter[releasedAt][gt]=2026-02-01", "b")]
    [InlineData("filter[releasedAt][lt]=2026-02-01", "a")]
    [InlineData("filter[releasedAt][gt]=2026-01-01&filter[releasedAt][lt]=2026-12-31", "a,b")]
    [InlineData("filter[releasedAt][eq]=2026-01-10T18:00:00%2B09:00", "a")]
    [InlineData("filter[colors][contains]=red", "a")]
    [InlineData("filter[colors][in]=red,blue", "a,b")]
    [InlineData("filter[image]=0f8fad5b-d9cb-469f-a165-70867728950e", "a")]
    [InlineData("filter[image][ne]=0f8fad5b-d9cb-469f-a165-70867728950e", "b,c")]
    [InlineData("filter[slug][in]=a,c,draft", "a,c")]
    [InlineData("filter[slug][contains]=b", "b")]
    [InlineData("tag=news", "a,b")]
    [InlineData("tag=news&tag=sale", "a")]
    [InlineData("tag=nothing", "")]
    [InlineData("filter[status]=active&filter[price][gt]=0", "a")]
    [InlineData("filter[tags][contains]=sale&sort=price", "a,c")]
    public async Task Every_operator_filters_published_items_by_the_field_kind(string query, string expected)
    {
        var type = await CatalogueAsync();
        var (client, secret) = await ClientAsync(type);
        using (client)
        {
            var slugs = await SlugsAsync(client, secret, $"/api/v1/content/{type.ApiId}?{query}");
            Assert.Equal(expected, Sorted(slugs));
            var page = await OkAsync(client, secret, $"/api/v1/content/{type.ApiId}?{query}");
            Assert.Equal(slugs.Count, page.GetProperty("totalCount").GetInt32());
        }
    }

    [Theory]
    [InlineData("filter[nope]=1", "filter[nope]")]
    [InlineData("filter[price][lt]=cheap", "filter[price][lt]")]
    [InlineData("filter[price][contains]=1", "filter[price][contains]")]
    [InlineData("filter[price][like]=1", "filter[price][like]")]
    [InlineData("filter[body][eq]=x", "filter[body][eq]")]
    [InlineData("filter[featured]=yes", "filter[featured]")]
    [InlineData("filter[releasedAt][gt]=yesterday", "filter[releasedAt][gt]")]
    [InlineData("filter[image]=not-a-guid", "filter[image]")]
    [InlineData("filter[colors][eq]=red", "filter[colors][eq]")]
    [InlineData("sort=body", "sort")]
    [InlineData("sort=a,b,c,d", "sort")]
    [InlineData("sort=colors", "sort")]
    [InlineData("publishedFrom=tomorrow", "publishedFrom")]
    [InlineData("publishedTo=2026-13-01", "publishedTo")]
    [InlineData("pageSize=101", "pageSize")]
    public async Task A_bad_query_is_a_400_naming_the_parameter_as_sent(string query, string parameter)
    {
        var type = await CatalogueAsync();
        var (client, secret) = await ClientAsync(type);
        using (client)
        {
            Assert.Equal(parameter, await BadParameterAsync(client, secret, $"/api/v1/content/{type.ApiId}?{query}"));
        }
    }

    [Fact]
    public async Task Sorting_by_one_to_three_keys_in_either_direction_breaks_ties_by_id()
    {
        var type = await TypeAsync(Api());
        var data = new (string Slug, string Status, string Price, string Title)[]
        {
            ("p1", "active", "5", "Echo"), ("p2", "retired", "5", "Delta"), ("p3", "active", "7", "Charlie"),
            ("p4", "active", "5", "Bravo"), ("p5", "retired", "9", "Alpha"), ("p6", "active", "5", "Echo"),
        };
        var ids = new Dictionary<string, Guid>();
        foreach (var (slug, status, price, title) in data)
        {
            ids[slug] = (await PublishedAsync(type, slug, new() { ["status"] = status, ["price"] = price, ["title"] = title })).Id;
        }
        string Id(string slug) => ids[slug].ToString().ToUpperInvariant(); // SQLite keeps Guids as upper-case text
        var (client, secret) = await ClientAsync(type);
        using (client)
        {
            var url = $"/api/v1/content/{type.ApiId}";
            var byTitle = data.OrderBy(d => d.Title, StringComparer.Ordinal).ThenBy(d => Id(d.Slug), StringComparer.Ordinal).Select(d => d.Slug).ToList();
            Assert.Equal(byTitle, await SlugsAsync(client, secret, url + "?sort=title"));
            Assert.Equal(["p6", "p5", "p4", "p3", "p2", "p1"], await SlugsAsync(client, secret, url));
            Assert.Equal(["p1", "p2", "p3", "p4", "p5", "p6"], await SlugsAsync(client, secret, url + "?sort=publishedAt"));
            Assert.Equal(["p5", "p3", "p1", "p2", "p4", "p6"], await SlugsAsync(client, secret, url + "?sort=-price,slug"));

            var expected = data.OrderBy(d => d.Status, StringComparer.Ordinal).ThenByDescending(d => decimal.Parse(d.Price, System.Globalization.CultureInfo.InvariantCulture))
                .ThenByDescending(d => Id(d.Slug), StringComparer.Ordinal).Select(d => d.Slug).ToList();
            Assert.Equal(expected, await SlugsAsync(client, secret, url + "?sort=status,-price"));
            var threeKeys = data.OrderByDescending(d => d.Status, StringComparer.Ordinal).ThenBy(d => decimal.Parse(d.Price, System.Globalization.CultureInfo.InvariantCulture))
                .ThenBy(d => d.Title, StringComparer.Ordinal).ThenBy(d => Id(d.Slug), StringComparer.Ordinal).Select(d => d.Slug).ToList();
            Assert.Equal(threeKeys, await SlugsAsync(client, secret, url + "?sort=-status,price,title"));
            var ties = data.OrderBy(d => decimal.Parse(d.Price, System.Globalization.CultureInfo.InvariantCulture)).ThenBy(d => Id(d.Slug), StringComparer.Ordinal).Select(d => d.Slug).ToList();
            Assert.Equal(ties, await SlugsAsync(client, secret, url + "?sort=price"));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("sort=-releasedAt")]
    [InlineData("sort=status,title")]
    [InlineData("sort=-featured,price,-slug")]
    [InlineData("filter[status]=active&sort=-releasedAt")]
    public async Task A_cursor_walks_the_whole_list_without_duplicates_or_gaps_even_through_ties(string query)
    {
        var type = await TypeAsync(Api());
        for (var i = 0; i < 23; i++)
        {
            // Few distinct values: most items share their sort values with others.
            var item = await DraftAsync(type, $"item-{i:00}", new()
            {
                ["title"] = "T" + (i % 3), ["status"] = i % 4 == 0 ? "retired" : "active", ["price"] = (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["featured"] = i % 5 == 0 ? "true" : null, ["releasedAt"] = i % 3 == 0 ? null : $"2026-0{1 + (i % 2)}-01T00:00:00Z",
            });
            // Every item published in the same second: publishedAt ties too.
            Assert.True((await factory.WithPublishingAsync(p => p.PublishAsync(new(item.Id)))).Succeeded);
        }
        var (client, secret) = await ClientAsync(type);
        using (client)
        {
            var url = $"/api/v1/content/{type.ApiId}?{query}";
            var all = await SlugsAsync(client, secret, url + "&pageSize=100");
            var walked = new List<string>();
            var byPage = new List<string>();
            string? cursor = null;
            for (var page = 1; page <= 20; page++)
            {
                var body = await OkAsync(client, secret, url + "&pageSize=4" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
                walked.AddRange(body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("slug").GetString()!));
                Assert.Equal(all.Count, body.GetProperty("totalCount").GetInt32());
                byPage.AddRange(await SlugsAsync(client, secret, url + $"&pageSize=4&page={page}"));
                cursor = body.GetProperty("nextCursor").GetString();
                if (cursor is null)
                {
                    break;
                }
            }
            Assert.Equal(all, walked);
            Assert.Equal(all, byPage.Take(all.Count));
            Assert.Equal(walked.Count, walked.Distinct().Count());
            Assert.Equal(query.Contains("status", StringComparison.Ordinal) && query.StartsWith("filter", StringComparison.Ordinal) ? 17 : 23, all.Count);
        }
    }

    [Fact]
    public async Task A_cursor_with_a_page_or_changed_in_any_way_is_refused()
    {
        var type = await CatalogueAsync();
        var (client, secret) = await ClientAsync(type);
        using (client)
        {
            var url = $"/api/v1/content/{type.ApiId}?pageSize=1";
            var cursor = (await OkAsync(client, secret, url)).GetProperty("nextCursor").GetString()!;
            Assert.Equal("cursor", await BadParameterAsync(client, secret, $"{url}&page=1&cursor={cursor}"));
            var tampered = (cursor[5] == 'A' ? "B" : "A") is var c ? cursor[..5] + c + cursor[6..] : cursor;
            Assert.Equal("cursor", await BadParameterAsync(client, secret, $"{url}&cursor={tampered}"));
            Assert.Equal("cursor", await BadParameterAsync(client, secret, $"{url}&cursor={cursor[..^4]}"));
            Assert.Equal("cursor", await BadParameterAsync(client, secret, $"{url}&cursor=not-a-cursor"));
            Assert.Equal("cursor", await BadParameterAsync(client, secret, $"{url}&sort=price&cursor={cursor}"));
            Assert.Equal("cursor", await BadParameterAsync(client, secret, $"{url}&lang=en&cursor={cursor}"));
            Assert.Single((await OkAsync(client, secret, $"{url}&cursor={cursor}")).GetProperty("items").EnumerateArray());
        }
    }

    [Fact]
    public async Task Filters_see_the_published_copy_only_and_follow_every_publication_change()
    {
        var type = await TypeAsync(Api());
        var live = await PublishedAsync(type, "live", new() { ["title"] = "Live", ["status"] = "active" });
        var other = await PublishedAsync(type, "other", new() { ["title"] = "Other", ["status"] = "active" });
        await DraftAsync(type, "draft", new() { ["title"] = "Draft", ["status"] = "active" });
        var (client, secret) = await ClientAsync(type);
        using (client)
        {
            var active = $"/api/v1/content/{type.ApiId}?filter[status]=active";
            var retired = $"/api/v1/content/{type.ApiId}?filter[status]=retired";
            Assert.Equal("live,other", Sorted(await SlugsAsync(client, secret, active)));

            // A draft save of a published item changes nothing until it is published.
            var current = await factory.WithContentAsync((_, items) => items.FindAsync(live.Id));
            var saved = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(new ContentItemInput
            {
                Id = live.Id, TypeId = type.Id, Slug = "live", ConcurrencyToken = current!.ConcurrencyToken,
                Ja = new() { ["title"] = "Live", ["status"] = "retired" },
            }));
            Assert.True(saved.Succeeded);
            Assert.Equal("live,other", Sorted(await SlugsAsync(client, secret, active)));
            Assert.Empty(await SlugsAsync(client, secret, retired));

            Assert.True((await factory.WithPublishingAsync(p => p.PublishAsync(new(live.Id)))).Succeeded);
            Assert.Equal("other", Sorted(await SlugsAsync(client, secret, active)));
            Assert.Equal("live", Sorted(await SlugsAsync(client, secret, retired)));

            Assert.True((await factory.WithPublishingAsync(p => p.UnpublishAsync(new(live.Id)))).Succeeded);
            Assert.Empty(await SlugsAsync(client, secret, retired));

            Assert.True((await factory.WithPublishingAsync(p => p.ArchiveAsync(new(other.Id)))).Succeeded);
            Assert.Empty(await SlugsAsync(client, secret, active));

            // Scheduled publication by the job.
            var scheduled = await factory.WithPublishingAsync(p => p.ScheduleAsync(new(live.Id), factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(5), null));
            Assert.True(scheduled.Succeeded, string.Join(" ", scheduled.Errors));
            factory.Clock.Advance(TimeSpan.FromMinutes(6));
            await factory.WithScopeAsync(sp => sp.GetRequiredService<ContentScheduleJob>().ExecuteAsync(CancellationToken.None));
            Assert.Equal("live", Sorted(await SlugsAsync(client, secret, retired)));

            // Trash and restore.
            Assert.True((await factory.WithTrashAsync(t => t.DeleteAsync(new(live.Id)))).Succeeded);
            Assert.Empty(await SlugsAsync(client, secret, retired));
            Assert.Empty(await SlugsAsync(client, secret, $"/api/v1/content/{type.ApiId}"));
            // A restored item comes back unpublished; publishing it again brings it back.
            Assert.True((await factory.WithTrashAsync(t => t.RestoreAsync(live.Id))).Succeeded);
            Assert.Empty(await SlugsAsync(client, secret, retired));
            Assert.True((await factory.WithPublishingAsync(p => p.PublishAsync(new(live.Id)))).Succeeded);
            Assert.Equal("live", Sorted(await SlugsAsync(client, secret, retired)));

            // Nothing unpublished is ever in the index.
            await factory.WithScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<KurocoDbContext>();
                var indexed = await db.ContentFieldValues.Where(v => v.TypeApiId == type.ApiId).Select(v => v.ItemId).Distinct().ToListAsync();
                Assert.Equal([live.Id], indexed);
            });
        }
    }

    [Fact]
    public async Task Date_ranges_on_publication_and_updates()
    {
        var type = await TypeAsync(Api());
        factory.Clock.Advance(TimeSpan.FromDays(1));
        var start = factory.Clock.GetUtcNow().UtcDateTime;
        await PublishedAsync(type, "first", new() { ["title"] = "First" });
        factory.Clock.Advance(TimeSpan.FromHours(2));
        await PublishedAsync(type, "second", new() { ["title"] = "Second" });
        var (client, secret) = await ClientAsync(type);
        using (client)
        {
            var url = $"/api/v1/content/{type.ApiId}";
            string Iso(DateTime t) => Uri.EscapeDataString(t.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("first,second", Sorted(await SlugsAsync(client, secret, $"{url}?publishedFrom={Iso(start)}")));
            Assert.Equal("second", Sorted(await SlugsAsync(client, secret, $"{url}?publishedFrom={Iso(start.AddSeconds(1))}")));
            Assert.Empty(await SlugsAsync(client, secret, $"{url}?publishedTo={Iso(start)}"));
            Assert.Equal("first", Sorted(await SlugsAsync(client, secret, $"{url}?publishedFrom={Iso(start)}&publishedTo={Iso(start.AddHours(1))}")));
            Assert.Equal("second", Sorted(await SlugsAsync(client, secret, $"{url}?filter[publishedAt][gt]={Iso(start.AddHours(1))}")));
            Assert.Equal("first", Sorted(await SlugsAsync(client, secret, $"{url}?filter[updatedAt][lt]={Iso(start.AddHours(1))}")));
            // A date without time is midnight UTC; an offset is honoured.
            var day = start.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal("first,second", Sorted(await SlugsAsync(client, secret, $"{url}?publishedFrom={day}")));
            Assert.Empty(await SlugsAsync(client, secret, $"{url}?publishedTo={day}"));
            Assert.Equal("first", Sorted(await SlugsAsync(client, secret,
                $"{url}?publishedTo={Uri.EscapeDataString(start.AddHours(10).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "+09:00")}")));
        }
    }

    [Fact]
    public async Task Filters_apply_to_the_values_served_in_the_language_asked_fallback_included()
    {
        var type = await TypeAsync(Api());
        await PublishedAsync(type, "both", new() { ["title"] = "りんご", ["status"] = "active" }, new() { ["title"] = "Apple", ["status"] = "retired" });
        await PublishedAsync(type, "ja-only", new() { ["title"] = "みかん", ["status"] = "active" });
        var (client, secret) = await ClientAsync(type);
        using (client)
        {
            var url = $"/api/v1/content/{type.ApiId}";
            Assert.Equal("both", Sorted(await SlugsAsync(client, secret, $"{url}?lang=en&filter[title]=Apple")));
            Assert.Empty(await SlugsAsync(client, secret, $"{url}?lang=ja&filter[title]=Apple"));
            Assert.Equal("both,ja-only", Sorted(await SlugsAsync(client, secret, $"{url}?lang=ja&filter[status]=active")));
            // English answers use the item's English values, and fall back to Japanese where there are none.
            Assert.Equal("ja-only", Sorted(await SlugsAsync(client, secret, $"{url}?lang=en&filter[status]=active")));
            var fallback = await OkAsync(client, secret, $"{url}?lang=en&filter[title]=" + Uri.EscapeDataString("みかん"));
            Assert.Equal("ja", fallback.GetProperty("items")[0].GetProperty("language").GetString());
        }
    }

    [Fact]
    public async Task Changing_the_type_fields_reindexes_its_items_and_a_stale_index_is_rebuilt()
    {
        var type = await TypeAsync(Api());
        await PublishedAsync(type, "one", new() { ["title"] = "One", ["price"] = "3" });
        await PublishedAsync(type, "two", new() { ["title"] = "Two", ["price"] = "4" });
        var (client, secret) = await ClientAsync(type);
        using (client)
        {
            var url = $"/api/v1/content/{type.ApiId}";
            var current = await factory.WithContentAsync((types, _) => types.FindAsync(type.Id));
            current!.Fields = [.. current.Fields.Where(f => f.Key != "price"), new FieldDefinition { Key = "code", LabelEn = "Code", Kind = FieldKind.ShortText }];
            Assert.True((await factory.WithContentAsync((types, _) => types.SaveAsync(current))).Succeeded);
            // The new field is sortable at once (every item has its row), the removed one is gone.
            Assert.Equal("one,two", Sorted(await SlugsAsync(client, secret, $"{url}?sort=code")));
            Assert.Equal("filter[price][lt]", await BadParameterAsync(client, secret, $"{url}?filter[price][lt]=5"));

            // Restoring the field brings its values back into the index.
            current = await factory.WithContentAsync((types, _) => types.FindAsync(type.Id));
            current!.Fields = [.. current.Fields.Where(f => !f.IsArchived), new FieldDefinition { Key = "price", LabelEn = "Price", Kind = FieldKind.Number }];
            Assert.True((await factory.WithContentAsync((types, _) => types.SaveAsync(current))).Succeeded);
            Assert.Equal("one", Sorted(await SlugsAsync(client, secret, $"{url}?filter[price][lt]=3.5")));

            // Rows lost around the services (e.g. a manual repair) are rebuilt by the start-up check.
            await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().ContentFieldValues.Where(v => v.TypeApiId == type.ApiId).ExecuteDeleteAsync());
            Assert.Empty(await SlugsAsync(client, secret, $"{url}?filter[price][lt]=3.5"));
            var rebuilt = await factory.WithScopeAsync(sp => sp.GetRequiredService<ContentIndexer>().RebuildStaleAsync());
            Assert.True(rebuilt >= 1);
            Assert.Equal("one", Sorted(await SlugsAsync(client, secret, $"{url}?filter[price][lt]=3.5")));
            Assert.Equal(0, await factory.WithScopeAsync(sp => sp.GetRequiredService<ContentIndexer>().RebuildStaleAsync()));
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_the_list_parameters()
    {
        using var client = factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var list = document.RootElement.GetProperty("paths").GetProperty("/api/v1/content/{type}").GetProperty("get");
        var names = list.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        foreach (var name in new[] { "page", "pageSize", "lang", "sort", "tag", "publishedFrom", "publishedTo", "cursor", "includeTotal" })
        {
            Assert.Contains(name, names);
        }
        var description = list.GetProperty("description").GetString()!;
        Assert.Contains("filter[<field>][<op>]", description, StringComparison.Ordinal);
        Assert.Contains("contains", description, StringComparison.Ordinal);
        Assert.Contains("includeTotal", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncludeTotal_false_skips_the_count_keeps_the_answer_shape_and_its_etag_validates()
    {
        var type = await CatalogueAsync();
        var (client, secret) = await ClientAsync(type);
        using (client)
        {
            var url = $"/api/v1/content/{type.ApiId}?pageSize=2&sort=title";
            var counted = await OkAsync(client, secret, url);
            Assert.Equal((3, 2), (counted.GetProperty("totalCount").GetInt32(), counted.GetProperty("totalPages").GetInt32()));

            // Stored answers (every field) and built ones (fields=) alike: the same properties, the totals null, paging unchanged.
            foreach (var query in new[] { "&includeTotal=false", "&includeTotal=FALSE&fields=title" })
            {
                var page = await OkAsync(client, secret, url + query);
                Assert.Equal(new[] { "items", "page", "pageSize", "totalCount", "totalPages", "nextCursor" }, page.EnumerateObject().Select(p => p.Name));
                Assert.Equal(JsonValueKind.Null, page.GetProperty("totalCount").ValueKind);
                Assert.Equal(JsonValueKind.Null, page.GetProperty("totalPages").ValueKind);
                Assert.Equal((1, 2), (page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32()));
                Assert.Equal(new[] { "Alpha", "Beta_1" }, page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("fields").GetProperty("title").GetString()));
                var cursor = page.GetProperty("nextCursor").GetString()!;
                var rest = await OkAsync(client, secret, $"{url}{query}&cursor={Uri.EscapeDataString(cursor)}");
                Assert.Equal("c", Sorted(rest.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("slug").GetString()!)));
                Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);
                Assert.Equal(JsonValueKind.Null, rest.GetProperty("totalCount").ValueKind);
            }
            Assert.Equal(3, (await OkAsync(client, secret, url + "&includeTotal=true")).GetProperty("totalCount").GetInt32());
            Assert.Equal("includeTotal", await BadParameterAsync(client, secret, url + "&includeTotal=maybe"));

            // One page holds all (a nextCursor is sealed afresh on every answer, so a page with one never validates).
            var whole = $"/api/v1/content/{type.ApiId}?sort=title";
            var first = await client.SendAsync(ApiTestKeys.Get(whole + "&includeTotal=false", secret));
            var again = ApiTestKeys.Get(whole + "&includeTotal=false", secret);
            again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
            // The total is part of the answer: with and without it the bytes, hence the ETags, differ.
            Assert.NotEqual(first.Headers.ETag, (await client.SendAsync(ApiTestKeys.Get(whole, secret))).Headers.ETag);
        }
    }

    [Fact]
    public async Task The_total_is_cached_per_filter_and_changes_on_the_very_next_request_after_every_publication_change()
    {
        var type = await CatalogueAsync();
        var (client, secret) = await ClientAsync(type);
        using (client)
        {
            var url = $"/api/v1/content/{type.ApiId}";
            async Task<int> TotalAsync(string query)
            {
                var page = await OkAsync(client, secret, $"{url}?{query}");
                Assert.Equal(page.GetProperty("items").GetArrayLength(), page.GetProperty("totalCount").GetInt32());
                return page.GetProperty("totalCount").GetInt32();
            }
            const string active = "filter[status]=active";
            const string both = "filter[status]=active&filter[price][gt]=0";
            // The draft is never counted; the order of the conditions does not change the cached count.
            Assert.Equal(2, await TotalAsync(active));
            Assert.Equal(2, await TotalAsync(active));
            Assert.Equal(1, await TotalAsync(both));
            Assert.Equal(1, await TotalAsync("filter[price][gt]=0&filter[status]=active"));
            Assert.Equal(3, await TotalAsync(""));

            // The count is cached: index rows removed around the services (a manual repair) are not counted again...
            var a = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().ContentItems.SingleAsync(i => i.TypeApiId == type.ApiId && i.Slug == "a"));
            await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().ContentFieldValues.Where(v => v.ItemId == a.Id).ExecuteDeleteAsync());
            Assert.Equal("c", Sorted(await SlugsAsync(client, secret, $"{url}?{active}")));
            var stale = await OkAsync(client, secret, $"{url}?{active}");
            Assert.Equal(2, stale.GetProperty("totalCount").GetInt32());
            // ... until the type's index is rebuilt (or anything of the type changes, below).
            Assert.True(await factory.WithScopeAsync(sp => sp.GetRequiredService<ContentIndexer>().RebuildStaleAsync()) >= 1);
            Assert.Equal(2, await TotalAsync(active));

            // Publishing the draft, unpublishing, trashing, restoring and publishing again: each seen on the very next request.
            var draft = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().ContentItems.SingleAsync(i => i.TypeApiId == type.ApiId && i.Slug == "draft"));
            Assert.True((await factory.WithPublishingAsync(p => p.PublishAsync(new(draft.Id)))).Succeeded);
            Assert.Equal(3, await TotalAsync(active));
            Assert.Equal(2, await TotalAsync(both));
            Assert.Equal(4, await TotalAsync(""));
            Assert.True((await factory.WithPublishingAsync(p => p.UnpublishAsync(new(a.Id)))).Succeeded);
            Assert.Equal(2, await TotalAsync(active));
            Assert.Equal(1, await TotalAsync(both));
            Assert.True((await factory.WithTrashAsync(t => t.DeleteAsync(new(draft.Id)))).Succeeded);
            Assert.Equal(1, await TotalAsync(active));
            Assert.Equal(2, await TotalAsync(""));
            Assert.True((await factory.WithTrashAsync(t => t.RestoreAsync(draft.Id))).Succeeded);
            Assert.Equal(1, await TotalAsync(active));
            Assert.True((await factory.WithPublishingAsync(p => p.PublishAsync(new(draft.Id)))).Succeeded);
            Assert.Equal(2, await TotalAsync(active));

            // A draft edit of a published item is not counted until it is published.
            var b = (await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().ContentItems.AsNoTracking().SingleAsync(i => i.TypeApiId == type.ApiId && i.Slug == "b")))!;
            Assert.True((await factory.WithContentAsync((_, items) => items.SaveDraftAsync(new ContentItemInput
            {
                Id = b.Id, TypeId = type.Id, Slug = "b", ConcurrencyToken = b.ConcurrencyToken, Ja = new() { ["title"] = "Beta", ["status"] = "active", ["price"] = "3" },
            }))).Succeeded);
            Assert.Equal(2, await TotalAsync(active));
            Assert.Equal(1, await TotalAsync("filter[status]=retired"));
            Assert.True((await factory.WithPublishingAsync(p => p.PublishAsync(new(b.Id)))).Succeeded);
            Assert.Equal(3, await TotalAsync(active));
            Assert.Equal(0, await TotalAsync("filter[status]=retired"));

            // The type's fields change: its index is rebuilt and the counts follow (a removed choice counts nothing).
            var current = (await factory.WithContentAsync((types, _) => types.FindAsync(type.Id)))!;
            current.Fields = [.. current.Fields.Where(f => f.Key != "price")];
            Assert.True((await factory.WithContentAsync((types, _) => types.SaveAsync(current))).Succeeded);
            Assert.Equal("filter[price][gt]", await BadParameterAsync(client, secret, $"{url}?{both}"));
            Assert.Equal(3, await TotalAsync(active));
            Assert.Equal(JsonValueKind.Null, (await OkAsync(client, secret, $"{url}?{active}&includeTotal=false")).GetProperty("totalCount").ValueKind);
        }
    }

    [Fact]
    public async Task Stored_answers_equal_the_built_ones_byte_for_byte_and_follow_every_change_of_the_item_and_its_type()
    {
        var type = await CatalogueAsync();
        var item = await PublishedAsync(type, "d", new() { ["title"] = "デルタ <script>alert(1)</script>", ["price"] = "1.50", ["status"] = "active", ["releasedAt"] = "2026-03-01T00:00:00Z" },
            new() { ["title"] = "Delta" });
        var (client, secret) = await ClientAsync(type);
        using (client)
        {
            var url = $"/api/v1/content/{type.ApiId}";
            async Task<(byte[] Body, string? ETag)> RawAsync(string path)
            {
                var response = await client.SendAsync(ApiTestKeys.Get(path, secret));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return (await response.Content.ReadAsByteArrayAsync(), response.Headers.ETag?.Tag);
            }
            // fields= naming every active field in order takes the built path; without it the answer is copied from the stored bytes.
            async Task SamePathsAsync()
            {
                var current = await factory.WithContentAsync((types, _) => types.FindAsync(type.Id));
                var everyField = "fields=" + string.Join(",", current!.ActiveFields.Select(f => f.Key));
                foreach (var path in new[] { $"{url}/d", $"{url}/{item.Id}?lang=en", $"{url}/a", $"{url}?sort=title", $"{url}?lang=en&filter[status]=active&includeTotal=false" })
                {
                    var stored = await RawAsync(path);
                    var built = await RawAsync(path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + everyField);
                    Assert.Equal(Encoding.UTF8.GetString(built.Body), Encoding.UTF8.GetString(stored.Body));
                    Assert.Equal(built.ETag, stored.ETag);
                }
            }
            // An answer's "fields" is the stored JSON copied as it is (the id, slug and dates around it come from the item's row).
            static string FieldsOf(byte[] body)
            {
                using var document = JsonDocument.Parse(body);
                return document.RootElement.GetProperty("fields").GetRawText();
            }
            Task<Dictionary<string, byte[]>> StoredAsync() => factory.WithScopeAsync(async sp =>
                await sp.GetRequiredService<KurocoDbContext>().Set<ContentDeliveredJson>().Where(j => j.ItemId == item.Id).ToDictionaryAsync(j => j.Language, j => j.Json));

            await SamePathsAsync();
            var stored = await StoredAsync();
            Assert.Equal(new[] { "en", "ja" }, stored.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(Encoding.UTF8.GetString(stored["ja"]), FieldsOf((await RawAsync($"{url}/d")).Body));
            Assert.Equal(Encoding.UTF8.GetString(stored["en"]), FieldsOf((await RawAsync($"{url}/d?lang=en")).Body));
            var ja = Encoding.UTF8.GetString(stored["ja"]);
            Assert.Contains("デルタ \\u003Cscript\\u003E", ja, StringComparison.Ordinal);
            Assert.DoesNotContain("<script>", ja, StringComparison.Ordinal);

            // A draft edit leaves the published answer alone; publishing it rewrites the stored bytes.
            var edited = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(new ContentItemInput
            {
                Id = item.Id, TypeId = type.Id, Slug = "d", ConcurrencyToken = item.ConcurrencyToken,
                Ja = new(StringComparer.Ordinal) { ["title"] = "デルタ 2", ["price"] = "2", ["status"] = "active" },
                En = new(StringComparer.Ordinal) { ["title"] = "Delta 2" },
            }));
            Assert.True(edited.Succeeded, string.Join(" ", edited.Errors));
            // (a draft save moves the item's updatedAt, as it always did, but the stored fields stay the published ones)
            Assert.Equal(stored["ja"], (await StoredAsync())["ja"]);
            Assert.Contains("デルタ \\u003Cscript", Encoding.UTF8.GetString((await StoredAsync())["ja"]), StringComparison.Ordinal);
            Assert.DoesNotContain("デルタ 2", Encoding.UTF8.GetString((await StoredAsync())["ja"]), StringComparison.Ordinal);
            Assert.True((await factory.WithPublishingAsync(p => p.PublishAsync(new(item.Id)))).Succeeded);
            Assert.Contains("\"title\":\"デルタ 2\"", Encoding.UTF8.GetString((await StoredAsync())["ja"]), StringComparison.Ordinal);
            Assert.Equal(Encoding.UTF8.GetString((await StoredAsync())["ja"]), FieldsOf((await RawAsync($"{url}/d")).Body));

            // The type's fields change (a new field, price moved first): every item's stored answer is rewritten in the new shape.
            var current = await factory.WithContentAsync((types, _) => types.FindAsync(type.Id));
            current!.Fields = [.. current.Fields.Where(f => f.Key == "price"), .. current.Fields.Where(f => f.Key != "price"),
                new FieldDefinition { Key = "code", LabelEn = "Code", Kind = FieldKind.ShortText }];
            Assert.True((await factory.WithContentAsync((types, _) => types.SaveAsync(current))).Succeeded);
            using (var reshaped = JsonDocument.Parse((await StoredAsync())["ja"]))
            {
                var fields = reshaped.RootElement.EnumerateObject().Select(p => p.Name).ToList();
                Assert.Equal("price", fields[0]);
                Assert.Equal("code", fields[^1]);
            }
            await SamePathsAsync();

            // Unpublished or deleted: no stored answer and a 404; published again: back.
            Assert.True((await factory.WithPublishingAsync(p => p.UnpublishAsync(new(item.Id)))).Succeeded);
            Assert.Empty(await StoredAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(ApiTestKeys.Get($"{url}/d", secret))).StatusCode);
            Assert.True((await factory.WithPublishingAsync(p => p.PublishAsync(new(item.Id)))).Succeeded);
            Assert.Equal(2, (await StoredAsync()).Count);
            Assert.True((await factory.WithTrashAsync(t => t.DeleteAsync(new(item.Id)))).Succeeded);
            Assert.Empty(await StoredAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(ApiTestKeys.Get($"{url}/d", secret))).StatusCode);

            // A database from before the stored answers: served the same (built on the fly), and filled in by the start-up check.
            var before = await RawAsync($"{url}?sort=title");
            Task<int> TypeRowsAsync(bool delete) => factory.WithScopeAsync(sp =>
            {
                var db = sp.GetRequiredService<KurocoDbContext>();
                var rows = db.Set<ContentDeliveredJson>().Where(j => db.ContentItems.Any(i => i.Id == j.ItemId && i.TypeApiId == type.ApiId));
                return delete ? rows.ExecuteDeleteAsync() : rows.CountAsync();
            });
            Assert.Equal(3, await TypeRowsAsync(delete: true));
            var built = await RawAsync($"{url}?sort=title");
            Assert.Equal(before.Body, built.Body);
            Assert.Equal(before.ETag, built.ETag);
            Assert.True(await factory.WithScopeAsync(sp => sp.GetRequiredService<ContentIndexer>().RebuildStaleAsync()) >= 1);
            Assert.Equal(3, await TypeRowsAsync(delete: false));
            Assert.Equal(before.Body, (await RawAsync($"{url}?sort=title")).Body);
        }
    }

    public static TheoryData<string> Payloads() =>
    [
        "' OR 1=1--", "\"; DROP TABLE ContentItems;--", "'; DELETE FROM ContentFieldValues;--", "%", "_", "\\", "%_%", "’ OR ‘1’=‘1",
        "＇ OR １=１", "1; SELECT * FROM AspNetUsers", "\0", "a\0b", "') OR ('a'='a", "*/ OR /*", new string('x', 5000), new string('%', 1200),
    ];

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task Sql_injection_strings_in_every_parameter_get_400_or_a_normal_answer_and_change_nothing(string payload)
    {
        var type = await CatalogueAsync();
        var counts = await CountsAsync();
        // A key for every type: a payload in the type position is then an unknown type (404), not someone else's (403).
        var (_, secret) = await factory.CreateKeyAsync("Website");
        using (var client = factory.CreateClient())
        {
            var p = Uri.EscapeDataString(payload.Length > 3000 ? payload[..3000] : payload);
            var list = $"/api/v1/content/{type.ApiId}";
            // A NUL in the path never reaches the app (the server's URL decoder refuses it: Kestrel answers 400); in the query it does.
            string[] paths = payload.Contains('\0', StringComparison.Ordinal) ? [] : [$"/api/v1/content/{p}", $"/api/v1/content/{p}/a", $"{list}/{p}"];
            string[] urls =
            [
                .. paths,
                $"{list}?page={p}", $"{list}?pageSize={p}", $"{list}?lang={p}",
                $"{list}?filter[{p}]=1", $"{list}?filter[title][{p}]=1", $"{list}?{p}=1", $"{list}?filter{p}=1",
                $"{list}?filter[title]={p}", $"{list}?filter[title][contains]={p}", $"{list}?filter[title][in]={p},{p}", $"{list}?filter[title][ne]={p}",
                $"{list}?filter[body][contains]={p}", $"{list}?filter[price][lt]={p}", $"{list}?filter[releasedAt][gt]={p}",
                $"{list}?filter[featured]={p}", $"{list}?filter[image]={p}", $"{list}?filter[colors][contains]={p}", $"{list}?filter[slug]={p}",
                $"{list}?sort={p}", $"{list}?sort=-{p}", $"{list}?tag={p}", $"{list}?publishedFrom={p}", $"{list}?publishedTo={p}", $"{list}?cursor={p}",
            ];
            foreach (var url in urls)
            {
                var response = await client.SendAsync(ApiTestKeys.Get(url, secret));
                var status = response.StatusCode;
                Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{url} → {(int)status}");
                if (status == HttpStatusCode.OK && url.StartsWith(list + "?filter[title]", StringComparison.Ordinal))
                {
                    var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    var slugs = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("slug").GetString()).ToList();
                    // Nothing matches a payload, except "not equal", which matches all three.
                    Assert.Equal(url.Contains("[ne]", StringComparison.Ordinal) ? 3 : payload == "_" && url.Contains("[contains]", StringComparison.Ordinal) ? 1 : 0, slugs.Count);
                }
            }
            Assert.Equal(counts, await CountsAsync());
            Assert.Equal("a", (await OkAsync(client, secret, $"{list}/a")).GetProperty("slug").GetString());
            Assert.Equal("a,c", Sorted(await SlugsAsync(client, secret, $"{list}?filter[status]=active")));
        }
    }

    private Task<(int Items, int Types, int Values, int Users)> CountsAsync() => factory.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        return (await db.ContentItems.CountAsync(), await db.ContentTypes.CountAsync(), await db.ContentFieldValues.CountAsync(), await db.Users.CountAsync());
    });
}
