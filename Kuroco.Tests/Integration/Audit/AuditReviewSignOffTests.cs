using Kuroco.Core.Audit;
using Kuroco.Core.Audit.Review;
using Kuroco.Core.Common;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Audit.Review;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Kuroco.Tests.Integration.Audit.AuditReviewAppFactory;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>Decisions, the sign-off that makes a review read-only, re-preparing a signed month, and the overdue reminder on a fake clock.</summary>
public sealed class AuditReviewSignOffTests(AuditReviewAppFactory factory) : IClassFixture<AuditReviewAppFactory>
{
    private static DateTime Tokyo(int year, int month, int day, int hour, int minute = 0) =>
        new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-9);

    [Fact]
    public async Task Sign_off_needs_every_finding_decided_then_the_review_is_read_only_and_its_entry_is_in_the_chain()
    {
        await factory.InsertAsync(
            Row(AuditActions.StaffRolesChanged, Tokyo(2026, 5, 12, 10), "ok@test.local", "u-ok", "Administrator", "10.0.0.1"),
            Row(AuditActions.ApiKeyCreated, Tokyo(2026, 5, 12, 11), "ok@test.local", "u-ok", "Administrator", "10.0.0.1"));
        var review = await factory.PrepareAsync(new DateOnly(2026, 5, 1));
        Assert.Equal(2, review.Findings.Count);
        var (first, second) = (review.Findings[0], review.Findings[1]);

        var early = await factory.WithReviewsAsync(s => s.SignOffAsync(review.Id));
        Assert.Equal(ErrorKind.Conflict, early.Error);
        var noComment = await factory.WithReviewsAsync(s => s.DecideAsync(first.Id, AuditFindingDecision.Acknowledged, "  "));
        Assert.Equal(ErrorKind.Validation, noComment.Error);

        Assert.True((await factory.WithReviewsAsync(s => s.DecideAsync(first.Id, AuditFindingDecision.Acknowledged, "Planned change."))).Succeeded);
        Assert.Equal(AuditReviewState.InReview, (await factory.GetReviewAsync(new DateOnly(2026, 5, 1)))!.State);
        Assert.True((await factory.WithReviewsAsync(s => s.DecideAsync(second.Id, AuditFindingDecision.Escalated, "Who asked for this key?"))).Succeeded);
        // The escalation went to the Administrators.
        Assert.Contains(await factory.MailsAsync(KurocoAppFactory.AdminEmail), m => m.Subject.Contains("escalated", StringComparison.Ordinal) && m.Body.Contains("Who asked for this key?", StringComparison.Ordinal));

        var signed = await factory.WithReviewsAsync(s => s.SignOffAsync(review.Id));
        Assert.True(signed.Succeeded, signed.Message);

        var after = (await factory.GetReviewAsync(new DateOnly(2026, 5, 1)))!;
        Assert.Equal(AuditReviewState.Signed, after.State);
        Assert.True(after.IsReadOnly);
        Assert.NotNull(after.SignedAtUtc);
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime, after.SignedAtUtc);
        var entries = await factory.AuditEntriesAsync();
        var signOff = Assert.Single(entries, e => e.Action == AuditActions.AuditReviewSignedOff);
        Assert.Equal(signOff.Sequence, after.SignOffSequence);
        Assert.Equal(signOff.Hash, after.SignOffHash);
        Assert.Equal(AuditHasher.Compute(signOff), signOff.Hash);
        Assert.Contains(entries, e => e.Action == AuditActions.AuditReviewFindingAcknowledged && e.EntityId == first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(entries, e => e.Action == AuditActions.AuditReviewFindingEscalated && e.EntityId == second.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Read-only for good: no decision, no second sign-off, nothing changed.
        var change = await factory.WithReviewsAsync(s => s.DecideAsync(first.Id, AuditFindingDecision.Escalated, "Changed my mind."));
        Assert.Equal(ErrorKind.Conflict, change.Error);
        Assert.Equal(ErrorKind.Conflict, (await factory.WithReviewsAsync(s => s.SignOffAsync(review.Id))).Error);
        var unchanged = (await factory.GetReviewAsync(new DateOnly(2026, 5, 1)))!;
        Assert.Equal(AuditFindingDecision.Acknowledged, unchanged.Findings.Single(f => f.Id == first.Id).Decision);
        Assert.Equal("Planned change.", unchanged.Findings.Single(f => f.Id == first.Id).Comment);
        Assert.Equal(after.SignOffHash, unchanged.SignOffHash);

        // "Prepare now" again: a new version; the signed one stays exactly as it was.
        await factory.InsertAsync(Row(AuditActions.SessionPolicyChanged, Tokyo(2026, 5, 20, 10), "ok@test.local", "u-ok", "Administrator", "10.0.0.1"));
        var secondVersion = await factory.PrepareAsync(new DateOnly(2026, 5, 1));
        Assert.Equal(2, secondVersion.Version);
        Assert.Equal(AuditReviewState.Ready, secondVersion.State);
        Assert.Equal(3, secondVersion.Findings.Count);
        var v1 = (await factory.GetReviewAsync(new DateOnly(2026, 5, 1), 1))!;
        Assert.Equal(AuditReviewState.Signed, v1.State);
        Assert.Equal(2, v1.Findings.Count);
        Assert.Equal(after.SignOffHash, v1.SignOffHash);
        Assert.Equal(after.SignedAtUtc, v1.SignedAtUtc);
        Assert.Equal(2, (await factory.WithReviewsAsync(s => s.ListAsync())).Count(r => r.Month == "2026-05"));
    }

    [Fact]
    public async Task Only_a_month_that_has_ended_can_be_prepared()
    {
        var today = factory.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(9));
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var current = await factory.WithReviewsAsync(s => s.RequestPreparationAsync(thisMonth));
        Assert.Equal(ErrorKind.Validation, current.Error);
        var future = await factory.WithReviewsAsync(s => s.RequestPreparationAsync(thisMonth.AddMonths(2)));
        Assert.Equal(ErrorKind.Validation, future.Error);
    }

    [Fact]
    public async Task An_unsigned_review_past_its_deadline_is_mailed_to_officers_and_administrators_once_a_day()
    {
        await factory.CreateStaffAsync("officer-overdue@test.local", StaffRoles.SecurityOfficer);
        await factory.InsertAsync(Row(AuditActions.StaffRolesChanged, Tokyo(2026, 3, 3, 10), "ok@test.local", "u-ok", "Administrator", "10.0.0.1"));
        var review = await factory.PrepareAsync(new DateOnly(2026, 3, 1));
        Assert.Contains(await factory.MailsAsync("officer-overdue@test.local"), m => m.Subject.Contains("2026-03 is ready", StringComparison.Ordinal));

        Task RunReminderAsync() => factory.WithScopeAsync(sp => sp.GetRequiredService<AuditReviewReminderJob>().ExecuteAsync(CancellationToken.None));
        async Task<int> OverdueMailsAsync(string to) =>
            (await factory.MailsAsync(to)).Count(m => m.Subject.Contains("2026-03 is overdue", StringComparison.Ordinal));

        factory.Clock.Advance(TimeSpan.FromDays(10) - TimeSpan.FromMinutes(1));
        await RunReminderAsync();
        Assert.Equal(0, await OverdueMailsAsync("officer-overdue@test.local"));
        Assert.DoesNotContain(await factory.WithReviewsAsync(s => s.ListOverdueAsync()), r => r.Id == review.Id);

        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await RunReminderAsync();
        Assert.Equal(1, await OverdueMailsAsync("officer-overdue@test.local"));
        Assert.Equal(1, await OverdueMailsAsync(KurocoAppFactory.AdminEmail));
        Assert.Contains(await factory.WithReviewsAsync(s => s.ListOverdueAsync()), r => r.Id == review.Id);

        // Later the same day: no second mail.
        factory.Clock.Advance(TimeSpan.FromHours(2));
        await RunReminderAsync();
        Assert.Equal(1, await OverdueMailsAsync("officer-overdue@test.local"));

        // The next day: reminded again, and each reminder is audited.
        factory.Clock.Advance(TimeSpan.FromDays(1));
        await RunReminderAsync();
        Assert.Equal(2, await OverdueMailsAsync("officer-overdue@test.local"));
        Assert.Equal(2, (await factory.AuditEntriesAsync()).Count(e => e.Action == AuditActions.AuditReviewOverdueReminded && e.EntityId == "2026-03/v1"));

        // Signed: no more reminders.
        var finding = review.Findings.Single();
        Assert.True((await factory.WithReviewsAsync(s => s.DecideAsync(finding.Id, AuditFindingDecision.Acknowledged, "Fine."))).Succeeded);
        Assert.True((await factory.WithReviewsAsync(s => s.SignOffAsync(review.Id))).Succeeded);
        factory.Clock.Advance(TimeSpan.FromDays(1));
        await RunReminderAsync();
        Assert.Equal(2, await OverdueMailsAsync("officer-overdue@test.local"));
    }
}
