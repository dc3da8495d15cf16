using System.Net;
using System.Text.Json;
using Kuroco.Core.Content;
using Kuroco.Core.Media;
using Kuroco.Core.Members;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Demo;
using Kuroco.Tests.Integration.Api;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Demo;

/// <summary>Starting with Kuroco:Demo:Seed and Kuroco:Demo:ApiKey: the demo a website developer reads, and a second start that changes nothing.</summary>
public sealed class DemoSeedTests(DemoSeedTests.DemoAppFactory factory) : IClassFixture<DemoSeedTests.DemoAppFactory>
{
    public const string DemoKey = "demo-read-key-change-me";
    public const string MemberPassword = "Sakura-demo-2026!";

    public sealed class DemoAppFactory : KurocoAppFactory
    {
        public DemoAppFactory()
        {
            Settings["Kuroco:Demo:Seed"] = "true";
            Settings["Kuroco:Demo:ApiKey"] = DemoKey;
            Settings["Kuroco:Demo:MemberPassword"] = MemberPassword;
            // Scheduled demo items are days ahead; no job server, so nothing changes between the checks.
            Settings["Kuroco:Jobs:RunServer"] = "false";
            TestServices = services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
        }

        public CapturingLoggerProvider Logs { get; } = new();
    }

    private sealed record Snapshot(int Types, int Items, int Versions, int Media, int Keys, int Members, int Groups, int Memberships, long AuditEntries);

