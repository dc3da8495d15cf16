using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Api;
using Kuroco.Tests.Integration.Content;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Members;

/// <summary>
/// Member-only content through the real pipeline, database and output cache: a restricted item reaches a member of an allowed
/// group only, and leaks to nobody else — not through lists, totals, cursors, direct reads, expansion, entity tags or the shared
/// output cache, nor with the token of a member who is expired, signed out or suspended.
/// </summary>
public sealed class MemberContentAccessTests(MemberContentAccessTests.Factory factory) : IClassFixture<MemberContentAccessTests.Factory>
{
    /// <summary>The content factory (output cache on, as in production) with its clock at the real time, so issued tokens validate.</summary>
    public sealed class Factory : ContentAppFactory
    {
        public Factory() => Clock.SetUtcNow(DateTimeOffset.UtcNow);
    }

    private const string Secret = "Premium only: the secret recipe";

    private static string Api() => "r" + Guid.NewGuid().ToString("N")[..10];

    private Task<MemberGroup> GroupAsync(string en) => factory.WithScopeAsync(async sp =>
    {
        var group = new MemberGroup { Id = Guid.NewGuid(), NameJa = en + "（日本語）", NameEn = en, CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow };
        var db = sp.GetRequiredService<KurocoDbContext>();
        db.MemberGroups.Add(group);
        await db.SaveChangesAsync();
        return group;
    });

    private Task<Member> MemberAsync(params MemberGroup[] groups) => factory.WithScopeAsync(async sp =>
    {
        var member = new Member
        {
            Id = Guid.NewGuid(),
            Email = $"m-{Guid.NewGuid():N}@example.jp",
            DisplayName = "佐藤 健",
            Status = MemberStatus.Active,
            CreatedAtUtc = DateTime.UtcNow,
            UpdatedAtUtc = DateTime.UtcNow,
            EmailVerifiedAtUtc = DateTime.UtcNow,
        };
        member.RefreshDerivedFields();
        member.Groups.AddRange(groups.Select(g => new MemberGroupMembership { MemberId = member.Id, GroupId = g.Id, AddedAtUtc = DateTime.UtcNow }));
        var db = sp.GetRequiredService<KurocoDbContext>();
        db.Members.Add(member);
        await db.SaveChangesAsync();
        return member;
    });

