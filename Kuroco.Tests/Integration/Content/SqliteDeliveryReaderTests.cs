using System.Globalization;
using Kuroco.Core.Content;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuroco.Tests.Integration.Content;

/// <summary>
/// The delivery API's hand-written SQLite reads (PublishedContentReader.Sqlite.cs, on prepared statements kept per connection)
/// against the EF queries they replace on SQLite (and which SQL Server still runs), on the same real SQLite file: every page of
/// every filter, sort, cursor, language and audience, and every item by slug and id, must be the same items, bytes, totals and
/// cursors.
/// </summary>
public sealed class SqliteDeliveryReaderTests(DeliveryQueryAppFactory factory) : IClassFixture<DeliveryQueryAppFactory>
{
    private static readonly string[] Statuses = ["active", "retired", "sold out"];
    private static readonly string[] Tags = ["news", "sale", "tokyo", "kyoto"];
    private static readonly string[] Colors = ["red", "green", "blue"];

    [Fact]
    public async Task Hand_written_sql_answers_exactly_as_the_ef_queries_for_every_filter_sort_cursor_language_and_audience()
    {
        var (type, slugs, premium, regular) = await CatalogueAsync();
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<KurocoDbContext>>();
        var options = factory.Services.GetRequiredService<IOptions<ContentOptions>>();
        var sessions = factory.Services.GetRequiredService<SqliteReadSessions>();
        var sqlite = new PublishedContentReader(contexts, options, new DeliveryCounts(TimeProvider.System), sessions);
        var ef = new PublishedContentReader(contexts, options, new DeliveryCounts(TimeProvider.System));

        string[] queries =
        [
            "",
            "sort=price",
            "sort=-price,title",
            "sort=status,-price,releasedAt",
            "sort=-releasedAt&filter[status]=active",
            "filter[status][ne]=active&sort=title",
            "filter[price][lt]=50&sort=-price",
            "filter[price][gt]=20&filter[price][lt]=70&sort=price,-title",
            "filter[price][in]=10,20,30,40",
            "filter[status][in]=active,sold out&sort=-updatedAt",
            "filter[title][contains]=item 1",
            "filter[title][eq]=Item 7",
            "tag=news",
            "tag=news&tag=sale&sort=slug",
            "filter[colors][contains]=red&sort=-price",
            "filter[featured]=true&sort=-releasedAt,price",
            "filter[featured][ne]=true",
            "filter[releasedAt][gt]=2026-03-01T00:00:00Z&sort=releasedAt",
            "publishedFrom=2026-11-26T00:00:10Z&publishedTo=2026-11-26T00:00:30Z",
            "filter[slug][in]=item-03,item-11,item-20,nothing",
            "filter[price][eq]=999",
        ];
        var audiences = new[]
        {
            ContentAudience.Anonymous,
            ContentAudience.Member(Guid.NewGuid(), [premium]),
            ContentAudience.Member(Guid.NewGuid(), [premium, regular]),
        };
        var compared = 0;
        foreach (var text in queries)
        {
            var (parsed, error) = DeliveryQueryParser.Parse(type, Parameters(text));
            Assert.True(error is null, $"{text}: {error?.Detail}");
            foreach (var language in new[] { ContentLanguages.Japanese, ContentLanguages.English })
            {
                foreach (var audience in audiences)
                {
                    foreach (var counted in new[] { true, false })
                    {
                        var query = parsed! with { IncludeTotal = counted };
                        var where = $"[{text}] lang={language} groups={audience.Groups.Count} total={counted}";
                        // Keyset paging: follow the cursors to the end.
                        DeliveryPosition? after = null;
                        for (var page = 0; page < 20; page++)
                        {
                            var expected = await ef.QueryJsonAsync(type, language, query, after, 0, 7, audience);
                            var actual = await sqlite.QueryJsonAsync(type, language, query, after, 0, 7, audience);
                            compared += Same(expected, actual, $"{where} cursor page {page}");
                            if (expected.Next is null)
                            {
                                break;
                            }
                            after = expected.Next;
                        }
                        // Page numbers, including one past the end.
                        foreach (var page in new[] { 0, 1, 2, 6 })
                        {
                            compared += Same(await ef.QueryJsonAsync(type, language, query, null, page, 5, audience),
                                await sqlite.QueryJsonAsync(type, language, query, null, page, 5, audience), $"{where} page {page}");
                        }
                    }
                }
            }
        }
        // Not vacuous: thousands of items were compared, across pages that were not empty.
        Assert.True(compared > 2_000, $"only {compared} items compared");

        var found = 0;
        foreach (var (slug, id) in slugs.Append(("nothing", Guid.NewGuid())))
        {
            foreach (var language in new[] { ContentLanguages.Japanese, ContentLanguages.English })
            {
                foreach (var audience in audiences)
                {
                    foreach (var key in new[] { slug, id.ToString("D"), id.ToString("N"), id.ToString("D").ToUpperInvariant() })
                    {
                        var expected = await ef.FindJsonAsync(type, key, language, audience);
                        var actual = await sqlite.FindJsonAsync(type, key, language, audience);
                        SameItem(expected, actual, $"{key} lang={language} groups={audience.Groups.Count}");
                        found += expected is null ? 0 : 1;
                    }
                }
            }
        }
        Assert.True(found > 300, $"only {found} items found");
    }

