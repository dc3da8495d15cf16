using System.Diagnostics;
using System.Net;
using Kuroco.Core.Audit;
using Kuroco.Core.Members;
using Kuroco.Core.Security;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kuroco.Tests.Integration.Members;

/// <summary>
/// A member's passwords over the API: change (current + new, member policy and history), forgot (202 whatever the
/// address, in equal time) and reset (single-use one-hour link; every sign-in ends).
/// </summary>
public sealed class MemberAccountApiPasswordTests(MemberAccountApiPasswordTests.Factory factory, ITestOutputHelper output)
    : IClassFixture<MemberAccountApiPasswordTests.Factory>
{
    public sealed class Factory : MemberAccountApiFactory;

    private const string NewPassword = "Kaze3-Tsuki-Hoshi!55w";
    private const string ThirdPassword = "Yuki8-Hana-Mizu!482q";

    private Task<int> ActiveRefreshTokensAsync(Guid memberId) => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().MemberRefreshTokens.CountAsync(t => t.MemberId == memberId && t.RevokedAtUtc == null));

    private Task SetPolicyAsync(Action<PasswordPolicy> change) => factory.WithScopeAsync(async sp =>
    {
        var store = sp.GetRequiredService<IMemberPasswordPolicyStore>();
        var policy = await store.GetAsync();
        change(policy);
        var saved = await store.SaveAsync(policy);
        Assert.True(saved.Succeeded, saved.Message);
    });

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_follows_the_member_policy_and_history_and_ends_other_sessions()
    {
        await SetPolicyAsync(p => p.HistoryCount = 3);
        var member = await factory.AddMemberAsync();
        var other = await factory.SignInAsync(member.Email);
        var mine = await factory.SignInAsync(member.Email);
        var access = mine.GetProperty("accessToken").GetString()!;

        var wrong = await factory.PostAsync("password", new { currentPassword = "not-it", newPassword = NewPassword }, access);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.True((await MemberAccountApiFactory.JsonAsync(wrong)).GetProperty("errors").TryGetProperty("currentPassword", out _));
        var weak = await factory.PostAsync("password", new { currentPassword = MemberAccountApiFactory.MemberPassword, newPassword = "abc" }, access);
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.True((await MemberAccountApiFactory.JsonAsync(weak)).GetProperty("errors").TryGetProperty("newPassword", out _));
        var same = await factory.PostAsync("password", new { currentPassword = MemberAccountApiFactory.MemberPassword, newPassword = MemberAccountApiFactory.MemberPassword }, access);
        Assert.Equal(HttpStatusCode.BadRequest, same.StatusCode);

        var changed = await factory.PostAsync("password", new { currentPassword = MemberAccountApiFactory.MemberPassword, newPassword = NewPassword }, access);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var fresh = await MemberAccountApiFactory.JsonAsync(changed);
        // Every earlier token stops working; the answer's pair works.
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.SendAsync(HttpMethod.Get, "me", null, access)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.PostAsync("refresh", new { refreshToken = other.GetProperty("refreshToken").GetString() })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.SendAsync(HttpMethod.Get, "me", null, fresh.GetProperty("accessToken").GetString())).StatusCode);
        Assert.Equal(1, await ActiveRefreshTokensAsync(member.Id));
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.PostAsync("login", new { email = member.Email, password = MemberAccountApiFactory.MemberPassword })).StatusCode);
        var changedEntry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.PasswordChanged && e.EntityId == member.Id.ToString());
        // The staff code with the member's variant: no address (staff entries name theirs), the member's id.
        Assert.Equal($"Member {member.Id} changed their password; every other sign-in ended (2 refresh token(s) revoked).", AuditText.English(changedEntry));
        Assert.Equal($"会員 {member.Id} がパスワードを変更しました。他のすべてのサインインを終了しました（リフレッシュトークン 2 件を失効）。", AuditText.Japanese(changedEntry));
        Assert.Contains(await factory.MailsToAsync(member.Email), m => m.Subject.Contains("パスワード", StringComparison.Ordinal));

        // The history: back to the first password is refused while it is among the last three.
        var token = fresh.GetProperty("accessToken").GetString()!;
        var back = await factory.PostAsync("password", new { currentPassword = NewPassword, newPassword = MemberAccountApiFactory.MemberPassword }, token);
        Assert.Equal(HttpStatusCode.BadRequest, back.StatusCode);
        Assert.True((await MemberAccountApiFactory.JsonAsync(back)).GetProperty("errors").TryGetProperty("newPassword", out _));
        await SetPolicyAsync(p => p.HistoryCount = 5);
    }

    [Fact]
    public async Task Forgot_answers_202_with_the_same_body_and_time_for_known_and_unknown_addresses_and_mails_only_members()
    {
        var member = await factory.AddMemberAsync();
        var suspended = await factory.AddMemberAsync(MemberStatus.Suspended);
        var unknown = $"nobody-{Guid.NewGuid():N}@example.jp";
        // Warm up the path once.
        await factory.PostAsync("password/forgot", new { email = $"warm-{Guid.NewGuid():N}@example.jp" });

        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        string? knownBody = null, unknownBody = null;
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            var known = await factory.PostAsync("password/forgot", new { email = member.Email });
            knownTimes.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            var none = await factory.PostAsync("password/forgot", new { email = unknown });
            unknownTimes.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, none.StatusCode);
            knownBody = await known.Content.ReadAsStringAsync();
            unknownBody = await none.Content.ReadAsStringAsync();
        }
        Assert.Equal(HttpStatusCode.Accepted, (await factory.PostAsync("password/forgot", new { email = suspended.Email })).StatusCode);
        Assert.Equal(unknownBody, knownBody);
        var knownMedian = knownTimes.Order().ElementAt(2);
        var unknownMedian = unknownTimes.Order().ElementAt(2);
        output.WriteLine($"forgot: known median {knownMedian:F1} ms, unknown median {unknownMedian:F1} ms");
        // Generous: the lookup and the mail happen after the answer, so neither should take a password hash's time more.
        Assert.True(Math.Abs(knownMedian - unknownMedian) < 100, $"known {knownMedian:F1} ms vs unknown {unknownMedian:F1} ms");

        // One mail (at most one per minute per member), none to the suspended member or to an unknown address.
        var (mail, _) = await factory.WaitForLinkAsync(member.Email, "/members/reset-password");
        Assert.Contains("パスワード", mail.Subject, StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Single(await factory.MailsToAsync(member.Email));
        Assert.Empty(await factory.MailsToAsync(suspended.Email));
        Assert.Empty(await factory.MailsToAsync(unknown));
    }

    [Fact]
    public async Task Reset_sets_the_password_once_ends_every_sign_in_and_lifts_a_lock()
    {
        var member = await factory.AddMemberAsync();
        var session = await factory.SignInAsync(member.Email);
        await factory.ChangeMemberAsync(member.Id, m => m.LockoutEndUtc = factory.Clock.GetUtcNow().UtcDateTime.AddHours(1));
        Assert.Equal(HttpStatusCode.Accepted, (await factory.PostAsync("password/forgot", new { email = member.Email })).StatusCode);
        var (_, token) = await factory.WaitForLinkAsync(member.Email, "/members/reset-password");

        var weak = await factory.PostAsync("password/reset", new { token, password = "abc" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.True((await MemberAccountApiFactory.JsonAsync(weak)).GetProperty("errors").TryGetProperty("password", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await factory.PostAsync("password/reset", new { token, password = NewPassword })).StatusCode);
        var reused = await factory.PostAsync("password/reset", new { token, password = ThirdPassword });
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.True((await MemberAccountApiFactory.JsonAsync(reused)).GetProperty("errors").TryGetProperty("token", out _));

        Assert.Equal(0, await ActiveRefreshTokensAsync(member.Id));
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.SendAsync(HttpMethod.Get, "me", null, session.GetProperty("accessToken").GetString())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.PostAsync("refresh", new { refreshToken = session.GetProperty("refreshToken").GetString() })).StatusCode);
        await factory.SignInAsync(member.Email, NewPassword);
        var stored = await factory.MemberAsync(member.Id);
        Assert.Null(stored.LockoutEndUtc);
        var reset = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.MemberPasswordReset && e.EntityId == member.Id.ToString());
        Assert.Equal($"Member {member.Id} set a new password with a reset link; every sign-in ended (1 refresh token(s) revoked) and the lock was lifted.", AuditText.English(reset));
        Assert.Equal(HttpStatusCode.BadRequest, (await factory.PostAsync("password/reset", new { token = "made-up", password = ThirdPassword })).StatusCode);
    }
}