    private static Task<Snapshot> SnapshotAsync(KurocoAppFactory app) => app.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        return new Snapshot(await db.ContentTypes.CountAsync(), await db.ContentItems.CountAsync(), await db.ContentVersions.CountAsync(),
            await db.MediaItems.CountAsync(), await db.ApiKeys.CountAsync(), await db.Members.CountAsync(), await db.MemberGroups.CountAsync(),
            await db.MemberGroupMemberships.CountAsync(), await db.AuditEntries.LongCountAsync());
    });

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task An_empty_database_gets_two_types_and_fifty_bilingual_items_with_drafts_schedules_and_pictures()
    {
        var (types, items, media) = await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            return (await db.ContentTypes.AsNoTracking().ToListAsync(), await db.ContentItems.AsNoTracking().ToListAsync(),
                await db.MediaItems.AsNoTracking().ToListAsync());
        });

        Assert.Equal(["news", "products"], types.Select(t => t.ApiId).Order(StringComparer.Ordinal));
        var news = types.Single(t => t.ApiId == "news");
        Assert.Equal(["title", "summary", "body", "hero", "category", "tags", "date"], news.Fields.Select(f => f.Key));
        Assert.Contains(types.Single(t => t.ApiId == "products").Fields, f => f.Kind == FieldKind.Reference && f.ReferenceTypeApiId == "news");

        Assert.Equal(50, items.Count);
        Assert.All(items, i => Assert.True(i.HasJa && i.HasEn, $"{i.Slug} is not in both languages"));
        Assert.All(items, i => Assert.Equal(DemoSeeder.ActorName, i.CreatedBy));
        var now = DateTime.UtcNow;
        var published = items.Where(i => i.Status == ContentStatus.Published).ToList();
        var scheduled = items.Where(i => i.Status == ContentStatus.Draft && i.PublishAtUtc > now).ToList();
        var drafts = items.Where(i => i.Status == ContentStatus.Draft && i.PublishAtUtc is null).ToList();
        Assert.Equal(50, published.Count + scheduled.Count + drafts.Count);
        Assert.Equal((38, 6, 6), (published.Count, scheduled.Count, drafts.Count));
        Assert.NotEmpty(scheduled);
        Assert.NotEmpty(drafts);
        Assert.Contains(scheduled, i => i.TypeApiId == "news");
        Assert.Contains(scheduled, i => i.TypeApiId == "products");

        // Published items are dated like their stories, the newest yesterday; the audit log keeps the real times.
        Assert.All(published, i => Assert.True(i.PublishedAtUtc < now.AddHours(-12), $"{i.Slug} published {i.PublishedAtUtc:O}"));
        Assert.Equal(published.Count, published.Select(i => i.PublishedAtUtc).Distinct().Count());

        // Real bilingual text, sanitized rich text, a picture from the library.
        var story = items.Single(i => i.Slug == "new-store-kyoto");
        var ja = ContentValues.Parse(story.ValuesJa);
        var en = ContentValues.Parse(story.ValuesEn);
        Assert.Equal("京都駅近くに新店舗がオープン", ja["title"]);
        Assert.Equal("A new store opens near Kyoto Station", en["title"]);
        Assert.StartsWith("<p>", en["body"], StringComparison.Ordinal);
        Assert.Contains("<li>", ja["body"], StringComparison.Ordinal);
        Assert.Contains(media, m => m.Id == Guid.Parse(en["hero"]!));

        Assert.Equal(10, media.Count);
        Assert.All(media, m =>
        {
            Assert.Equal("image/png", m.ContentType);
            Assert.Equal((480, 270), (m.Width, m.Height));
            Assert.False(string.IsNullOrEmpty(m.AltTextJa));
            Assert.False(string.IsNullOrEmpty(m.AltTextEn));
        });

        // Through the real services: every change is audited as the demo seeder, with versions.
        var audit = await factory.AuditEntriesAsync();
        Assert.Equal(50, audit.Count(e => e.Action == Core.Audit.AuditActions.ContentItemCreated && e.ActorName == DemoSeeder.ActorName));
        Assert.Equal(published.Count, audit.Count(e => e.Action == Core.Audit.AuditActions.ContentItemPublished && e.ActorName == DemoSeeder.ActorName));
        Assert.Equal(10, audit.Count(e => e.Action == Core.Audit.AuditActions.MediaUploaded && e.ActorName == DemoSeeder.ActorName));
        Assert.Contains(factory.Logs.Messages, m => m.StartsWith("Demo data seeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_pictures_are_served_as_images_to_signed_in_staff()
    {
        var media = await factory.WithScopeAsync(sp => sp.GetRequiredService<IMediaLibrary>().SearchAsync(new MediaQuery(PageSize: 100)));
        var email = $"viewer-{Guid.NewGuid():N}@test.local";
        await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        using var client = factory.CreateBrowserLikeClient();
        await KurocoAppFactory.SignInAsync(client, email, KurocoAppFactory.StaffPassword);

        foreach (var item in media.Items)
        {
            using var response = await client.GetAsync($"/media/{item.Id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal([0x89, 0x50, 0x4E, 0x47], bytes[..4]);
            Assert.Equal(item.SizeBytes, bytes.Length);
        }
    }

    [Fact]
    public async Task The_demo_key_reads_news_and_products_in_both_languages_and_nothing_else()
    {
        using var client = factory.CreateClient();
        var en = await JsonAsync(await client.SendAsync(ApiTestKeys.Get("/api/v1/content/news?lang=en&pageSize=100", DemoKey)));
        var publishedNews = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().ContentItems
            .CountAsync(i => i.TypeApiId == "news" && i.Status == ContentStatus.Published));
        // The Premium-only stories are left out for a caller without a Premium member's token.
        Assert.Equal(publishedNews - DemoMembers.PremiumNews.Count, en.GetProperty("totalCount").GetInt32());
        var first = en.GetProperty("items")[0];
        Assert.Equal("en", first.GetProperty("language").GetString());
        Assert.Matches("^[A-Za-z]", first.GetProperty("fields").GetProperty("title").GetString()!);

        var ja = await JsonAsync(await client.SendAsync(ApiTestKeys.Get("/api/v1/content/news/new-store-kyoto?lang=ja", DemoKey)));
        Assert.Equal("京都駅近くに新店舗がオープン", ja.GetProperty("fields").GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.String, ja.GetProperty("fields").GetProperty("hero").ValueKind);

        var product = await JsonAsync(await client.SendAsync(ApiTestKeys.Get("/api/v1/content/products/shizuoka-sencha?lang=en", DemoKey)));
        Assert.Equal(1620m, product.GetProperty("fields").GetProperty("price").GetDecimal());
        // Drafts and scheduled items stay out of the API until they are published.
        var unpublished = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().ContentItems
            .Where(i => i.Status == ContentStatus.Draft).Select(i => i.TypeApiId + "/" + i.Slug).ToListAsync());
        Assert.NotEmpty(unpublished);
        foreach (var path in unpublished)
        {
            using var draft = await client.SendAsync(ApiTestKeys.Get("/api/v1/content/" + path, DemoKey));
            Assert.Equal(HttpStatusCode.NotFound, draft.StatusCode);
        }

        // Another type exists, but the demo key is for the demo types only; and it cannot write.
        var other = await factory.WithScopeAsync(sp => sp.GetRequiredService<IContentTypeService>().SaveAsync(new ContentType
        {
            Name = "Internal memos",
            ApiId = "memos",
            Fields = [new FieldDefinition { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText }],
        }));
        Assert.True(other.Succeeded, string.Join(" ", other.Errors));
        using (var forbidden = await client.SendAsync(ApiTestKeys.Get("/api/v1/content/memos", DemoKey)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }
        using var me = await client.SendAsync(ApiTestKeys.Get("/api/v1/me", DemoKey));
        var scope = await JsonAsync(me);
        Assert.Equal("Demo key", scope.GetProperty("name").GetString());
        Assert.Equal("read", scope.GetProperty("access").GetString());
    }

    [Fact]
    public async Task The_key_is_stored_hashed_and_its_value_is_never_logged_audited_or_shown()
    {
        var key = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().ApiKeys.AsNoTracking().SingleAsync(k => k.Name == "Demo key"));
        Assert.Equal(Core.Api.ApiKeySecret.Hash(DemoKey), key.SecretHash);
        Assert.StartsWith("kx_", key.Prefix, StringComparison.Ordinal);
        Assert.DoesNotContain("demo", key.Prefix, StringComparison.Ordinal);
        Assert.Equal("news products", key.Types);
        Assert.Equal(Core.Api.ApiAccess.Read, key.Access);
        Assert.Equal(DemoSeeder.ActorName, key.CreatedBy);

        var audit = await factory.AuditEntriesAsync();
        Assert.Contains(audit, e => e.Action == Core.Audit.AuditActions.ApiKeyCreated && e.ActorName == DemoSeeder.ActorName);
        Assert.DoesNotContain(audit, e => (e.Summary + e.Parameters + e.Changes).Contains("read-key-change", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Messages, m => m.Contains("read-key-change", StringComparison.Ordinal));
        Assert.Contains(factory.Logs.Messages, m => m.Contains("Demo API key registered (" + key.Prefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_start_on_the_same_database_changes_nothing()
    {
        var before = await SnapshotAsync(factory);
        using var again = new DemoAppFactory();
        again.Settings["Storage:DataPath"] = factory.DataPath;

        var after = await SnapshotAsync(again);

        Assert.Equal(before, after);
        Assert.Contains(again.Logs.Messages, m => m.StartsWith("Demo data not seeded: the database already has content", StringComparison.Ordinal));
        Assert.Contains(again.Logs.Messages, m => m.StartsWith("Demo API key already registered", StringComparison.Ordinal));
        Assert.Contains(again.Logs.Messages, m => m.StartsWith("Demo members not seeded: the database already has members", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Three_groups_and_two_hundred_verified_active_members_are_created_with_the_configured_password()
    {
        var (groups, members) = await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            return (await db.MemberGroups.AsNoTracking().ToListAsync(),
                await db.Members.AsNoTracking().Include(m => m.Groups).OrderBy(m => m.Email).ToListAsync());
        });

        Assert.Equal(["スタッフ紹介 / Referral", "プレミアム会員 / Premium", "一般会員 / Regular"],
            groups.Select(g => g.NameJa + " / " + g.NameEn).Order(StringComparer.Ordinal));
        Assert.Equal(200, members.Count);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => $"member{i:000}@demo.example"), members.Select(m => m.Email));
        Assert.All(members, m =>
        {
            Assert.Equal(MemberStatus.Active, m.Status);
            Assert.NotNull(m.EmailVerifiedAtUtc);
            Assert.Equal(Core.Members.MemberText.NormalizeEmail(m.Email), m.NormalizedEmail);
            Assert.False(string.IsNullOrWhiteSpace(m.DisplayName));
        });
        Assert.Equal(200, members.Select(m => m.DisplayName).Distinct().Count());
        var japanese = members.Where(m => m.Language == MemberLanguages.Japanese).ToList();
        var english = members.Where(m => m.Language == MemberLanguages.English).ToList();
        Assert.True(japanese.Count >= 100 && english.Count >= 30, $"{japanese.Count} Japanese, {english.Count} English");
        Assert.All(japanese, m => Assert.Matches(@"^[\p{IsCJKUnifiedIdeographs}々]+ [\p{IsCJKUnifiedIdeographs}々]+$", m.DisplayName));
        Assert.All(japanese, m => Assert.Matches(@"^\p{IsKatakana}+ \p{IsKatakana}+$", m.NameKana!));
        Assert.All(english, m => Assert.Matches("^[A-Z][a-z]+ [A-Z][a-z]+$", m.DisplayName));

        var premium = groups.Single(g => g.NameEn == "Premium");
        var regular = groups.Single(g => g.NameEn == "Regular");
        var first = members[0];
        Assert.Contains(first.Groups, g => g.GroupId == premium.Id);
        Assert.DoesNotContain(members[1].Groups, g => g.GroupId == premium.Id);
        Assert.All(members, m => Assert.Contains(m.Groups, g => g.GroupId == regular.Id));
        Assert.Contains(members, m => m.Groups.Any(g => g.GroupId == groups.Single(x => x.NameEn == "Referral").Id));

        // Hashed with the members' hasher: the configured password verifies, another does not; never stored or logged as text.
        var hasher = factory.Services.GetRequiredService<Microsoft.AspNetCore.Identity.IPasswordHasher<Member>>();
        Assert.Equal(Microsoft.AspNetCore.Identity.PasswordVerificationResult.Success, hasher.VerifyHashedPassword(first, first.PasswordHash!, MemberPassword));
        Assert.Equal(Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(first, first.PasswordHash!, "wrong-password"));
        Assert.All(members, m => Assert.DoesNotContain(MemberPassword, m.PasswordHash!, StringComparison.Ordinal));
        var audit = await factory.AuditEntriesAsync();
        var entry = Assert.Single(audit, e => e.Action == Core.Audit.AuditActions.MemberDemoSeeded);
        Assert.Equal(DemoSeeder.ActorName, entry.ActorName);
        Assert.DoesNotContain(audit, e => (e.Summary + e.Parameters + e.Changes).Contains(MemberPassword, StringComparison.Ordinal));
        Assert.StartsWith("Demo members created: 200 members in 3 groups (", AuditText.English(entry), StringComparison.Ordinal);
        Assert.EndsWith("); password from Kuroco:Demo:MemberPassword.", AuditText.English(entry), StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Messages, m => m.Contains(MemberPassword, StringComparison.Ordinal));
        Assert.Contains(factory.Logs.Messages, m => m.StartsWith("Demo members seeded: 200 members in 3 groups", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Three_published_news_items_are_for_premium_members_and_member001_reads_them_with_a_token()
    {
        var (premiumItems, first, second) = await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            var premium = await db.MemberGroups.AsNoTracking().SingleAsync(g => g.NameEn == "Premium");
            var news = await db.ContentItems.AsNoTracking().Where(i => i.TypeApiId == "news").ToListAsync();
            return (news.Where(i => i.RestrictedToGroups.Contains(premium.Id)).ToList(),
                await db.Members.AsNoTracking().SingleAsync(m => m.Email == "member001@demo.example"),
                await db.Members.AsNoTracking().SingleAsync(m => m.Email == "member002@demo.example"));
        });
        Assert.Equal(DemoMembers.PremiumNews.Order(StringComparer.Ordinal), premiumItems.Select(i => i.Slug).Order(StringComparer.Ordinal));
        Assert.All(premiumItems, i => Assert.Equal(ContentStatus.Published, i.Status));
        var tokens = factory.Services.GetRequiredService<IMemberAccessTokens>();
        using var client = factory.CreateClient();

        foreach (var slug in DemoMembers.PremiumNews)
        {
            var path = $"/api/v1/content/news/{slug}?lang=en";
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(ApiTestKeys.Get(path, DemoKey))).StatusCode);
            var regular = ApiTestKeys.Get(path, DemoKey);
            regular.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.Issue(second).Token);
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(regular)).StatusCode);
            var request = ApiTestKeys.Get(path, DemoKey);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.Issue(first).Token);
            var response = await client.SendAsync(request);
            Assert.Equal(slug, (await JsonAsync(response)).GetProperty("slug").GetString());
            Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true });
        }
    }

    [Fact]
    public async Task The_readmes_demo_member_sign_in_gives_a_token_that_reads_a_premium_item_and_member002_gets_404()
    {
        using var client = factory.CreateClient();
        async Task<string> SignInAsync(string email)
        {
            using var login = new HttpRequestMessage(HttpMethod.Post, "/api/v1/members/login")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { email, password = MemberPassword, rememberMe = false }),
            };
            login.Headers.Add("X-API-Key", DemoKey);
            var answer = await JsonAsync(await client.SendAsync(login));
            Assert.True(answer.GetProperty("expiresIn").GetInt32() > 0);
            Assert.False(string.IsNullOrEmpty(answer.GetProperty("refreshToken").GetString()));
            return answer.GetProperty("accessToken").GetString()!;
        }
        const string Path = "/api/v1/content/news/annual-report-2025?lang=en";

        var premium = await client.SendAsync(ApiTestKeys.Get(Path, DemoKey).WithBearer(await SignInAsync("member001@demo.example")));
        Assert.Equal("annual-report-2025", (await JsonAsync(premium)).GetProperty("slug").GetString());
        var regular = await client.SendAsync(ApiTestKeys.Get(Path, DemoKey).WithBearer(await SignInAsync("member002@demo.example")));
        Assert.Equal(HttpStatusCode.NotFound, regular.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(ApiTestKeys.Get(Path, DemoKey))).StatusCode);
    }
}

file static class BearerRequests
{
    public static HttpRequestMessage WithBearer(this HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}

/// <summary>A Kuroco:Demo:ApiKey that could not be a safe key stops the start with a clear message.</summary>
public sealed class DemoKeySettingTests
{
    [Theory]
    [InlineData("too-short-key")]
    [InlineData("a demo key with spaces in it")]
    [InlineData("demo-read-key-change-me\r\nX-Injected: 1")]
    [InlineData("démo-read-key-change-me")]
    public void A_bad_demo_key_refuses_to_start(string value)
    {
        using var app = new KurocoAppFactory();
        app.Settings["Kuroco:Demo:ApiKey"] = value;
        app.Settings["Kuroco:Jobs:RunServer"] = "false";

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Kuroco:Demo:ApiKey must be 20 to 200 printable ASCII characters", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.ToString(), StringComparison.Ordinal);
    }
}
