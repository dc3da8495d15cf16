using Kuroco.Core.Audit;
using Kuroco.Core.Audit.Review;
using static Kuroco.Tests.Integration.Audit.AuditReviewAppFactory;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>
/// "Sign-in from an address new for that user": new when the user had not signed in from it in the look-back period
/// (90 days by default) before that sign-in, not before the start of the month.
/// </summary>
public sealed class AuditReviewNewAddressTests(AuditReviewAppFactory factory) : IClassFixture<AuditReviewAppFactory>
{
    private const string Admin = "Administrator";

    private static DateTime Tokyo(int year, int month, int day, int hour, int minute = 0) =>
        new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-9);

    [Fact]
    public async Task Each_sign_in_is_judged_against_the_look_back_before_it_with_the_boundary_counted_as_seen()
    {
        var lookback = TimeSpan.FromDays(AuditReviewSettings.DefaultNewAddressLookbackDays);
        var monthStart = Tokyo(2026, 10, 1, 0);
        var edge = Tokyo(2026, 10, 5, 10);
        // History before October.
        await factory.InsertAsync(
            // Seen 85 days before the month: still within 90 days of a sign-in on 2 October, no longer of one on 10 October.
            Row(AuditActions.SignInSucceeded, monthStart.AddDays(-85), "recent@test.local", "u-recent", Admin, "10.1.0.1"),
            Row(AuditActions.SignInSucceeded, monthStart.AddDays(-85), "faded@test.local", "u-faded", Admin, "10.2.0.1"),
            // Exactly 90 days before the October sign-in (seen), and 90 days and a minute before (not seen).
            Row(AuditActions.SignInSucceeded, edge - lookback, "edge@test.local", "u-edge", Admin, "10.3.0.1"),
            Row(AuditActions.SignInSucceeded, edge - lookback - TimeSpan.FromMinutes(1), "past@test.local", "u-past", Admin, "10.3.0.2"),
            // Older than the look-back of any October sign-in.
            Row(AuditActions.SignInSucceeded, monthStart.AddDays(-120), "old@test.local", "u-old", Admin, "10.5.0.1"));

        await factory.InsertAsync(
            Row(AuditActions.SignInSucceeded, Tokyo(2026, 10, 2, 9), "recent@test.local", "u-recent", Admin, "10.1.0.1"),
            Row(AuditActions.SignInSucceeded, Tokyo(2026, 10, 20, 9), "recent@test.local", "u-recent", Admin, "10.1.0.1"));
        var faded = await factory.InsertAsync(Row(AuditActions.SignInSucceeded, Tokyo(2026, 10, 10, 9), "faded@test.local", "u-faded", Admin, "10.2.0.1"));
        await factory.InsertAsync(Row(AuditActions.SignInSucceeded, edge, "edge@test.local", "u-edge", Admin, "10.3.0.1"));
        var past = await factory.InsertAsync(Row(AuditActions.SignInSucceeded, edge, "past@test.local", "u-past", Admin, "10.3.0.2"));
        var old = await factory.InsertAsync(Row(AuditActions.SignInSucceeded, Tokyo(2026, 10, 3, 9), "old@test.local", "u-old", Admin, "10.5.0.1"));
        // Never seen: the first sign-in is new, the second from the same address the next day is not.
        var fresh = await factory.InsertAsync(
            Row(AuditActions.SignInSucceeded, Tokyo(2026, 10, 7, 9), "fresh@test.local", "u-fresh", Admin, "10.4.0.1"),
            Row(AuditActions.SignInSucceeded, Tokyo(2026, 10, 8, 9), "fresh@test.local", "u-fresh", Admin, "10.4.0.1"));
        // Known address, then a second one: only the second is new.
        var second = await factory.InsertAsync(
            Row(AuditActions.SignInSucceeded, Tokyo(2026, 10, 2, 10), "recent@test.local", "u-recent", Admin, "10.1.0.9"));

        var review = await factory.PrepareAsync(new DateOnly(2026, 10, 1));

        var found = review.Findings.Where(f => f.Kind == AuditFindingKind.NewSignInAddress)
            .Select(f => (f.Subject, f.Detail, Sequence: Assert.Single(f.SequenceList))).OrderBy(f => f.Sequence).ToList();
        (string, string, long)[] expected =
        [
            ("past@test.local", "10.3.0.2", past[0].Sequence),
            ("old@test.local", "10.5.0.1", old[0].Sequence),
            ("faded@test.local", "10.2.0.1", faded[0].Sequence),
            ("fresh@test.local", "10.4.0.1", fresh[0].Sequence),
            ("recent@test.local", "10.1.0.9", second[0].Sequence),
        ];
        Assert.Equal(expected.OrderBy(e => e.Item3), found);
    }

    [Fact]
    public void The_rule_moves_the_window_with_each_sign_in()
    {
        var t = new DateTime(2026, 10, 10, 0, 0, 0, DateTimeKind.Utc);
        var lookback = TimeSpan.FromDays(90);
        var seen = new Dictionary<(string, string), DateTime> { [("u", "a")] = t - lookback };

        var onTheBoundary = AuditReviewRules.FindNewAddresses([("u", "a", 1, t)], seen, lookback);
        var aMinuteLater = AuditReviewRules.FindNewAddresses([("u", "a", 1, t.AddMinutes(1))], seen, lookback);
        var repeated = AuditReviewRules.FindNewAddresses([("u", "b", 1, t), ("u", "b", 2, t.AddDays(89)), ("u", "b", 3, t.AddDays(180))], seen, lookback);

        Assert.Empty(onTheBoundary);
        Assert.Equal([1L], aMinuteLater);
        Assert.Equal([1L, 3L], repeated);
    }
}
