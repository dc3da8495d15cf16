using Kuroco.Core.Audit;
using Kuroco.Core.Audit.Review;
using Kuroco.Core.Mail;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Audit.Review;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Kuroco.Tests.Integration.Audit.AuditReviewAppFactory;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>
/// The review's mails (ready, escalated, overdue) go to each recipient once, in their own language and with times in their
/// own zone: an officer with Japanese gets a Japanese mail, one with English an English one.
/// </summary>
public sealed class AuditReviewMailLanguageTests(AuditReviewAppFactory factory) : IClassFixture<AuditReviewAppFactory>
{
    private const string JapaneseOfficer = "officer-ja@test.local";
    private const string EnglishOfficer = "officer-en@test.local";
    private const string JapaneseAdmin = "admin-ja@test.local";

    [Fact]
    public async Task Ready_escalated_and_overdue_mails_are_each_in_the_recipients_language_and_zone()
    {
        await StaffAsync(JapaneseOfficer, StaffRoles.SecurityOfficer, StaffLanguages.Japanese, "Asia/Tokyo");
        await StaffAsync(EnglishOfficer, StaffRoles.SecurityOfficer, StaffLanguages.English, "UTC");
        await StaffAsync(JapaneseAdmin, StaffRoles.Administrator, StaffLanguages.Japanese, "Asia/Tokyo");
        await factory.InsertAsync(Row(AuditActions.StaffRolesChanged, new DateTime(2026, 6, 10, 3, 0, 0, DateTimeKind.Utc), "ok@test.local", "u-ok", "Administrator", "10.0.0.1"));

        // Prepared at 2026-11-26 00:00 UTC (the fake clock): 09:00 in Tokyo.
        var review = await factory.PrepareAsync(new DateOnly(2026, 6, 1));

        var ja = Assert.Single(await factory.MailsAsync(JapaneseOfficer));
        Assert.Equal("[Kuroco] 2026-06 の監査レビューの準備ができました", ja.Subject);
        Assert.Contains("2026年11月26日 09:00（Asia/Tokyo） に準備しました", ja.Body, StringComparison.Ordinal);
        Assert.Contains("指摘事項 1 件", ja.Body, StringComparison.Ordinal);
        AssertOnlyJapanese(ja);
        var en = Assert.Single(await factory.MailsAsync(EnglishOfficer));
        Assert.Equal("[Kuroco] Audit review 2026-06 is ready", en.Subject);
        Assert.Contains("was prepared on 2026-11-26 00:00 (UTC): 1 entries, 1 findings.", en.Body, StringComparison.Ordinal);
        AssertOnlyEnglish(en);

        // Escalated: to the Administrators, each in their language, with the finding's kind translated.
        factory.Clock.Advance(TimeSpan.FromHours(1));
        var finding = review.Findings.Single();
        Assert.True((await factory.WithReviewsAsync(s => s.DecideAsync(finding.Id, AuditFindingDecision.Escalated, "Who changed this role?"))).Succeeded);
        var jaEscalation = Assert.Single(await factory.MailsAsync(JapaneseAdmin));
        Assert.Equal("[Kuroco] 監査の指摘事項がエスカレーションされました（2026-06）", jaEscalation.Subject);
        Assert.Contains("2026年11月26日 10:00（Asia/Tokyo）", jaEscalation.Body, StringComparison.Ordinal);
        Assert.Contains("ロールと権限の変更", jaEscalation.Body, StringComparison.Ordinal);
        Assert.Contains("コメント: Who changed this role?", jaEscalation.Body, StringComparison.Ordinal);
        var enEscalation = Assert.Single(await factory.MailsAsync(KurocoAppFactory.AdminEmail), m => m.Subject.Contains("escalated", StringComparison.Ordinal));
        Assert.Equal("[Kuroco] Audit finding escalated (2026-06)", enEscalation.Subject);
        Assert.Contains("Role and permission changes", enEscalation.Body, StringComparison.Ordinal);
        Assert.Contains("Comment: Who changed this role?", enEscalation.Body, StringComparison.Ordinal);
        AssertOnlyEnglish(enEscalation);

        // Overdue (10 days by default): officers and Administrators, once each, with the due date in their zone.
        factory.Clock.Advance(TimeSpan.FromDays(10));
        await factory.WithScopeAsync(sp => sp.GetRequiredService<AuditReviewReminderJob>().ExecuteAsync(CancellationToken.None));
        var jaOverdue = Assert.Single(await factory.MailsAsync(JapaneseOfficer), m => m.Subject.Contains("期限", StringComparison.Ordinal));
        Assert.Equal("[Kuroco] 2026-06 の監査レビューが期限を過ぎています", jaOverdue.Subject);
        Assert.Contains("（期限 2026年12月6日 09:00（Asia/Tokyo））", jaOverdue.Body, StringComparison.Ordinal);
        AssertOnlyJapanese(jaOverdue);
        var enOverdue = Assert.Single(await factory.MailsAsync(EnglishOfficer), m => m.Subject.Contains("overdue", StringComparison.Ordinal));
        Assert.Contains("within 10 days (due 2026-12-06 00:00 (UTC))", enOverdue.Body, StringComparison.Ordinal);
        AssertOnlyEnglish(enOverdue);
        Assert.Single(await factory.MailsAsync(JapaneseAdmin), m => m.Subject.Contains("期限", StringComparison.Ordinal));
        // An account that never chose a language (the bootstrap Administrator) reads the default, English.
        AssertOnlyEnglish(Assert.Single(await factory.MailsAsync(KurocoAppFactory.AdminEmail), m => m.Subject.Contains("overdue", StringComparison.Ordinal)));
    }

    private async Task StaffAsync(string email, string role, string language, string zone)
    {
        var id = await factory.CreateStaffAsync(email, role);
        await factory.UpdateStaffAsync(id, u =>
        {
            u.Language = language;
            u.TimeZoneId = zone;
        });
    }

    /// <summary>Not the old two-language mail: no English sentence in a Japanese one.</summary>
    private static void AssertOnlyJapanese(OutboxMessage mail)
    {
        Assert.DoesNotContain("audit review", mail.Subject + mail.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Open /audit", mail.Body, StringComparison.Ordinal);
    }

    private static void AssertOnlyEnglish(OutboxMessage mail) =>
        Assert.DoesNotMatch(@"[\u3040-\u30ff\u4e00-\u9fff]", mail.Subject + mail.Body);
}
