using System.Net;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Members;

/// <summary>
/// The account mails staff start (<see cref="IMemberAccountActions"/>): in the member's language, with links to the
/// configured website, tokens stored hashed, single use and expiring; and used through the member API.
/// </summary>
public sealed class MemberAccountApiActionsTests(MemberAccountApiActionsTests.Factory factory) : IClassFixture<MemberAccountApiActionsTests.Factory>
{
    public sealed class Factory : MemberAccountApiFactory;

    private Task<T> WithActionsAsync<T>(Func<IMemberAccountActions, Task<T>> action) =>
        factory.WithScopeAsync(sp => action(sp.GetRequiredService<IMemberAccountActions>()));

    private Task<List<MemberToken>> TokensAsync(Guid memberId) => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().MemberTokens.AsNoTracking().Where(t => t.MemberId == memberId).ToListAsync());

    [Fact]
    public async Task An_invitation_creates_a_pending_member_mails_a_japanese_link_to_the_site_and_the_token_works_once()
    {
        var email = $"invited-{Guid.NewGuid():N}@example.jp";
        var invited = await WithActionsAsync(a => a.InviteAsync(new MemberInvitation(email, "佐藤 一郎", MemberLanguages.Japanese, [])));

        Assert.True(invited.TryGetValue(out var member), invited.Message);
        var stored = await factory.MemberAsync(member.Id);
        Assert.Equal(MemberStatus.PendingVerification, stored.Status);
        Assert.Null(stored.PasswordHash);
        var (mail, token) = await factory.WaitForLinkAsync(email, "/members/invitation");
        Assert.Contains("Example Shop", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("招待", mail.Subject + mail.Body, StringComparison.Ordinal);
        Assert.Contains("佐藤 一郎", mail.Body, StringComparison.Ordinal);
        // Only the hash is stored; it expires after the settings' invitation hours (72 by default).
        var row = Assert.Single(await TokensAsync(member.Id));
        Assert.Equal(MemberSecrets.Hash(token), row.TokenHash);
        Assert.DoesNotContain(token, row.TokenHash, StringComparison.Ordinal);
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime.AddHours(72), row.ExpiresAtUtc);
        var entry = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.MemberInvited);
        Assert.Equal(member.Id.ToString(), entry.EntityId);
        Assert.Equal($"Member {member.Id} was invited (pending, no password; 0 group(s); the link is valid for 72 hours).", AuditText.English(entry));
        Assert.DoesNotContain(email, AuditText.English(entry) + entry.Parameters + entry.Changes, StringComparison.Ordinal);

        var accepted = await factory.PostAsync("verify", new { token, password = MemberAccountApiFactory.MemberPassword });
        Assert.True(accepted.StatusCode == HttpStatusCode.NoContent, await accepted.Content.ReadAsStringAsync());
        Assert.Equal(MemberStatus.Active, (await factory.MemberAsync(member.Id)).Status);
        await factory.SignInAsync(email);

        var again = await factory.PostAsync("verify", new { token, password = "Yuki8-Hana-Mizu!482q" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        await factory.SignInAsync(email);
    }

    [Fact]
    public async Task A_password_reset_mail_is_in_english_for_an_english_member_and_its_link_expires_after_one_hour()
    {
        var member = await factory.AddMemberAsync(language: MemberLanguages.English);

        Assert.True((await WithActionsAsync(a => a.SendPasswordResetAsync(member.Id))).Succeeded);

        var (mail, token) = await factory.WaitForLinkAsync(member.Email, "/members/reset-password");
        Assert.StartsWith("Reset your password for Example Shop", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', mail.Body);
        var sent = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.MemberPasswordResetSent && e.EntityId == member.Id.ToString());
        Assert.Equal($"A password-reset link was sent to member {member.Id} (valid for 1 hour(s); earlier links no longer work).", AuditText.English(sent));
        factory.Clock.Advance(TimeSpan.FromMinutes(61));
        try
        {
            var late = await factory.PostAsync("password/reset", new { token, password = "Kaze3-Tsuki-Hoshi!55w" });
            Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
            await factory.SignInAsync(member.Email);
        }
        finally
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public async Task Staff_actions_refuse_what_does_not_apply_and_say_why()
    {
        var active = await factory.AddMemberAsync();
        var pending = await factory.AddMemberAsync(MemberStatus.PendingVerification);

        Assert.Equal(ErrorKind.Conflict, (await WithActionsAsync(a => a.ResendVerificationAsync(active.Id))).Error);
        Assert.Equal(ErrorKind.Conflict, (await WithActionsAsync(a => a.SendPasswordResetAsync(pending.Id))).Error);
        Assert.Equal(ErrorKind.NotFound, (await WithActionsAsync(a => a.SendPasswordResetAsync(Guid.NewGuid()))).Error);
        var duplicate = await WithActionsAsync(a => a.InviteAsync(new MemberInvitation(active.Email, "x", MemberLanguages.English, [])));
        Assert.Equal(ErrorKind.Conflict, duplicate.Error);
        var bad = await WithActionsAsync(a => a.InviteAsync(new MemberInvitation("not-an-address", "x", "fr", [Guid.NewGuid()])));
        Assert.Equal(ErrorKind.Validation, bad.Error);
        Assert.Equal(3, bad.FieldErrors.Count);

        // A new verification link replaces the old one.
        Assert.True((await WithActionsAsync(a => a.ResendVerificationAsync(pending.Id))).Succeeded);
        Assert.True((await WithActionsAsync(a => a.ResendVerificationAsync(pending.Id))).Succeeded);
        var (_, first) = await factory.WaitForLinkAsync(pending.Email, "/members/verify");
        var (_, second) = await factory.WaitForLinkAsync(pending.Email, "/members/verify", count: 2);
        Assert.Equal(HttpStatusCode.BadRequest, (await factory.PostAsync("verify", new { token = first })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await factory.PostAsync("verify", new { token = second })).StatusCode);
        Assert.Equal(MemberStatus.Active, (await factory.MemberAsync(pending.Id)).Status);
    }

    [Fact]
    public async Task A_mail_refuses_a_display_name_with_a_line_break_in_its_headers()
    {
        var member = await factory.AddMemberAsync(language: MemberLanguages.English);
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            var row = await db.Members.SingleAsync(m => m.Id == member.Id);
            row.DisplayName = "Eve\r\nBcc: victim@example.com";
            await db.SaveChangesAsync();
        });

        Assert.True((await WithActionsAsync(a => a.SendPasswordResetAsync(member.Id))).Succeeded);

        var (mail, _) = await factory.WaitForLinkAsync(member.Email, "/members/reset-password");
        Assert.Null(mail.ToName);
        Assert.DoesNotContain("Bcc", mail.Body + mail.Subject, StringComparison.Ordinal);
    }
}
