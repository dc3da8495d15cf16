using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kuroco.Core.Mail;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Api;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Members;

/// <summary>
/// The real app for the member API tests: SQLite, a frozen clock the tests move, the member mails' links pointing at
/// a website under a path, and a test peer address per request (so the per-address sign-in budget is each test's own).
/// </summary>
public class MemberAccountApiFactory : KurocoAppFactory
{
    public const string SiteUrl = "https://www.example-shop.jp/club";
    public const string MemberPassword = "Kumo7-Sora-Tako!391z";

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 3, 0, 20, TimeSpan.Zero));

    public MemberAccountApiFactory()
    {
        Settings["Kuroco:Members:LinkBaseUrl"] = SiteUrl;
        Settings["Kuroco:Members:SiteName"] = "Example Shop";
        Settings["Kuroco:RateLimits:SignInPerIpPerMinute"] = "1000";
        Settings["Kuroco:RateLimits:SignInPerAccountPerMinute"] = "1000";
        Settings["Kuroco:RateLimits:ApiPerKeyPerMinute"] = "100000";
        Settings["Kuroco:RateLimits:ApiPerClientPerMinute"] = "100000";
        TestServices = services =>
        {
            TestPeerAddress.Register(services);
            services.AddSingleton<TimeProvider>(Clock);
        };
    }

    private string? apiKey;

    /// <summary>One read key of the site, created on first use.</summary>
    public async Task<string> ApiKeyAsync() => apiKey ??= (await this.CreateKeyAsync("Member site")).Secret;

    public async Task<HttpResponseMessage> PostAsync(string path, object body, string? accessToken = null, string? peer = null) =>
        await SendAsync(HttpMethod.Post, path, body, accessToken, peer);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, string? accessToken = null, string? peer = null, bool withKey = true)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(method, "/api/v1/members/" + path);
        if (withKey)
        {
            request.Headers.Add("X-API-Key", await ApiKeyAsync());
        }
        if (accessToken is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        }
        request.Headers.Add(TestPeerAddress.HeaderName, peer ?? "203.0.113.7");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await client.SendAsync(request);
    }

    /// <summary>An active member with <see cref="MemberPassword"/> (hashed with the app's member hasher).</summary>
    public Task<Member> AddMemberAsync(MemberStatus status = MemberStatus.Active, string language = MemberLanguages.Japanese, string? email = null) =>
        WithScopeAsync(async sp =>
        {
            var now = Clock.GetUtcNow().UtcDateTime;
            var member = new Member
            {
                Id = Guid.NewGuid(),
                Email = email ?? $"m-{Guid.NewGuid():N}@example.jp",
                DisplayName = "山田 花子",
                Language = language,
                Status = status,
                CreatedAtUtc = now,
                UpdatedAtUtc = now,
                PasswordSetAtUtc = now,
                EmailVerifiedAtUtc = status == MemberStatus.PendingVerification ? null : now,
            };
            member.PasswordHash = sp.GetRequiredService<IPasswordHasher<Member>>().HashPassword(member, MemberPassword);
            member.RefreshDerivedFields();
            var db = sp.GetRequiredService<KurocoDbContext>();
            db.Members.Add(member);
            await db.SaveChangesAsync();
            return member;
        });

    /// <summary>Changes the stored registration settings (the singleton row, created when absent).</summary>
    public Task SetRegistrationAsync(Action<MemberRegistrationSettings> change) => WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        var row = await db.Set<MemberRegistrationSettings>().FirstOrDefaultAsync();
        if (row is null)
        {
            row = new MemberRegistrationSettings();
            db.Add(row);
            db.Entry(row).Property("Id").CurrentValue = 1;
        }
        change(row);
        await db.SaveChangesAsync();
    });

    /// <summary>Replaces the custom profile fields (the singleton row, created when absent).</summary>
    public Task SetProfileFieldsAsync(params Kuroco.Core.Content.FieldDefinition[] fields) => WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        var row = await db.Set<MemberProfileSchema>().FirstOrDefaultAsync();
        if (row is null)
        {
            row = new MemberProfileSchema();
            db.Add(row);
            db.Entry(row).Property("Id").CurrentValue = 1;
        }
        row.Fields = [.. fields];
        row.ConcurrencyToken = Guid.NewGuid();
        await db.SaveChangesAsync();
    });

    public Task ChangeMemberAsync(Guid id, Action<Member> change) => WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        change(await db.Members.SingleAsync(m => m.Id == id));
        await db.SaveChangesAsync();
    });

    public Task<Member> MemberAsync(Guid id) => WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().Members.AsNoTracking().SingleAsync(m => m.Id == id));

    public Task<List<OutboxMessage>> MailsToAsync(string email) => WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().OutboxMessages.AsNoTracking().Where(m => m.ToAddress == email).OrderBy(m => m.CreatedAtUtc).ToListAsync());

    /// <summary>Waits for the mail (some are queued after the answer) and returns the token of its link to <paramref name="linkPath"/>.</summary>
    public async Task<(OutboxMessage Mail, string Token)> WaitForLinkAsync(string email, string linkPath, int count = 1)
    {
        var mails = await Eventually.GetAsync(
            async () => (await MailsToAsync(email)).Where(m => m.Body.Contains(SiteUrl + linkPath, StringComparison.Ordinal)).ToList(),
            m => m.Count >= count, $"a mail to {email} with a link to {linkPath}");
        var found = mails[count - 1];
        return (found, TokenOf(found.Body, linkPath));
    }

    public static string TokenOf(string body, string linkPath)
    {
        var match = Regex.Match(body, Regex.Escape(SiteUrl + linkPath) + @"\?token=([A-Za-z0-9_\-]+)");
        Assert.True(match.Success, "The mail carries no link to " + linkPath + ": " + body);
        return match.Groups[1].Value;
    }

    public async Task<JsonElement> SignInAsync(string email, string password = MemberPassword, bool rememberMe = false, string? peer = null)
    {
        var response = await PostAsync("login", new { email, password, rememberMe }, peer: peer);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    /// <summary>A problem body without its per-request parts (traceId), to compare two answers.</summary>
    public static async Task<string> ProblemWithoutTraceAsync(HttpResponseMessage response)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        node.Remove("traceId");
        return node.ToJsonString();
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}

/// <summary>The app's member hasher (same options), counting its work: hashes made, and verifications per member id (Guid.Empty: the dummy check).</summary>
public sealed class CountingMemberHasher(Microsoft.Extensions.Options.IOptions<PasswordHasherOptions> options) : PasswordHasher<Member>(options)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> verifications = new();
    private int hashes;

    public int Hashes => Volatile.Read(ref hashes);

    public int Verifications(Guid memberId) => verifications.GetValueOrDefault(memberId);

    public int AllVerifications => verifications.Values.Sum();

    public override string HashPassword(Member user, string password)
    {
        Interlocked.Increment(ref hashes);
        return base.HashPassword(user, password);
    }

    public override PasswordVerificationResult VerifyHashedPassword(Member user, string hashedPassword, string providedPassword)
    {
        ArgumentNullException.ThrowIfNull(user);
        verifications.AddOrUpdate(user.Id, 1, (_, n) => n + 1);
        return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