    private Task ChangeMemberAsync(Guid id, Action<Member> change) => factory.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        change(await db.Members.SingleAsync(m => m.Id == id));
        await db.SaveChangesAsync();
    });

    private string Token(Member member) => factory.Services.GetRequiredService<IMemberAccessTokens>().Issue(member).Token;

    private async Task<ContentItem> PublishedAsync(ContentType type, string slug, string title, params MemberGroup[] groups)
    {
        var input = new ContentItemInput { TypeId = type.Id, Slug = slug, RestrictedToGroups = [.. groups.Select(g => g.Id)] };
        input.Ja["title"] = title;
        input.Ja["body"] = "<p>" + title + "</p>";
        var saved = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(input));
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
        var published = await factory.WithPublishingAsync(p => p.PublishAsync(new(saved.Value!.Id)));
        Assert.True(published.Succeeded, string.Join(" ", published.Errors));
        return published.Value!;
    }

    private static HttpRequestMessage Get(string path, string key, string? bearer = null, EntityTagHeaderValue? ifNoneMatch = null)
    {
        var request = ApiTestKeys.Get(path, key);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        }
        return request;
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    /// <summary>"private, no-store" when the answer carries exactly those two directives (HttpClient reorders them).</summary>
    private static string CacheControl(HttpResponseMessage response) =>
        response.Headers.CacheControl is { Private: true, NoStore: true, Public: false, MaxAge: null, NoCache: false } ? "private, no-store"
        : response.Headers.CacheControl?.ToString() ?? "";

    private static List<string> Slugs(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("slug").GetString()!)];

    /// <summary>Every slug of the list walked with cursors two at a time, and the total each page reported.</summary>
    private static async Task<(List<string> Slugs, HashSet<int> Totals)> WalkAsync(HttpClient client, string path, string key, string? bearer)
    {
        var slugs = new List<string>();
        var totals = new HashSet<int>();
        string? cursor = null;
        for (var page = 0; page < 20; page++)
        {
            var body = await OkAsync(await client.SendAsync(Get(path + "?pageSize=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), key, bearer)));
            slugs.AddRange(Slugs(body));
            totals.Add(body.GetProperty("totalCount").GetInt32());
            cursor = body.GetProperty("nextCursor").GetString();
            if (cursor is null)
            {
                break;
            }
        }
        return (slugs, totals);
    }

    private async Task<(ContentType Type, string Key, MemberGroup Premium, MemberGroup Regular)> ModelAsync()
    {
        var premium = await GroupAsync("Premium " + Api());
        var regular = await GroupAsync("Regular " + Api());
        var type = await factory.CreateTypeAsync(Api());
        for (var i = 0; i < 4; i++)
        {
            await PublishedAsync(type, $"open-{i}", $"Open {i}");
        }
        for (var i = 0; i < 3; i++)
        {
            await PublishedAsync(type, $"premium-{i}", $"{Secret} {i}", premium);
        }
        var (_, key) = await factory.CreateKeyAsync("Member site", ApiAccess.Read, [type.ApiId]);
        return (type, key, premium, regular);
    }

    [Fact]
    public async Task Lists_totals_and_cursors_hold_restricted_items_for_members_of_an_allowed_group_only()
    {
        var (type, key, premium, regular) = await ModelAsync();
        var premiumToken = Token(await MemberAsync(premium));
        var regularToken = Token(await MemberAsync(regular));
        var lonerToken = Token(await MemberAsync());
        using var client = factory.CreateClient();
        var path = $"/api/v1/content/{type.ApiId}";

        foreach (var bearer in new[] { null, regularToken, lonerToken })
        {
            var (slugs, totals) = await WalkAsync(client, path, key, bearer);
            Assert.Equal(4, slugs.Count);
            Assert.All(slugs, s => Assert.StartsWith("open-", s, StringComparison.Ordinal));
            Assert.Equal([4], totals);
            var all = await client.SendAsync(Get(path + "?pageSize=100&sort=title", key, bearer));
            var text = await all.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Premium only", text, StringComparison.Ordinal);
            Assert.DoesNotContain("premium-", text, StringComparison.Ordinal);
            var page2 = await OkAsync(await client.SendAsync(Get(path + "?pageSize=3&page=2", key, bearer)));
            Assert.StartsWith("open-", Assert.Single(Slugs(page2)), StringComparison.Ordinal);
            Assert.Equal(2, page2.GetProperty("totalPages").GetInt32());
        }

        var (memberSlugs, memberTotals) = await WalkAsync(client, path, key, premiumToken);
        Assert.Equal(7, memberSlugs.Distinct().Count());
        Assert.Equal(7, memberSlugs.Count);
        Assert.Equal([7], memberTotals);
        var filtered = await OkAsync(await client.SendAsync(Get(path + "?pageSize=100&sort=-title", key, premiumToken)));
        Assert.Equal(3, Slugs(filtered).Count(s => s.StartsWith("premium-", StringComparison.Ordinal)));

        // The totals are cached per audience (callers without a member's groups share one) and follow every change on the next request.
        async Task<int> TotalAsync(string? bearer) => (await OkAsync(await client.SendAsync(Get(path, key, bearer)))).GetProperty("totalCount").GetInt32();
        async Task<(int Anonymous, int Loner, int Regular, int Premium)> TotalsAsync() =>
            (await TotalAsync(null), await TotalAsync(lonerToken), await TotalAsync(regularToken), await TotalAsync(premiumToken));
        Assert.Equal((4, 4, 4, 7), await TotalsAsync());
        var added = await PublishedAsync(type, "premium-3", $"{Secret} 3", premium);
        Assert.Equal((4, 4, 4, 8), await TotalsAsync());
        Assert.True((await factory.WithPublishingAsync(p => p.UnpublishAsync(new(added.Id)))).Succeeded);
        Assert.Equal((4, 4, 4, 7), await TotalsAsync());
        // An open item restricted to the regular group (its draft saved with the groups): gone for everyone but regular members.
        var open = (await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().ContentItems.AsNoTracking()
            .SingleAsync(i => i.TypeApiId == type.ApiId && i.Slug == "open-0")))!;
        var input = new ContentItemInput
        {
            Id = open.Id, TypeId = type.Id, Slug = open.Slug, ConcurrencyToken = open.ConcurrencyToken, Ja = ContentValues.Parse(open.ValuesJa), RestrictedToGroups = [regular.Id],
        };
        Assert.True((await factory.WithContentAsync((_, items) => items.SaveDraftAsync(input))).Succeeded);
        Assert.Equal((3, 3, 4, 6), await TotalsAsync());
    }

    [Fact]
    public async Task A_direct_read_is_404_for_anyone_outside_the_groups_and_private_no_store_for_the_member()
    {
        var (type, key, premium, regular) = await ModelAsync();
        var item = await PublishedAsync(type, "premium-direct", Secret + " direct", premium);
        var premiumToken = Token(await MemberAsync(premium));
        var regularToken = Token(await MemberAsync(regular));
        using var client = factory.CreateClient();

        foreach (var target in new[] { "premium-direct", item.Id.ToString() })
        {
            var path = $"/api/v1/content/{type.ApiId}/{target}";
            foreach (var bearer in new[] { null, regularToken })
            {
                var refused = await client.SendAsync(Get(path, key, bearer));
                Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
                Assert.DoesNotContain("Premium only", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            var served = await client.SendAsync(Get(path, key, premiumToken));
            Assert.Equal(Secret + " direct", (await OkAsync(served)).GetProperty("fields").GetProperty("title").GetString());
            Assert.Equal("private, no-store", CacheControl(served));
            Assert.Contains("Authorization", served.Headers.Vary);
        }

        // The member's list answer is private, no-store as well; an anonymous keyed answer is not.
        var memberList = await client.SendAsync(Get($"/api/v1/content/{type.ApiId}", key, premiumToken));
        Assert.Equal("private, no-store", CacheControl(memberList));
        var keyedList = await client.SendAsync(Get($"/api/v1/content/{type.ApiId}", key));
        Assert.False(keyedList.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task An_items_own_groups_replace_its_types_so_the_types_group_reads_it_no_longer()
    {
        var premium = await GroupAsync("Premium " + Api());
        var regular = await GroupAsync("Regular " + Api());
        var type = await factory.CreateTypeAsync(Api());
        type.RestrictedToGroups = [premium.Id];
        Assert.True((await factory.WithContentAsync((types, _) => types.SaveAsync(type))).Succeeded);
        await PublishedAsync(type, "as-type", "As the type");
        await PublishedAsync(type, "regular-only", "Regular only", regular);
        var (_, key) = await factory.CreateKeyAsync("Member site", ApiAccess.Read, [type.ApiId]);
        var premiumToken = Token(await MemberAsync(premium));
        var regularToken = Token(await MemberAsync(regular));
        using var client = factory.CreateClient();
        var path = $"/api/v1/content/{type.ApiId}";

        Assert.Equal(["as-type"], Slugs(await OkAsync(await client.SendAsync(Get(path, key, premiumToken)))));
        Assert.Equal(["regular-only"], Slugs(await OkAsync(await client.SendAsync(Get(path, key, regularToken)))));
        Assert.Empty(Slugs(await OkAsync(await client.SendAsync(Get(path, key)))));
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get(path + "/regular-only", key, premiumToken))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get(path + "/as-type", key, regularToken))).StatusCode);
    }

    [Fact]
    public async Task Expansion_leaves_a_restricted_reference_as_its_id_unless_the_member_may_read_it()
    {
        var premium = await GroupAsync("Premium " + Api());
        var regular = await GroupAsync("Regular " + Api());
        var authors = await factory.CreateTypeAsync(Api());
        var hidden = await PublishedAsync(authors, "hidden-author", Secret + " author", premium);
        var postsId = Api();
        var posts = (await factory.WithContentAsync((types, _) => types.SaveAsync(new ContentType
        {
            Name = "Posts",
            ApiId = postsId,
            Fields =
            [
                new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText, Required = true },
                new FieldDefinition { Key = "author", LabelEn = "Author", Kind = FieldKind.Reference, ReferenceTypeApiId = authors.ApiId },
            ],
        }))).Value!;
        var input = new ContentItemInput { TypeId = posts.Id, Slug = "public-post" };
        input.Ja["title"] = "Public post";
        input.Ja["author"] = hidden.Id.ToString();
        var post = (await factory.WithContentAsync((_, items) => items.SaveDraftAsync(input))).Value!;
        Assert.True((await factory.WithPublishingAsync(p => p.PublishAsync(new(post.Id)))).Succeeded);
        var (_, key) = await factory.CreateKeyAsync("Member site", ApiAccess.Read, [posts.ApiId, authors.ApiId]);
        var premiumToken = Token(await MemberAsync(premium));
        var regularToken = Token(await MemberAsync(regular));
        using var client = factory.CreateClient();

        foreach (var path in new[] { $"/api/v1/content/{posts.ApiId}?expand=*", $"/api/v1/content/{posts.ApiId}/public-post?expand=author" })
        {
            foreach (var bearer in new[] { null, regularToken })
            {
                var response = await client.SendAsync(Get(path, key, bearer));
                var text = await response.Content.ReadAsStringAsync();
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains(hidden.Id.ToString(), text, StringComparison.Ordinal);
                Assert.DoesNotContain("Premium only", text, StringComparison.Ordinal);
            }
            var expanded = await client.SendAsync(Get(path, key, premiumToken));
            Assert.Contains(Secret + " author", await expanded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_members_entity_tag_never_validates_an_answer_for_a_caller_without_that_access()
    {
        var (type, key, premium, _) = await ModelAsync();
        var member = await MemberAsync(premium);
        var token = Token(member);
        using var client = factory.CreateClient();
        var list = $"/api/v1/content/{type.ApiId}?pageSize=100";
        var direct = $"/api/v1/content/{type.ApiId}/premium-0";

        var memberList = await client.SendAsync(Get(list, key, token));
        var memberTag = memberList.Headers.ETag!;
        var memberItem = await client.SendAsync(Get(direct, key, token));
        var itemTag = memberItem.Headers.ETag!;
        // The member revalidates their own answers.
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(Get(list, key, token, memberTag))).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(Get(direct, key, token, itemTag))).StatusCode);

        // Someone without the token presenting the member's tags gets the public answer, or 404, never a 304.
        var anonymous = await client.SendAsync(Get(list, key, ifNoneMatch: memberTag));
        Assert.Equal(4, (await OkAsync(anonymous)).GetProperty("totalCount").GetInt32());
        Assert.NotEqual(memberTag, anonymous.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get(direct, key, ifNoneMatch: itemTag))).StatusCode);

        // Once the member leaves the group, their old tag no longer validates either (the answer changed for them).
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            await db.MemberGroupMemberships.Where(m => m.MemberId == member.Id).ExecuteDeleteAsync();
            return 0;
        });
        var after = await client.SendAsync(Get(list, key, token, memberTag));
        Assert.Equal(4, (await OkAsync(after)).GetProperty("totalCount").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get(direct, key, token, itemTag))).StatusCode);
    }

    [Fact]
    public async Task The_output_cache_never_serves_a_members_answer_to_others_nor_a_shared_answer_to_a_member()
    {
        var (type, key, premium, _) = await ModelAsync();
        var token = Token(await MemberAsync(premium));
        using var client = factory.CreateClient();
        var list = $"/api/v1/content/{type.ApiId}?pageSize=100";

        // Anonymous first: the shared answer is cached (the second read comes from the cache, with an Age header).
        Assert.Equal(4, (await OkAsync(await client.SendAsync(Get(list, key)))).GetProperty("totalCount").GetInt32());
        var cached = await client.SendAsync(Get(list, key));
        Assert.Equal(4, (await OkAsync(cached)).GetProperty("totalCount").GetInt32());
        Assert.NotNull(cached.Headers.Age);
        // Then the member: not the cached anonymous answer.
        var member = await client.SendAsync(Get(list, key, token));
        Assert.Equal(7, (await OkAsync(member)).GetProperty("totalCount").GetInt32());
        Assert.Null(member.Headers.Age);

        // Member first on a query nobody asked yet: their answer is not stored, so the anonymous read after it is public only.
        var fresh = $"/api/v1/content/{type.ApiId}?pageSize=50&sort=title";
        var first = await OkAsync(await client.SendAsync(Get(fresh, key, token)));
        Assert.Equal(7, first.GetProperty("totalCount").GetInt32());
        var second = await client.SendAsync(Get(fresh, key, token));
        Assert.Null(second.Headers.Age);
        var anonymous = await client.SendAsync(Get(fresh, key));
        var text = await anonymous.Content.ReadAsStringAsync();
        Assert.Equal(4, JsonDocument.Parse(text).RootElement.GetProperty("totalCount").GetInt32());
        Assert.DoesNotContain("Premium only", text, StringComparison.Ordinal);
        var direct = $"/api/v1/content/{type.ApiId}/premium-1";
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get(direct, key, token))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get(direct, key))).StatusCode);
    }

    [Fact]
    public async Task Restricting_a_published_item_or_its_type_evicts_the_cached_public_answers_at_once()
    {
        var premium = await GroupAsync("Premium " + Api());
        var type = await factory.CreateTypeAsync(Api());
        var item = await PublishedAsync(type, "soon-members-only", "Soon members only");
        await PublishedAsync(type, "stays-open", "Stays open");
        var (_, key) = await factory.CreateKeyAsync("Member site", ApiAccess.Read, [type.ApiId]);
        using var client = factory.CreateClient();
        var list = $"/api/v1/content/{type.ApiId}?pageSize=100";
        var direct = $"/api/v1/content/{type.ApiId}/soon-members-only";
        Assert.Equal(2, (await OkAsync(await client.SendAsync(Get(list, key)))).GetProperty("totalCount").GetInt32());
        Assert.NotNull((await client.SendAsync(Get(list, key))).Headers.Age);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get(direct, key))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get(direct, key))).StatusCode);

        var current = (await factory.WithContentAsync((_, items) => items.FindAsync(item.Id)))!;
        var input = new ContentItemInput
        {
            Id = item.Id, TypeId = type.Id, Slug = current.Slug, ConcurrencyToken = current.ConcurrencyToken,
            Ja = ContentValues.Parse(current.ValuesJa), RestrictedToGroups = [premium.Id],
        };
        Assert.True((await factory.WithContentAsync((_, items) => items.SaveDraftAsync(input))).Succeeded);

        Assert.Equal(["stays-open"], Slugs(await OkAsync(await client.SendAsync(Get(list, key)))));
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get(direct, key))).StatusCode);

        var stored = (await factory.WithContentAsync((types, _) => types.FindAsync(type.Id)))!;
        stored.RestrictedToGroups = [premium.Id];
        Assert.True((await factory.WithContentAsync((types, _) => types.SaveAsync(stored))).Succeeded);
        Assert.Equal(0, (await OkAsync(await client.SendAsync(Get(list, key)))).GetProperty("totalCount").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get($"/api/v1/content/{type.ApiId}/stays-open", key))).StatusCode);
        var token = Token(await MemberAsync(premium));
        Assert.Equal(2, (await OkAsync(await client.SendAsync(Get(list, key, token)))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task An_expired_signed_out_or_suspended_members_token_reads_like_an_anonymous_caller_and_is_named_invalid()
    {
        var (type, key, premium, _) = await ModelAsync();
        var expiredMember = await MemberAsync(premium);
        // Issued an hour ago with the app's signing key: signed correctly, but past its 15 minutes.
        var expired = new Kuroco.Admin.Members.MemberAccessTokens(factory.Services.GetRequiredService<Kuroco.Admin.Members.MemberSigningKey>(),
            factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Kuroco.Admin.Members.MemberTokenOptions>>(),
            new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1))).Issue(expiredMember).Token;
        var signedOutMember = await MemberAsync(premium);
        var signedOut = Token(signedOutMember);
        await ChangeMemberAsync(signedOutMember.Id, m => m.SecurityStamp = Guid.NewGuid().ToString("N"));
        var suspendedMember = await MemberAsync(premium);
        var suspended = Token(suspendedMember);
        await ChangeMemberAsync(suspendedMember.Id, m => m.Status = MemberStatus.Suspended);
        var forged = Token(await MemberAsync(premium))[..^4] + "AAAA";
        using var client = factory.CreateClient();
        var list = $"/api/v1/content/{type.ApiId}?pageSize=100";

        foreach (var token in new[] { expired, signedOut, suspended, forged })
        {
            var response = await client.SendAsync(Get(list, key, token));
            var body = await OkAsync(response);
            Assert.Equal(4, body.GetProperty("totalCount").GetInt32());
            Assert.DoesNotContain("Premium only", body.ToString(), StringComparison.Ordinal);
            Assert.Equal("private, no-store", CacheControl(response));
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get($"/api/v1/content/{type.ApiId}/premium-0", key, token))).StatusCode);
        }

        // A fresh token of the reactivated member reads the Premium items again.
        await ChangeMemberAsync(suspendedMember.Id, m => m.Status = MemberStatus.Active);
        var again = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Members.AsNoTracking().SingleAsync(m => m.Id == suspendedMember.Id));
        Assert.Equal(7, (await OkAsync(await client.SendAsync(Get(list, key, Token(again))))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task A_member_token_without_the_sites_key_reads_nothing()
    {
        var (type, _, premium, _) = await ModelAsync();
        var token = Token(await MemberAsync(premium));
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/content/{type.ApiId}/premium-0");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("Premium only", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
    [Fact]
    public async Task The_management_api_sets_an_items_groups_and_refuses_an_unknown_group_or_a_bad_value()
    {
        var premium = await GroupAsync("Premium " + Api());
        var type = await factory.CreateTypeAsync(Api());
        var (_, writeKey) = await factory.CreateKeyAsync("Importer", ApiAccess.Write, [type.ApiId]);
        var (_, readKey) = await factory.CreateKeyAsync("Website", ApiAccess.Read, [type.ApiId]);
        var token = Token(await MemberAsync(premium));
        using var client = factory.CreateClient();
        HttpRequestMessage Post(object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/manage/content/{type.ApiId}");
            request.Headers.Add("X-API-Key", writeKey);
            request.Content = new StringContent(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
            return request;
        }

        var created = await client.SendAsync(Post(new { slug = "via-api", fields = new { ja = new { title = Secret + " via API" } }, publish = true, restrictedToGroups = new[] { premium.Id } }));
        var text = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, text);
        Assert.Equal([premium.Id], JsonDocument.Parse(text).RootElement.GetProperty("restrictedToGroups").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get($"/api/v1/content/{type.ApiId}/via-api", readKey))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get($"/api/v1/content/{type.ApiId}/via-api", readKey, token))).StatusCode);

        foreach (var bad in new object[] { new[] { Guid.NewGuid() }, "premium", new[] { "not-a-guid" } })
        {
            var refused = await client.SendAsync(Post(new { slug = "refused-" + Api(), fields = new { ja = new { title = "Refused " + Api() } }, restrictedToGroups = bad }));
            var problem = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, problem);
            Assert.Contains("restrictedToGroups", string.Join(",", JsonDocument.Parse(problem).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name)),
                StringComparison.OrdinalIgnoreCase);
        }
        var list = await factory.WithContentAsync((_, items) => items.ListAsync(new ContentItemQuery(type.Id)));
        Assert.Equal(1, list.TotalCount);
    }

    [Fact]
    public async Task A_restriction_change_is_audited_by_group_name_and_an_unknown_group_is_refused_without_change()
    {
        var premium = await GroupAsync("Premium " + Api());
        var type = await factory.CreateTypeAsync(Api());
        var item = await PublishedAsync(type, "audited", "Audited");
        var current = (await factory.WithContentAsync((_, items) => items.FindAsync(item.Id)))!;
        ContentItemInput Input(params Guid[] groups) => new()
        {
            Id = item.Id, TypeId = type.Id, Slug = current.Slug, ConcurrencyToken = current.ConcurrencyToken,
            Ja = ContentValues.Parse(current.ValuesJa), RestrictedToGroups = [.. groups],
        };

        var unknown = await factory.WithContentAsync((_, items) => items.SaveDraftAsync(Input(Guid.NewGuid())));
        Assert.False(unknown.Succeeded);
        Assert.Contains(unknown.FieldErrors, f => f.Field == nameof(ContentItemInput.RestrictedToGroups));
        var typeUnknown = (await factory.WithContentAsync((types, _) => types.FindAsync(type.Id)))!;
        typeUnknown.RestrictedToGroups = [Guid.NewGuid()];
        Assert.False((await factory.WithContentAsync((types, _) => types.SaveAsync(typeUnknown))).Succeeded);
        Assert.Empty((await factory.WithContentAsync((types, _) => types.FindAsync(type.Id)))!.RestrictedToGroups);
        Assert.Empty((await factory.WithContentAsync((_, items) => items.FindAsync(item.Id)))!.RestrictedToGroups);

        Assert.True((await factory.WithContentAsync((_, items) => items.SaveDraftAsync(Input(premium.Id)))).Succeeded);
        var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == Core.Audit.AuditActions.ContentItemSaved && e.EntityId == item.Id.ToString());
        var change = JsonDocument.Parse(entry.Changes!).RootElement.EnumerateArray().Single(c => c.GetProperty("Field").GetString() == "Members only");
        Assert.Equal("as the type", change.GetProperty("Before").GetString());
        Assert.Equal("members of " + premium.NameJa + " / " + premium.NameEn, change.GetProperty("After").GetString());
        // The webhook event of the change says the item is member-only.
        Assert.Contains(factory.Changes.All, c => c.ItemId == item.Id && c.Restricted);
    }

    [Fact]
    public async Task Content_restricted_only_to_a_deleted_group_is_read_by_no_one_and_a_public_type_never_serves_it_without_a_key()
    {
        var gone = await GroupAsync("Gone " + Api());
        var type = await factory.CreateTypeAsync(Api());
        var stored = (await factory.WithContentAsync((types, _) => types.FindAsync(type.Id)))!;
        stored.IsPublic = true;
        Assert.True((await factory.WithContentAsync((types, _) => types.SaveAsync(stored))).Succeeded);
        await PublishedAsync(type, "orphaned", Secret + " orphaned", gone);
        await PublishedAsync(type, "open", "Open");
        var member = await MemberAsync(gone);
        var token = Token(member);
        using var client = factory.CreateClient();

        // Public type, no key: the unrestricted item only.
        var anonymous = await client.GetAsync($"/api/v1/content/{type.ApiId}?pageSize=100");
        Assert.Equal(["open"], Slugs(await OkAsync(anonymous)));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/content/{type.ApiId}/orphaned")).StatusCode);

        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            await db.MemberGroupMemberships.Where(m => m.GroupId == gone.Id).ExecuteDeleteAsync();
            return await db.MemberGroups.Where(g => g.Id == gone.Id).ExecuteDeleteAsync();
        });
        var (_, key) = await factory.CreateKeyAsync("Member site", ApiAccess.Read, [type.ApiId]);
        Assert.Equal(["open"], Slugs(await OkAsync(await client.SendAsync(Get($"/api/v1/content/{type.ApiId}?pageSize=100", key, token)))));
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get($"/api/v1/content/{type.ApiId}/orphaned", key, token))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get($"/api/v1/content/{type.ApiId}/orphaned", key))).StatusCode);
    }

    [Fact]
    public void A_webhook_payload_flags_a_member_only_item()
    {
        var restricted = Kuroco.Infrastructure.Webhooks.WebhookPayload.Build(Guid.NewGuid(),
            new Core.Webhooks.WebhookEvent("content.published", "news", Guid.NewGuid(), "members", DateTimeOffset.UtcNow, Restricted: true));
        var open = Kuroco.Infrastructure.Webhooks.WebhookPayload.Build(Guid.NewGuid(),
            new Core.Webhooks.WebhookEvent("content.published", "news", Guid.NewGuid(), "open", DateTimeOffset.UtcNow));

        Assert.True(JsonDocument.Parse(restricted).RootElement.GetProperty("item").GetProperty("restricted").GetBoolean());
        Assert.False(JsonDocument.Parse(open).RootElement.GetProperty("item").GetProperty("restricted").GetBoolean());
    }
}
