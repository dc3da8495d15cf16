using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Kuroco.Tests.Integration.Api;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Content;

/// <summary>
/// The management API leaves the rules to the services: one read of the item per change (counted on the real SQLite
/// commands), and each kind of refusal answered with its status code.
/// </summary>
public sealed partial class ContentManagementRulesTests(ContentManagementRulesTests.Factory factory) : IClassFixture<ContentManagementRulesTests.Factory>
{
    /// <summary>The content app with every SELECT that reads one item by its id counted.</summary>
    public sealed class Factory : ContentAppFactory
    {
        public Factory()
        {
            var content = TestServices;
            TestServices = services =>
            {
                content?.Invoke(services);
                services.AddSingleton<IInterceptor>(Reads);
            };
        }

        public ItemReads Reads { get; } = new();
    }

    /// <summary>Counts the queries that read a content item by its id (<c>SELECT … FROM "ContentItems" … WHERE … "Id" = @p</c> with @p that id).</summary>
    public sealed partial class ItemReads : DbCommandInterceptor
    {
        private readonly ConcurrentDictionary<Guid, int> counts = new();

        public int Of(Guid id) => counts.GetValueOrDefault(id);

        public void Reset(Guid id) => counts.TryRemove(id, out _);

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Count(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return ValueTask.FromResult(result);
        }

        private void Count(DbCommand command)
        {
            var sql = command.CommandText;
            if (!sql.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || !sql.Contains("FROM \"ContentItems\"", StringComparison.Ordinal))
            {
                return;
            }
            foreach (DbParameter parameter in command.Parameters)
            {
                var id = parameter.Value switch
                {
                    Guid g => g,
                    string s when Guid.TryParse(s, out var g) => g,
                    _ => (Guid?)null,
                };
                if (id is { } itemId && IdEquals().Matches(sql).Any(m => m.Groups[1].Value == parameter.ParameterName.TrimStart('@')))
                {
                    counts.AddOrUpdate(itemId, 1, (_, n) => n + 1);
                }
            }
        }

        [GeneratedRegex("\"Id\" = @(\\w+)")]
        private static partial Regex IdEquals();
    }

    private static string Api() => "r" + Guid.NewGuid().ToString("N")[..10];

    private static string Path(ContentType type, Guid? id = null, string? action = null) =>
        $"/api/v1/manage/content/{type.ApiId}" + (id is null ? "" : "/" + id) + (action is null ? "" : "/" + action);

    private static HttpRequestMessage Send(HttpMethod method, string path, string key, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-API-Key", key);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }
        return request;
    }

    private static string ETag(ContentItem item) => "\"" + item.ConcurrencyToken.ToString("N") + "\"";

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<(ContentType Type, string Key, HttpClient Client)> SetUpAsync()
    {
        var type = await factory.CreateTypeAsync(Api());
        var (_, key) = await factory.CreateKeyAsync("Importer", ApiAccess.Write, [type.ApiId]);
        return (type, key, factory.CreateClient());
    }

    private Task<ContentItem> FindAsync(Guid id) => factory.WithContentAsync(async (_, items) => (await items.FindAsync(id))!);