    [Fact]
    public async Task The_kept_connections_cannot_write_and_a_failed_query_does_not_go_back_to_the_pool()
    {
        var sessions = factory.Services.GetRequiredService<SqliteReadSessions>();
        await factory.CreateTypeAsync("rw" + Guid.NewGuid().ToString("N")[..8]);
        using (var session = sessions.Lease())
        {
            var write = session.Command("UPDATE \"ContentTypes\" SET \"Name\" = @p0", 1);
            write.Parameters[0].Value = "changed";
            var refused = Assert.Throws<SqliteException>(() => write.ExecuteNonQuery());
            Assert.Contains("readonly", refused.Message, StringComparison.OrdinalIgnoreCase);
            session.Fail();
        }
        var names = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().ContentTypes.Select(t => t.Name).ToListAsync());
        Assert.DoesNotContain("changed", names);

        // The same statement text comes back prepared on a session that was returned whole.
        SqliteCommand first;
        using (var session = sessions.Lease())
        {
            first = session.Command("SELECT count(*) FROM \"ContentTypes\" WHERE \"Name\" <> @p0", 1);
            first.Parameters[0].Value = "x";
            Assert.True(Convert.ToInt64(first.ExecuteScalar(), CultureInfo.InvariantCulture) > 0);
        }
        using (var session = sessions.Lease())
        {
            Assert.Same(first, session.Command("SELECT count(*) FROM \"ContentTypes\" WHERE \"Name\" <> @p0", 1));
        }
    }

    private static int Same(DeliveryJsonResult expected, DeliveryJsonResult actual, string where)
    {
        Assert.True(expected.TotalCount == actual.TotalCount, $"{where}: total {expected.TotalCount} vs {actual.TotalCount}");
        Assert.True(expected.Items.Count == actual.Items.Count,
            $"{where}: [{string.Join(",", expected.Items.Select(i => i.Slug))}] vs [{string.Join(",", actual.Items.Select(i => i.Slug))}]");
        for (var i = 0; i < expected.Items.Count; i++)
        {
            SameItem(expected.Items[i], actual.Items[i], $"{where} item {i}");
        }
        Assert.True(expected.Next?.Id == actual.Next?.Id && string.Join("|", expected.Next?.Values ?? []) == string.Join("|", actual.Next?.Values ?? []),
            $"{where}: next {expected.Next?.Id} [{string.Join("|", expected.Next?.Values ?? [])}] vs {actual.Next?.Id} [{string.Join("|", actual.Next?.Values ?? [])}]");
        return expected.Items.Count;
    }

    private static void SameItem(StoredDelivery? expected, StoredDelivery? actual, string where)
    {
        Assert.True((expected is null) == (actual is null), $"{where}: {expected?.Slug ?? "none"} vs {actual?.Slug ?? "none"}");
        if (expected is null || actual is null)
        {
            return;
        }
        Assert.Equal(expected with { Fields = [] }, actual with { Fields = [] });
        Assert.Equal(DateTimeKind.Utc, actual.PublishedAtUtc.Kind);
        Assert.True(expected.Fields.AsSpan().SequenceEqual(actual.Fields), $"{where}: the stored fields differ");
    }

    private static IEnumerable<KeyValuePair<string, string?[]>> Parameters(string query) =>
        query.Length == 0 ? [] : query.Split('&').Select(p => p.Split('=', 2)).GroupBy(p => p[0], p => p[1])
            .Select(g => KeyValuePair.Create(g.Key, g.Select(v => (string?)v).ToArray()));

    /// <summary>
    /// 36 items over every kind of field: ties on price and status, missing dates, English on some, restricted to one of two member
    /// groups on some (and the whole type open), two drafts and one in the trash.
    /// </summary>
    private async Task<(ContentType Type, List<(string Slug, Guid Id)> Slugs, Guid Premium, Guid Regular)> CatalogueAsync()
    {
        var premium = await GroupAsync("Premium");
        var regular = await GroupAsync("Regular");
        var apiId = "sq" + Guid.NewGuid().ToString("N")[..8];
        var type = await factory.WithContentAsync(async (types, _) =>
        {
            var result = await types.SaveAsync(new ContentType
            {
                Name = "Catalogue " + apiId,
                ApiId = apiId,
                Fields =
                [
                    new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText },
                    new FieldDefinition { Key = "price", LabelEn = "Price", Kind = FieldKind.Number },
                    new FieldDefinition { Key = "status", LabelEn = "Status", Kind = FieldKind.SingleChoice, Choices = [.. Statuses] },
                    new FieldDefinition { Key = "releasedAt", LabelEn = "Released", Kind = FieldKind.DateTime },
                    new FieldDefinition { Key = "featured", LabelEn = "Featured", Kind = FieldKind.Boolean },
                    new FieldDefinition { Key = "colors", LabelEn = "Colors", Kind = FieldKind.MultipleChoice, Choices = [.. Colors] },
                    new FieldDefinition { Key = "tags", LabelEn = "Tags", Kind = FieldKind.Tags },
                    new FieldDefinition { Key = "body", LabelEn = "Body", Kind = FieldKind.RichText },
                ],
            });
            Assert.True(result.Succeeded, string.Join(" ", result.Errors));
            return result.Value!;
        });
        var random = new Random(15);
        var slugs = new List<(string, Guid)>();
        for (var n = 0; n < 36; n++)
        {
            var slug = "item-" + n.ToString("00", CultureInfo.InvariantCulture);
            Dictionary<string, string?> Values(string title) => new(StringComparer.Ordinal)
            {
                ["title"] = title,
                ["price"] = (10 * random.Next(0, 9)).ToString(CultureInfo.InvariantCulture),
                ["status"] = Statuses[random.Next(Statuses.Length)],
                ["releasedAt"] = n % 5 == 0 ? null : new DateTime(2026, 1 + random.Next(0, 6), 1 + random.Next(0, 27), 9, 0, 0, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture),
                ["featured"] = random.Next(2) == 0 ? "true" : "false",
                ["colors"] = string.Join("\n", Colors.Where(_ => random.Next(2) == 0)),
                ["tags"] = string.Join("\n", Tags.Where(_ => random.Next(3) == 0)),
                ["body"] = "<p>Body " + n.ToString(CultureInfo.InvariantCulture) + "</p>",
            };
            var input = new ContentItemInput
            {
                TypeId = type.Id,
                Slug = slug,
                Ja = Values("Item " + n.ToString(CultureInfo.InvariantCulture)),
                En = n % 3 == 0 ? Values("English item " + n.ToString(CultureInfo.InvariantCulture)) : new(StringComparer.Ordinal),
                RestrictedToGroups = n % 7 == 1 ? [premium] : n % 7 == 2 ? [regular] : [],
            };
            var saved = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(input));
            Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
            slugs.Add((slug, saved.Value!.Id));
            if (n is 4 or 9)
            {
                continue;
            }
            var published = await factory.WithPublishingAsync(p => p.PublishAsync(new(saved.Value!.Id)));
            Assert.True(published.Succeeded, string.Join(" ", published.Errors));
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        var trashed = await factory.WithTrashAsync(t => t.DeleteAsync(new(slugs[13].Item2)));
        Assert.True(trashed.Succeeded, string.Join(" ", trashed.Errors));
        return (type, slugs, premium, regular);
    }

    private Task<Guid> GroupAsync(string name) => factory.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        var group = new MemberGroup { Id = Guid.NewGuid(), NameJa = name + "（日本語）", NameEn = name + " " + Guid.NewGuid().ToString("N")[..6], CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow };
        db.MemberGroups.Add(group);
        await db.SaveChangesAsync();
        return group.Id;
    });
}
