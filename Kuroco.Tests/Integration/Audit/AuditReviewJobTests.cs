using Kuroco.Core.Audit;
using Kuroco.Core.Audit.Review;
using Kuroco.Tests.Support;
using static Kuroco.Tests.Integration.Audit.AuditReviewAppFactory;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>
/// The review job on the real SQLite log: a month with one planted anomaly of every kind (each found and linked to exactly
/// its entries), and a clean month with ordinary activity where nothing is flagged. Times are Tokyo's (the default zone).
/// </summary>
public sealed class AuditReviewJobTests(AuditReviewAppFactory factory) : IClassFixture<AuditReviewAppFactory>
{
    private const string Admin = "Administrator";

    /// <summary>A time in Tokyo (UTC+9, no daylight saving) as UTC.</summary>
    private static DateTime Tokyo(int year, int month, int day, int hour, int minute = 0) =>
        new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-9);

    [Fact]
    public async Task Every_planted_anomaly_is_found_and_linked_to_its_entries()
    {
        DateTime Sep(int day, int hour, int minute = 0) => Tokyo(2026, 9, day, hour, minute);
        // History before the month: the new-address user signed in from another address in August.
        await factory.InsertAsync(
            Row(AuditActions.SignInSucceeded, Tokyo(2026, 8, 20, 10), "mover@test.local", "u-mover", Admin, "10.0.0.2"),
            Row(AuditActions.SignInSucceeded, Tokyo(2026, 8, 20, 10), "ok@test.local", "u-ok", Admin, "10.0.0.1"));

        var accountBurst = await factory.InsertAsync([.. Enumerable.Range(0, 5).Select(i =>
            Row(AuditActions.SignInFailed, Sep(1, 10, i * 2), "victim@test.local", ip: $"198.51.100.{i + 1}", outcome: AuditOutcome.Failure))]);
        var addressBurst = await factory.InsertAsync([.. Enumerable.Range(0, 5).Select(i =>
            Row(AuditActions.SignInFailed, Sep(1, 11, i), $"guess{i}@test.local", ip: "203.0.113.9", outcome: AuditOutcome.Failure))]);
        // Four failures in the window: under the threshold of five.
        await factory.InsertAsync([.. Enumerable.Range(0, 4).Select(i =>
            Row(AuditActions.SignInFailed, Sep(1, 12, i), "typo@test.local", ip: $"192.0.2.{i + 10}", outcome: AuditOutcome.Failure))]);
        // Five failures of one account, but spread over hours: no burst either.
        await factory.InsertAsync([.. Enumerable.Range(0, 5).Select(i =>
            Row(AuditActions.SignInFailed, Sep(2, 9 + i), "slow@test.local", ip: $"192.0.2.{i + 20}", outcome: AuditOutcome.Failure))]);

        var usual = await factory.InsertAsync(Row(AuditActions.SignInSucceeded, Sep(1, 9), "ok@test.local", "u-ok", Admin, "10.0.0.1"));
        var newAddress = await factory.InsertAsync(
            Row(AuditActions.SignInSucceeded, Sep(2, 10), "mover@test.local", "u-mover", Admin, "192.0.2.50"),
            Row(AuditActions.SignInSucceeded, Sep(3, 10), "mover@test.local", "u-mover", Admin, "192.0.2.50"));
        var night = await factory.InsertAsync(
            Row(AuditActions.StaffUpdated, Sep(2, 23), "night@test.local", "u-night", Admin, "10.0.0.3"),
            Row(AuditActions.StaffUpdated, Sep(5, 10), "night@test.local", "u-night", Admin, "10.0.0.3")); // a Saturday
        var lockout = await factory.InsertAsync(Row(AuditActions.LockedOut, Sep(1, 10, 9), "victim@test.local", outcome: AuditOutcome.Failure));
        var role = await factory.InsertAsync(Row(AuditActions.StaffRolesChanged, Sep(3, 11), "ok@test.local", "u-ok", Admin, "10.0.0.1"));
        var policy = await factory.InsertAsync(Row(AuditActions.PasswordPolicyChanged, Sep(3, 11, 5), "ok@test.local", "u-ok", Admin, "10.0.0.1"));
        var ipList = await factory.InsertAsync(Row(AuditActions.IpAllowlistChanged, Sep(3, 11, 10), "ok@test.local", "u-ok", Admin, "10.0.0.1"));
        var session = await factory.InsertAsync(Row(AuditActions.SessionPolicyChanged, Sep(3, 11, 15), "ok@test.local", "u-ok", Admin, "10.0.0.1"));
        var apiKey = await factory.InsertAsync(Row(AuditActions.ApiKeyCreated, Sep(3, 11, 20), "ok@test.local", "u-ok", Admin, "10.0.0.1"));
        var export = await factory.InsertAsync(Row(AuditActions.MembersExported, Sep(3, 11, 25), "ok@test.local", "u-ok", Admin, "10.0.0.1"));
        var purge = await factory.InsertAsync(Row(AuditActions.MediaFilesPurged, Sep(3, 11, 30), "system"));
        var deletions = await factory.InsertAsync([.. Enumerable.Range(0, 20).Select(i =>
            Row(AuditActions.ContentItemDeleted, Sep(4, 14, i), "deleter@test.local", "u-del", "ContentEditor", "10.0.0.4"))]);
        var restore = await factory.InsertAsync(Row(AuditActions.ContentVersionRestored, Sep(4, 15), "ok@test.local", "u-ok", Admin, "10.0.0.1"));
        var denied = await factory.InsertAsync(
            Row(AuditActions.IpDenied, Sep(4, 3), "anonymous", ip: "203.0.113.77", outcome: AuditOutcome.Denied),
            Row(AuditActions.IpDenied, Sep(4, 4), "anonymous", ip: "203.0.113.77", outcome: AuditOutcome.Denied));
        var broken = await factory.InsertAsync(Row(AuditActions.AuditChainBroken, Sep(4, 3, 15), "system", outcome: AuditOutcome.Failure));
        // Outside the month (October in Tokyo, although still 30 September in UTC): not reviewed.
        await factory.InsertAsync(Row(AuditActions.AuditChainBroken, Tokyo(2026, 10, 1, 0, 30), "system", outcome: AuditOutcome.Failure));

        var review = await factory.PrepareAsync(new DateOnly(2026, 9, 1));

        Assert.Equal(AuditReviewState.Ready, review.State);
        Assert.Equal("2026-09", review.Month);
        Assert.Equal(Tokyo(2026, 9, 1, 0), review.PeriodStartUtc);

        void Has(AuditFindingKind kind, string subject, IEnumerable<AuditEntry> entries, string detail = "")
        {
            var expected = entries.Select(e => e.Sequence).ToList();
            var found = review.Findings.Where(f => f.Kind == kind && f.Subject == subject && f.Detail == detail).ToList();
            var finding = Assert.Single(found);
            Assert.Equal(expected, finding.SequenceList);
            Assert.Equal(expected.Count, finding.EntryCount);
        }
        Has(AuditFindingKind.FailedSignInBurstAccount, "victim@test.local", accountBurst);
        Has(AuditFindingKind.FailedSignInBurstAddress, "203.0.113.9", addressBurst);
        Has(AuditFindingKind.Lockout, "victim@test.local", lockout);
        Has(AuditFindingKind.NewSignInAddress, "mover@test.local", newAddress.Take(1), "192.0.2.50");
        Has(AuditFindingKind.OutsideBusinessHours, "night@test.local", night);
        Has(AuditFindingKind.RoleChange, "", role, AuditActions.StaffRolesChanged);
        Has(AuditFindingKind.PasswordPolicyChange, "", policy, AuditActions.PasswordPolicyChanged);
        Has(AuditFindingKind.IpListChange, "", ipList, AuditActions.IpAllowlistChanged);
        Has(AuditFindingKind.SessionSettingChange, "", session, AuditActions.SessionPolicyChanged);
        Has(AuditFindingKind.ApiKeyChange, "", apiKey, AuditActions.ApiKeyCreated);
        Has(AuditFindingKind.BulkExport, "", export, AuditActions.MembersExported);
        Has(AuditFindingKind.BulkDeletion, "", purge, AuditActions.MediaFilesPurged);
        Has(AuditFindingKind.BulkDeletion, "deleter@test.local", deletions);
        Has(AuditFindingKind.Restore, "", restore, AuditActions.ContentVersionRestored);
        Has(AuditFindingKind.IpDenied, "203.0.113.77", denied);
        Has(AuditFindingKind.ChainVerificationFailure, "", broken, AuditActions.AuditChainBroken);

        // Nothing else: no burst for four failures, nor for five spread over hours; the usual address is not new.
        Assert.Equal(16, review.Findings.Count);
        Assert.DoesNotContain(review.Findings, f => f.Subject is "typo@test.local" or "slow@test.local" or "ok@test.local");
        Assert.DoesNotContain(review.Findings, f => f.SequenceList.Contains(usual[0].Sequence));

        var totals = System.Text.Json.JsonSerializer.Deserialize<List<AuditReviewTotal>>(review.Totals, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Equal(19, totals.Single(t => t.Action == AuditActions.SignInFailed).Count);
        Assert.Equal("auth", totals.Single(t => t.Action == AuditActions.SignInFailed).Area);
        Assert.Equal(1, totals.Single(t => t.Action == AuditActions.AuditChainBroken).Count);
        Assert.Equal(totals.Sum(t => t.Count), review.EntryCount);

        var entries = await factory.AuditEntriesAsync();
        var prepared = Assert.Single(entries, e => e.Action == AuditActions.AuditReviewPrepared && e.EntityId == "2026-09/v1");
        Assert.Contains("16 findings", AuditText.English(prepared), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clean_month_with_ordinary_activity_flags_nothing()
    {
        DateTime Jul(int day, int hour, int minute = 0) => Tokyo(2026, 7, day, hour, minute);
        await factory.InsertAsync(
            Row(AuditActions.SignInSucceeded, Tokyo(2026, 6, 10, 9), "clean@test.local", "u-clean", Admin, "10.9.9.9"),
            Row(AuditActions.SignInSucceeded, Jul(1, 9), "clean@test.local", "u-clean", Admin, "10.9.9.9"),
            Row(AuditActions.StaffUpdated, Jul(1, 10), "clean@test.local", "u-clean", Admin, "10.9.9.9"),
            Row(AuditActions.SignInFailed, Jul(2, 10), "clean@test.local", ip: "10.9.9.9", outcome: AuditOutcome.Failure),
            Row(AuditActions.SignInFailed, Jul(2, 10, 1), "clean@test.local", ip: "10.9.9.9", outcome: AuditOutcome.Failure),
            Row(AuditActions.SignInSucceeded, Jul(2, 10, 2), "clean@test.local", "u-clean", Admin, "10.9.9.9"),
            Row(AuditActions.ContentItemDeleted, Jul(3, 19, 59), "clean@test.local", "u-clean", Admin, "10.9.9.9"),
            Row(AuditActions.AuditChainVerified, Jul(4, 3, 15), "system"),
            Row(AuditActions.SignOut, Jul(3, 19, 59), "clean@test.local", "u-clean", Admin, "10.9.9.9"));

        var review = await factory.PrepareAsync(new DateOnly(2026, 7, 1));

        Assert.Equal(AuditReviewState.Ready, review.State);
        Assert.Empty(review.Findings);
        Assert.Equal(8, review.EntryCount);
    }
}