    [Fact]
    public async Task A_management_publish_reads_the_item_once()
    {
        var (type, key, client) = await SetUpAsync();
        var item = await factory.CreateItemAsync(type, "read-once", "Read once");
        factory.Reads.Reset(item.Id);

        var response = await client.SendAsync(Send(HttpMethod.Post, Path(type, item.Id, "publish"), key, ifMatch: ETag(item)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, factory.Reads.Of(item.Id));
        Assert.Equal(ContentStatus.Published, (await FindAsync(item.Id)).Status);
    }

    [Fact]
    public async Task An_update_that_publishes_an_unpublish_and_a_delete_each_read_the_item_once()
    {
        var (type, key, client) = await SetUpAsync();
        var item = await factory.CreateItemAsync(type, "each-once", "Each once");

        factory.Reads.Reset(item.Id);
        var updated = await client.SendAsync(Send(HttpMethod.Put, Path(type, item.Id), key, new { fields = new { en = new { title = "English" } }, publish = true }, ETag(item)));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(1, factory.Reads.Of(item.Id));
        var published = await FindAsync(item.Id);
        Assert.Equal(ContentStatus.Published, published.Status);
        Assert.Equal("each-once", published.Slug); // omitted: kept from the one read
        Assert.Equal("Each once", ContentValues.Parse(published.PublishedJa)["title"]);
        Assert.Equal("English", ContentValues.Parse(published.PublishedEn)["title"]);

        factory.Reads.Reset(item.Id);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Send(HttpMethod.Post, Path(type, item.Id, "unpublish"), key, ifMatch: ETag(published)))).StatusCode);
        Assert.Equal(1, factory.Reads.Of(item.Id));

        var draft = await FindAsync(item.Id);
        factory.Reads.Reset(item.Id);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Send(HttpMethod.Delete, Path(type, item.Id), key, ifMatch: ETag(draft)))).StatusCode);
        Assert.Equal(1, factory.Reads.Of(item.Id));
    }

    [Fact]
    public async Task A_missing_if_match_on_update_is_428_and_changes_nothing()
    {
        var (type, key, client) = await SetUpAsync();
        var item = await factory.CreateItemAsync(type, "no-if-match", "Before");

        var problem = await ProblemAsync(await client.SendAsync(Send(HttpMethod.Put, Path(type, item.Id), key, new { fields = new { ja = new { title = "After" } } })), (HttpStatusCode)428);

        Assert.Contains("If-Match", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(item.ConcurrencyToken, (await FindAsync(item.Id)).ConcurrencyToken);
    }

    [Fact]
    public async Task A_stale_if_match_is_412_on_publish_unpublish_and_delete_and_changes_nothing()
    {
        var (type, key, client) = await SetUpAsync();
        var item = await factory.CreateItemAsync(type, "stale", "Stale");
        var stale = "\"" + Guid.NewGuid().ToString("N") + "\"";

        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type, item.Id, "publish"), key, ifMatch: stale)), HttpStatusCode.PreconditionFailed);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type, item.Id, "unpublish"), key, ifMatch: stale)), HttpStatusCode.PreconditionFailed);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Delete, Path(type, item.Id), key, ifMatch: stale)), HttpStatusCode.PreconditionFailed);

        var unchanged = await FindAsync(item.Id);
        Assert.Equal(ContentStatus.Draft, unchanged.Status);
        Assert.False(unchanged.IsInTrash);
        Assert.Equal(item.ConcurrencyToken, unchanged.ConcurrencyToken);
    }

    [Fact]
    public async Task A_state_that_refuses_the_step_is_409()
    {
        var (type, key, client) = await SetUpAsync();
        var item = await factory.CreateItemAsync(type, "draft-only", "Draft only");

        var problem = await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type, item.Id, "unpublish"), key)), HttpStatusCode.Conflict);

        Assert.Contains("not published", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_item_in_the_trash_or_of_another_type_is_404_and_is_not_changed()
    {
        var (type, key, client) = await SetUpAsync();
        var other = await factory.CreateTypeAsync(Api());
        var foreign = await factory.CreateItemAsync(other, "foreign", "Another type's item");
        var trashed = await factory.CreateItemAsync(type, "trashed", "Trashed");
        Assert.True((await factory.WithTrashAsync(t => t.DeleteAsync(new(trashed.Id)))).Succeeded);

        // The key may write "type" only: an item of another type under its URL is not there.
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type, foreign.Id, "publish"), key)), HttpStatusCode.NotFound);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Delete, Path(type, foreign.Id), key)), HttpStatusCode.NotFound);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Put, Path(type, foreign.Id), key, new { slug = "stolen" }, ETag(foreign))), HttpStatusCode.NotFound);
        await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type, trashed.Id, "publish"), key)), HttpStatusCode.NotFound);

        var untouched = await FindAsync(foreign.Id);
        Assert.Equal(ContentStatus.Draft, untouched.Status);
        Assert.Equal("foreign", untouched.Slug);
        Assert.False(untouched.IsInTrash);
        Assert.Equal(ContentStatus.Draft, (await FindAsync(trashed.Id)).Status);
    }

    [Fact]
    public async Task A_working_copy_that_no_longer_passes_its_type_is_400_on_publish_keyed_like_the_body()
    {
        var (type, key, client) = await SetUpAsync();
        var item = await factory.CreateItemAsync(type, "no-price", "Saved without a price");
        // The type makes a field required after the item was saved: publishing checks the working copy again.
        var tightened = await factory.WithContentAsync(async (types, _) =>
        {
            var stored = (await types.FindAsync(type.Id))!;
            stored.Fields.Single(f => f.Key == "price").Required = true;
            return await types.SaveAsync(stored);
        });
        Assert.True(tightened.Succeeded, tightened.Message);

        var problem = await ProblemAsync(await client.SendAsync(Send(HttpMethod.Post, Path(type, item.Id, "publish"), key)), HttpStatusCode.BadRequest);

        Assert.Equal(["fields.ja.price"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(ContentStatus.Draft, (await FindAsync(item.Id)).Status);
    }
}
