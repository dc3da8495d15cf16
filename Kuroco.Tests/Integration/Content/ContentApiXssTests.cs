using System.Net;
using System.Text.Json;
using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Kuroco.Tests.Integration.Api;

namespace Kuroco.Tests.Integration.Content;

/// <summary>
/// XSS payloads saved in every field kind through the real services never come out of the JSON API as
/// active markup: rich text is sanitized, everything else is data (JSON-encoded, served as JSON with nosniff),
/// kinds that cannot hold text refuse the payload, and problems that echo a parameter escape it.
/// </summary>
public sealed class ContentApiXssTests(ContentAppFactory factory) : IClassFixture<ContentAppFactory>
{
    private const string Script = "<script>alert(1)</script>";
    private const string Image = "<img src=x onerror=alert(1)>";
    private const string Link = "<a href=\"javascript:alert(1)\" onclick=\"alert(1)\">x</a>";
    private const string Payload = Script + Image + Link + "\"'><svg/onload=alert(1)>";

    private static readonly string[] ActiveMarkup = ["<script", "onerror", "onclick", "onload", "javascript:", "<svg", "style="];

    private static string Api(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    private static void AssertNoRawMarkup(string body)
    {
        // The JSON encoder writes < > & ' as \u003C … so no markup can be sniffed out of the bytes at all.
        Assert.DoesNotContain('<', body);
        Assert.DoesNotContain('>', body);
    }

    private static void AssertJsonAnswer(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Payloads_in_every_field_kind_come_out_as_data_or_sanitized_and_never_as_markup()
    {
        var targetType = await factory.WithContentAsync(async (types, _) => (await types.SaveAsync(new ContentType
        {
            Name = "Targets",
            ApiId = Api("xt"),
            Fields = [new FieldDefinition { Key = "name", LabelEn = "Name", Kind = FieldKind.ShortText, Required = true }, new FieldDefinition { Key = "html", LabelEn = "Html", Kind = FieldKind.RichText }],
        })).Value!);
        var type = await factory.WithContentAsync(async (types, _) =>
        {
            var saved = await types.SaveAsync(new ContentType
            {
                Name = "Every kind",
                ApiId = Api("xk"),
                Fields =
                [
                    new FieldDefinition { Key = "short", LabelEn = "Short", Kind = FieldKind.ShortText, Required = true },
                    new FieldDefinition { Key = "long", LabelEn = "Long", Kind = FieldKind.LongText },
                    new FieldDefinition { Key = "rich", LabelEn = "Rich", Kind = FieldKind.RichText },
                    new FieldDefinition { Key = "md", LabelEn = "Markdown", Kind = FieldKind.Markdown },
                    new FieldDefinition { Key = "number", LabelEn = "Number", Kind = FieldKind.Number },
                    new FieldDefinition { Key = "flag", LabelEn = "Flag", Kind = FieldKind.Boolean },
                    new FieldDefinition { Key = "when", LabelEn = "When", Kind = FieldKind.DateTime },
                    new FieldDefinition { Key = "one", LabelEn = "One", Kind = FieldKind.SingleChoice, Choices = [Image, "plain"] },
                    new FieldDefinition { Key = "many", LabelEn = "Many", Kind = FieldKind.MultipleChoice, Choices = [Script, Image, "plain"] },
                    new FieldDefinition { Key = "tags", LabelEn = "Tags", Kind = FieldKind.Tags },
                    new FieldDefinition { Key = "media", LabelEn = "Media", Kind = FieldKind.Media },
                    new FieldDefinition { Key = "ref", LabelEn = "Ref", Kind = FieldKind.Reference, ReferenceTypeApiId = targetType.ApiId },
                ],
            });
            Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
            return saved.Value!;
        });

        var target = await factory.WithContentAsync(async (_, items) =>
        {
            var input = new ContentItemInput { TypeId = targetType.Id, Slug = "target" };
            input.Ja["name"] = Payload;
            input.Ja["html"] = "<p>ok</p>" + Payload;
            var saved = await items.SaveDraftAsync(input);
            Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
            return (await factory.WithPublishingAsync(p => p.PublishAsync(new(saved.Value!.Id)))).Value!;
        });

        // Kinds that cannot hold text refuse the payload, and so does the slug: nothing is saved.
        foreach (var (field, slug) in new[] { ("number", "ok-slug"), ("flag", "ok-slug"), ("when", "ok-slug"), ("media", "ok-slug"), ("ref", "ok-slug"), ("one", "ok-slug"), ("many", "ok-slug"), ("short", Script) })
        {
            var refused = await factory.WithContentAsync((_, items) =>
            {
                var input = new ContentItemInput { TypeId = type.Id, Slug = slug };
                input.Ja["short"] = "fine";
                input.Ja[field] = field == "many" ? "<b>not a choice</b>" : field == "one" ? Script : field == "short" ? "fine" : Payload;
                return items.SaveDraftAsync(input);
            });
            Assert.False(refused.Succeeded, field);
        }

        var item = await factory.WithContentAsync(async (_, items) =>
        {
            var input = new ContentItemInput { TypeId = type.Id, Slug = "xss-everywhere" };
            input.Ja["short"] = Payload;
            input.Ja["long"] = Payload + "\n" + Payload;
            input.Ja["rich"] = "<p>Hello</p>" + Payload + "<p style=\"background:url(javascript:alert(1))\">styled</p>";
            input.Ja["md"] = "# Title\n\n" + Payload + "\n\n[click](javascript:alert(1))";
            input.Ja["number"] = "12.5";
            input.Ja["flag"] = "true";
            input.Ja["when"] = "2026-11-26T00:00:00.0000000Z";
            input.Ja["one"] = Image;
            input.Ja["many"] = Script + "\n" + Image;
            input.Ja["tags"] = Script + "\n" + Image + "\n" + "javascript:alert(1)";
            input.Ja["media"] = Guid.NewGuid().ToString();
            input.Ja["ref"] = target.Id.ToString();
            var saved = await items.SaveDraftAsync(input);
            Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
            var published = await factory.WithPublishingAsync(p => p.PublishAsync(new(saved.Value!.Id)));
            Assert.True(published.Succeeded, string.Join(" ", published.Errors));
            return published.Value!;
        });
        var (_, key) = await factory.CreateKeyAsync("Website", ApiAccess.Read, [type.ApiId, targetType.ApiId]);
        using var client = factory.CreateClient();

        foreach (var path in new[] { $"/api/v1/content/{type.ApiId}?expand=ref", $"/api/v1/content/{type.ApiId}/{item.Slug}?expand=*", $"/api/v1/content/{type.ApiId}/{item.Id}" })
        {
            var response = await client.SendAsync(ApiTestKeys.Get(path, key));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertJsonAnswer(response);
            var body = await response.Content.ReadAsStringAsync();
            AssertNoRawMarkup(body);
            var root = JsonDocument.Parse(body).RootElement;
            var fields = (root.TryGetProperty("items", out var items) ? items[0] : root).GetProperty("fields");

            // Rich text: sanitized on save, so not even the decoded value has active markup (in the expanded item too).
            var rich = fields.GetProperty("rich").GetString()!;
            Assert.Contains("<p>Hello</p>", rich, StringComparison.Ordinal);
            foreach (var active in ActiveMarkup)
            {
                Assert.DoesNotContain(active, rich, StringComparison.OrdinalIgnoreCase);
            }
            if (fields.GetProperty("ref").ValueKind == JsonValueKind.Object)
            {
                var html = fields.GetProperty("ref").GetProperty("fields").GetProperty("html").GetString()!;
                Assert.Contains("<p>ok</p>", html, StringComparison.Ordinal);
                Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("onerror", html, StringComparison.OrdinalIgnoreCase);
                Assert.Equal(Payload, fields.GetProperty("ref").GetProperty("fields").GetProperty("name").GetString());
            }
            // Everything else is data: exactly what was typed, for the website to encode where it shows it.
            Assert.Equal(Payload, fields.GetProperty("short").GetString());
            Assert.Equal(Payload + "\n" + Payload, fields.GetProperty("long").GetString());
            Assert.Contains(Payload, fields.GetProperty("md").GetString(), StringComparison.Ordinal);
            Assert.Equal(12.5m, fields.GetProperty("number").GetDecimal());
            Assert.True(fields.GetProperty("flag").GetBoolean());
            Assert.Equal(Image, fields.GetProperty("one").GetString());
            Assert.Equal([Script, Image], fields.GetProperty("many").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal([Script, Image, "javascript:alert(1)"], fields.GetProperty("tags").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(JsonValueKind.String, fields.GetProperty("media").ValueKind);
            Assert.True(Guid.TryParse(fields.GetProperty("media").GetString(), out _));
        }
    }

    [Theory]
    [InlineData("?fields=%3Cscript%3Ealert(1)%3C/script%3E", "fields")]
    [InlineData("?expand=%3Cimg%20src=x%20onerror=alert(1)%3E", "expand")]
    [InlineData("?lang=%3Cscript%3E", "lang")]
    [InlineData("?page=%3Csvg/onload=alert(1)%3E", "page")]
    [InlineData("/%3Cscript%3Ealert(1)%3C%2Fscript%3E", null)]
    public async Task Problems_that_echo_a_bad_parameter_never_carry_raw_markup(string suffix, string? parameter)
    {
        var type = await factory.WithContentAsync(async (types, _) => (await types.SaveAsync(new ContentType
        {
            Name = "Echo",
            ApiId = Api("xe"),
            Fields = [new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText }],
        })).Value!);
        var (_, key) = await factory.CreateKeyAsync("Website", ApiAccess.Read, [type.ApiId]);
        using var client = factory.CreateClient();

        var response = await client.SendAsync(ApiTestKeys.Get($"/api/v1/content/{type.ApiId}{suffix}", key));

        Assert.Equal(parameter is null ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var body = await response.Content.ReadAsStringAsync();
        AssertNoRawMarkup(body);
        if (parameter is not null)
        {
            Assert.Equal(parameter, JsonDocument.Parse(body).RootElement.GetProperty("parameter").GetString());
        }
    }

    [Fact]
    public async Task An_unknown_type_named_with_markup_is_echoed_escaped()
    {
        var (_, key) = await factory.CreateKeyAsync("Every type");
        using var client = factory.CreateClient();

        var response = await client.SendAsync(ApiTestKeys.Get("/api/v1/content/%3Cscript%3Ealert(1)%3C%2Fscript%3E", key));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        AssertNoRawMarkup(await response.Content.ReadAsStringAsync());
    }
}
