using System.Net;
using System.Text.Json;
using Kuroco.Core.Audit;
using Kuroco.Core.Content;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Members;

/// <summary>
/// The member API over real HTTP and SQLite: register → verify → login → me → refresh → logout, each with its failures
/// (settings, bad input, expiry through the clock, token reuse).
/// </summary>
public sealed class MemberAccountApiTests(MemberAccountApiTests.Factory factory) : IClassFixture<MemberAccountApiTests.Factory>
{
    public sealed class Factory : MemberAccountApiFactory;

    private static string NewEmail(string prefix = "reg") => $"{prefix}-{Guid.NewGuid():N}@example.jp";

    private static object Registration(string email, string language = "ja", object? profile = null) => new
    {
        email,
        password = MemberAccountApiFactory.MemberPassword,
        displayName = "鈴木 次郎",
        language,
        nameKana = "すずき じろう",
        profile,
    };

    private Task<Member?> MemberByEmailAsync(string email) => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().Members.AsNoTracking().FirstOrDefaultAsync(m => m.NormalizedEmail == MemberText.NormalizeEmail(email)));

    [Fact]
    public async Task Register_verify_login_me_refresh_and_logout_work_end_to_end()
    {
        var email = NewEmail();
        var registered = await factory.PostAsync("register", Registration(email));
        Assert.Equal(HttpStatusCode.Accepted, registered.StatusCode);
        var member = await MemberByEmailAsync(email);
        Assert.NotNull(member);
        Assert.Equal(MemberStatus.PendingVerification, member.Status);
        var registeredEntry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.MemberRegistered && e.EntityId == member.Id.ToString());
        // Stored language-neutral, read in the officer's language, and never with the member's address or name.
        Assert.Equal($"Member {member.Id} registered; a verification link was sent.", AuditText.English(registeredEntry));
        Assert.Equal($"会員 {member.Id} が登録しました。確認用リンクを送信しました。", AuditText.Japanese(registeredEntry));
        Assert.Equal("", registeredEntry.Summary);
        Assert.DoesNotContain(email, registeredEntry.Parameters + AuditText.English(registeredEntry), StringComparison.Ordinal);
        Assert.DoesNotContain("鈴木", registeredEntry.Parameters + AuditText.Japanese(registeredEntry), StringComparison.Ordinal);

        // Not verified yet: the generic 401.
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.PostAsync("login", new { email, password = MemberAccountApiFactory.MemberPassword })).StatusCode);

        var (mail, token) = await factory.WaitForLinkAsync(email, "/members/verify");
        Assert.Contains("メールアドレス", mail.Subject + mail.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await factory.PostAsync("verify", new { token })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await factory.PostAsync("verify", new { token })).StatusCode);
        var verified = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.MemberEmailVerified && e.EntityId == member.Id.ToString());
        Assert.Equal($"Member {member.Id} confirmed the email address.", AuditText.English(verified));

        var tokens = await factory.SignInAsync(email);
        var access = tokens.GetProperty("accessToken").GetString()!;
        Assert.Equal(15 * 60, tokens.GetProperty("expiresIn").GetInt32());
        var refresh = tokens.GetProperty("refreshToken").GetString()!;
        Assert.NotEqual(access, refresh);
        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.SignInSucceeded && e.EntityId == member.Id.ToString());

        var me = await factory.SendAsync(HttpMethod.Get, "me", null, access);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("no-store", me.Headers.CacheControl?.ToString());
        var body = await MemberAccountApiFactory.JsonAsync(me);
        Assert.Equal(email, body.GetProperty("email").GetString());
        Assert.Equal("鈴木 次郎", body.GetProperty("displayName").GetString());
        Assert.Equal("active", body.GetProperty("status").GetString());

        var refreshed = await factory.PostAsync("refresh", new { refreshToken = refresh });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var next = await MemberAccountApiFactory.JsonAsync(refreshed);
        var nextRefresh = next.GetProperty("refreshToken").GetString()!;
        Assert.NotEqual(refresh, nextRefresh);
        Assert.Equal(HttpStatusCode.OK, (await factory.SendAsync(HttpMethod.Get, "me", null, next.GetProperty("accessToken").GetString())).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await factory.PostAsync("logout", new { refreshToken = nextRefresh })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.PostAsync("refresh", new { refreshToken = nextRefresh })).StatusCode);
        var signedOut = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.SignOut && e.EntityId == member.Id.ToString());
        Assert.Equal($"Member {member.Id} signed out (refresh token revoked).", AuditText.English(signedOut));
        Assert.Equal($"会員 {member.Id} がサインアウトしました（リフレッシュトークンを失効）。", AuditText.Japanese(signedOut));
        // Logging out with an unknown token changes nothing and says nothing.
        Assert.Equal(HttpStatusCode.NoContent, (await factory.PostAsync("logout", new { refreshToken = "unknown" })).StatusCode);
    }

    [Fact]
    public async Task Registering_a_known_address_answers_exactly_like_a_new_one_and_mails_the_member_instead()
    {
        var member = await factory.AddMemberAsync(language: MemberLanguages.English);
        var fresh = NewEmail("fresh");

        var known = await factory.PostAsync("register", Registration(member.Email, "en"));
        var unknown = await factory.PostAsync("register", Registration(fresh, "en"));

        Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await known.Content.ReadAsStringAsync());
        Assert.Equal(unknown.Content.Headers.ContentLength, known.Content.Headers.ContentLength);
        var (englishMail, _) = await factory.WaitForLinkAsync(fresh, "/members/verify");
        Assert.StartsWith("Confirm your email address for Example Shop", englishMail.Subject, StringComparison.Ordinal);
        var told = await Support.Eventually.GetAsync(() => factory.MailsToAsync(member.Email), m => m.Count > 0, "the existing member is told");
        Assert.Equal("Registration at Example Shop", Assert.Single(told).Subject);
        // The existing member is unchanged (same password).
        await factory.SignInAsync(member.Email);
        var duplicate = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.MemberRegistrationDuplicate && e.EntityId == member.Id.ToString());
        Assert.Equal($"A registration used the address of member {member.Id} (active); nothing was changed and the member was told by mail.", AuditText.English(duplicate));
        Assert.Equal($"会員 {member.Id}（有効）のメールアドレスで登録が試みられました。何も変更せず、会員にメールで知らせました。", AuditText.Japanese(duplicate));
    }

    [Fact]
    public async Task Registration_honours_the_settings_mode_domains_and_verification()
    {
        try
        {
            await factory.SetRegistrationAsync(s => s.Mode = MemberRegistrationMode.Closed);
            var closed = await factory.PostAsync("register", Registration(NewEmail()));
            Assert.Equal(HttpStatusCode.Forbidden, closed.StatusCode);
            Assert.Equal("application/problem+json", closed.Content.Headers.ContentType?.MediaType);

            await factory.SetRegistrationAsync(s => s.Mode = MemberRegistrationMode.InvitationOnly);
            Assert.Equal(HttpStatusCode.Forbidden, (await factory.PostAsync("register", Registration(NewEmail()))).StatusCode);

            await factory.SetRegistrationAsync(s =>
            {
                s.Mode = MemberRegistrationMode.Open;
                s.DeniedDomains = ["spam.example"];
            });
            var denied = await factory.PostAsync("register", Registration($"x-{Guid.NewGuid():N}@mail.spam.example"));
            Assert.Equal(HttpStatusCode.BadRequest, denied.StatusCode);
            Assert.True((await MemberAccountApiFactory.JsonAsync(denied)).GetProperty("errors").TryGetProperty("email", out _));

            await factory.SetRegistrationAsync(s =>
            {
                s.DeniedDomains = [];
                s.AllowedDomains = ["partner.example"];
            });
            Assert.Equal(HttpStatusCode.BadRequest, (await factory.PostAsync("register", Registration(NewEmail()))).StatusCode);
            var allowed = $"p-{Guid.NewGuid():N}@partner.example";
            Assert.Equal(HttpStatusCode.Accepted, (await factory.PostAsync("register", Registration(allowed))).StatusCode);
            Assert.Equal(MemberStatus.PendingVerification, (await MemberByEmailAsync(allowed))!.Status);

            await factory.SetRegistrationAsync(s =>
            {
                s.AllowedDomains = [];
                s.RequireEmailVerification = false;
            });
            var direct = NewEmail("direct");
            Assert.Equal(HttpStatusCode.Accepted, (await factory.PostAsync("register", Registration(direct))).StatusCode);
            Assert.Equal(MemberStatus.Active, (await MemberByEmailAsync(direct))!.Status);
            await factory.SignInAsync(direct);
        }
        finally
        {
            await factory.SetRegistrationAsync(s =>
            {
                s.Mode = MemberRegistrationMode.Open;
                s.AllowedDomains = [];
                s.DeniedDomains = [];
                s.RequireEmailVerification = true;
            });
        }
    }

    [Fact]
    public async Task Bad_registrations_are_400_problems_naming_the_fields_and_create_nothing()
    {
        var email = NewEmail("bad");
        var weak = await factory.PostAsync("register", new { email, password = "short", displayName = "", language = "fr" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Equal("application/problem+json", weak.Content.Headers.ContentType?.MediaType);
        var errors = (await MemberAccountApiFactory.JsonAsync(weak)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("password", out _));
        Assert.True(errors.TryGetProperty("displayName", out _));
        Assert.True(errors.TryGetProperty("language", out _));
        Assert.Null(await MemberByEmailAsync(email));

        var typo = await factory.PostAsync("register", new { emial = email });
        Assert.Equal(HttpStatusCode.BadRequest, typo.StatusCode);
        using var client = factory.CreateClient();
        using var text = new HttpRequestMessage(HttpMethod.Post, "/api/v1/members/register") { Content = new StringContent("email=x") };
        text.Headers.Add("X-API-Key", await factory.ApiKeyAsync());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.SendAsync(text)).StatusCode);
    }

    [Fact]
    public async Task A_verification_link_expires_after_the_settings_hours()
    {
        var email = NewEmail("late");
        Assert.Equal(HttpStatusCode.Accepted, (await factory.PostAsync("register", Registration(email))).StatusCode);
        var (_, token) = await factory.WaitForLinkAsync(email, "/members/verify");

        factory.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        var late = await factory.PostAsync("verify", new { token });

        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.True((await MemberAccountApiFactory.JsonAsync(late)).GetProperty("errors").TryGetProperty("token", out _));
        Assert.Equal(MemberStatus.PendingVerification, (await MemberByEmailAsync(email))!.Status);
    }

    [Fact]
    public async Task Me_needs_the_members_token_and_patch_validates_custom_fields_with_their_rules()
    {
        await factory.SetProfileFieldsAsync(
            new FieldDefinition { Key = "nickname", LabelEn = "Nickname", LabelJa = "ニックネーム", Kind = FieldKind.ShortText, MaxLength = 10 },
            new FieldDefinition { Key = "age", LabelEn = "Age", LabelJa = "年齢", Kind = FieldKind.Number, MinValue = 0, MaxValue = 150 },
            new FieldDefinition { Key = "plan", LabelEn = "Plan", LabelJa = "プラン", Kind = FieldKind.SingleChoice, Choices = ["basic", "gold"] });
        var member = await factory.AddMemberAsync();
        var access = (await factory.SignInAsync(member.Email)).GetProperty("accessToken").GetString()!;

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.SendAsync(HttpMethod.Get, "me", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.SendAsync(HttpMethod.Get, "me", null, access, withKey: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.SendAsync(HttpMethod.Get, "me", null, access[..^3] + "abc")).StatusCode);

        var bad = await factory.SendAsync(HttpMethod.Patch, "me", new { profile = new { nickname = "much-too-long-name", age = 200, plan = "platinum", shoeSize = 27 } }, access);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await MemberAccountApiFactory.JsonAsync(bad)).GetProperty("errors");
        Assert.Equal(["profile.age", "profile.nickname", "profile.plan", "profile.shoeSize"],
            errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("{}", (await factory.MemberAsync(member.Id)).ProfileJson);
        var email = await factory.SendAsync(HttpMethod.Patch, "me", new { email = "new@example.jp" }, access);
        Assert.Equal(HttpStatusCode.BadRequest, email.StatusCode);

        var before = (await factory.AuditEntriesAsync()).Count;
        var ok = await factory.SendAsync(HttpMethod.Patch, "me", new { displayName = "山田 太郎", language = "en", profile = new { nickname = "taro", age = 42, plan = "gold" } }, access);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = await MemberAccountApiFactory.JsonAsync(ok);
        Assert.Equal("山田 太郎", body.GetProperty("displayName").GetString());
        Assert.Equal("en", body.GetProperty("language").GetString());
        Assert.Equal(42, body.GetProperty("profile").GetProperty("age").GetDecimal());
        Assert.Equal("gold", body.GetProperty("profile").GetProperty("plan").GetString());
        var entry = Assert.Single((await factory.AuditEntriesAsync()).Skip(before), e => e.Action == AuditActions.MemberProfileUpdated);
        Assert.Equal(member.Id.ToString(), entry.ActorId);
        // Personal values are recorded encrypted with the member's key, never readable in the log.
        Assert.DoesNotContain("山田 太郎", entry.Changes, StringComparison.Ordinal);
        Assert.Equal($"Member {member.Id} changed their profile (Display name, Language, Profile fields).", AuditText.English(entry));
        Assert.Equal($"会員 {member.Id} が自分のプロフィールを変更しました（表示名、言語、プロフィール項目）。", AuditText.Japanese(entry));
        Assert.DoesNotContain("山田", entry.Parameters, StringComparison.Ordinal);

        var cleared = await factory.SendAsync(HttpMethod.Patch, "me", JsonDocument.Parse("""{"profile":{"nickname":null}}""").RootElement, access);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        var profile = (await MemberAccountApiFactory.JsonAsync(cleared)).GetProperty("profile");
        Assert.Equal(JsonValueKind.Null, profile.GetProperty("nickname").ValueKind);
        Assert.Equal("gold", profile.GetProperty("plan").GetString());
        await factory.SetProfileFieldsAsync();
    }

    [Fact]
    public async Task A_reused_refresh_token_revokes_the_whole_family_and_an_expired_one_is_refused()
    {
        var member = await factory.AddMemberAsync();
        var first = (await factory.SignInAsync(member.Email)).GetProperty("refreshToken").GetString()!;
        var other = (await factory.SignInAsync(member.Email)).GetProperty("refreshToken").GetString()!;
        var second = (await MemberAccountApiFactory.JsonAsync(await factory.PostAsync("refresh", new { refreshToken = first }))).GetProperty("refreshToken").GetString()!;

        // The stolen copy of the first token is presented again: that sign-in ends, including the thief's successor.
        var reused = await factory.PostAsync("refresh", new { refreshToken = first });
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        Assert.Equal("Bearer", reused.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.PostAsync("refresh", new { refreshToken = second })).StatusCode);
        var entry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.MemberRefreshTokenReused && e.EntityId == member.Id.ToString());
        Assert.Equal(AuditOutcome.Denied, entry.Outcome);
        Assert.Equal($"A used refresh token of member {member.Id} was presented again: the sign-in was ended (2 token(s) revoked).", AuditText.English(entry));
        var stored = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().MemberRefreshTokens.AsNoTracking()
            .Where(t => t.MemberId == member.Id).ToListAsync());
        Assert.Equal(3, stored.Count);
        Assert.Equal(2, stored.Count(t => t.RevokedAtUtc is not null));

        // Another sign-in (another family) is untouched, until it expires (one day without remember-me).
        var otherNext = await factory.PostAsync("refresh", new { refreshToken = other });
        Assert.Equal(HttpStatusCode.OK, otherNext.StatusCode);
        var third = (await MemberAccountApiFactory.JsonAsync(otherNext)).GetProperty("refreshToken").GetString()!;
        factory.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.PostAsync("refresh", new { refreshToken = third })).StatusCode);
    }

    [Fact]
    public async Task The_access_token_expires_and_refresh_gives_a_new_one()
    {
        var member = await factory.AddMemberAsync();
        var tokens = await factory.SignInAsync(member.Email);
        factory.Clock.Advance(TimeSpan.FromMinutes(16));

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.SendAsync(HttpMethod.Get, "me", null, tokens.GetProperty("accessToken").GetString())).StatusCode);
        var refreshed = await MemberAccountApiFactory.JsonAsync(await factory.PostAsync("refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() }));
        Assert.Equal(HttpStatusCode.OK, (await factory.SendAsync(HttpMethod.Get, "me", null, refreshed.GetProperty("accessToken").GetString())).StatusCode);
    }
}
