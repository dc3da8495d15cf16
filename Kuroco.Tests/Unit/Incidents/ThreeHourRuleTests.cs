using Kuroco.Core.Incidents;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Unit.Incidents;

/// <summary>The three-hour rule's maths with a fake clock: when reports become required, when each is due, overdue periods.</summary>
public sealed class ThreeHourRuleTests
{
    private static readonly DateTimeOffset Detected = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static Incident NewIncident() => new() { Id = Guid.NewGuid(), DetectedAtUtc = Detected.UtcDateTime, Step = IncidentStep.Investigating };

    private static DateTime Now(FakeTimeProvider clock) => clock.GetUtcNow().UtcDateTime;

    [Fact]
    public void Three_hours_without_recovery_start_the_rule_and_the_first_report_is_due_one_interval_later()
    {
        var clock = new FakeTimeProvider(Detected);
        var incident = NewIncident();
        clock.Advance(TimeSpan.FromMinutes(179));
        var before = ThreeHourRule.Evaluate(incident, Now(clock), Hour);
        Assert.False(before.Applies);
        Assert.Equal(Detected.UtcDateTime.AddHours(3), before.RequiredSinceUtc);

        clock.Advance(TimeSpan.FromMinutes(1));
        var at3h = ThreeHourRule.Evaluate(incident, Now(clock), Hour);
        Assert.True(at3h.Applies);
        Assert.False(at3h.Overdue);
        Assert.Equal(Detected.UtcDateTime.AddHours(4), at3h.NextDueUtc);

        clock.Advance(Hour);
        Assert.False(ThreeHourRule.Evaluate(incident, Now(clock), Hour).Overdue); // exactly at the due time: not yet late
        clock.Advance(TimeSpan.FromMinutes(1));
        var late = ThreeHourRule.Evaluate(incident, Now(clock), Hour);
        Assert.True(late.Overdue);
        Assert.Equal(Detected.UtcDateTime.AddHours(4), late.OverduePeriodStartUtc);

        // Still no report an interval later: a new overdue period (a new reminder).
        clock.Advance(Hour);
        Assert.Equal(Detected.UtcDateTime.AddHours(5), ThreeHourRule.Evaluate(incident, Now(clock), Hour).OverduePeriodStartUtc);

        // A report resets the clock: the next is due one interval after it.
        incident.LastProgressReportAtUtc = Now(clock);
        var reported = ThreeHourRule.Evaluate(incident, Now(clock), Hour);
        Assert.False(reported.Overdue);
        Assert.Equal(Now(clock) + Hour, reported.NextDueUtc);
    }

    [Fact]
    public void A_prediction_beyond_three_hours_starts_the_rule_when_it_is_recorded()
    {
        var clock = new FakeTimeProvider(Detected.AddMinutes(30));
        var incident = NewIncident();
        incident.PredictedRecoveryAtUtc = Detected.UtcDateTime.AddHours(5);
        incident.PredictionSetAtUtc = Now(clock);

        var state = ThreeHourRule.Evaluate(incident, Now(clock), TimeSpan.FromMinutes(30));
        Assert.True(state.Applies);
        Assert.Equal(Detected.UtcDateTime.AddMinutes(30), state.RequiredSinceUtc);
        Assert.Equal(Detected.UtcDateTime.AddMinutes(60), state.NextDueUtc);

        // A prediction within three hours does not.
        incident.PredictedRecoveryAtUtc = Detected.UtcDateTime.AddHours(2);
        Assert.False(ThreeHourRule.Evaluate(incident, Now(clock), Hour).Applies);
    }

    [Fact]
    public void Recovery_ends_the_rule_and_recovery_within_three_hours_means_it_never_applied()
    {
        var incident = NewIncident();
        incident.Step = IncidentStep.Recovered;
        incident.Transitions.Add(new IncidentTransition { Step = IncidentStep.Recovered, AtUtc = Detected.UtcDateTime.AddHours(2) });
        Assert.Same(ProgressReportState.None, ThreeHourRule.Evaluate(incident, Detected.UtcDateTime.AddHours(9), Hour));

        var slow = NewIncident();
        slow.Step = IncidentStep.Recovered;
        slow.Transitions.Add(new IncidentTransition { Step = IncidentStep.Recovered, AtUtc = Detected.UtcDateTime.AddHours(6) });
        var after = ThreeHourRule.Evaluate(slow, Detected.UtcDateTime.AddHours(9), Hour);
        Assert.False(after.Applies);
        Assert.False(after.Overdue);
        Assert.NotNull(after.RequiredSinceUtc);
    }

    [Fact]
    public void The_monthly_report_counts_by_month_in_the_company_zone_with_means_and_reports()
    {
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        // 30 Nov 16:00 UTC is 1 Dec 01:00 JST: a December incident in Tokyo.
        var december = NewIncident();
        december.DetectedAtUtc = new DateTime(2026, 11, 30, 16, 0, 0, DateTimeKind.Utc);
        december.Transitions.Add(new IncidentTransition { Step = IncidentStep.Confirmed, AtUtc = december.DetectedAtUtc.AddMinutes(10) });
        december.Transitions.Add(new IncidentTransition { Step = IncidentStep.Recovered, AtUtc = december.DetectedAtUtc.AddHours(4) });
        december.Notes.Add(new IncidentNote { Kind = IncidentNoteKind.Progress, IsPublic = true, WasOverdue = false });
        december.Notes.Add(new IncidentNote { Kind = IncidentNoteKind.Progress, IsPublic = true, WasOverdue = true });
        var december2 = NewIncident();
        december2.DetectedAtUtc = new DateTime(2026, 12, 3, 0, 0, 0, DateTimeKind.Utc);
        december2.Transitions.Add(new IncidentTransition { Step = IncidentStep.Confirmed, AtUtc = december2.DetectedAtUtc.AddMinutes(20) });
        var november = NewIncident();
        november.DetectedAtUtc = new DateTime(2026, 11, 30, 14, 0, 0, DateTimeKind.Utc);

        var rows = IncidentReport.Monthly([december, december2, november], tokyo, new DateTime(2026, 12, 20, 0, 0, 0, DateTimeKind.Utc), 3);

        Assert.Equal([(2026, 12), (2026, 11), (2026, 10)], rows.Select(r => (r.Year, r.Month)));
        Assert.Equal(2, rows[0].Count);
        Assert.Equal(TimeSpan.FromMinutes(15), rows[0].MeanTimeToConfirm);
        Assert.Equal(TimeSpan.FromHours(4), rows[0].MeanTimeToRecover);
        Assert.Equal((1, 1), (rows[0].ProgressReportsOnTime, rows[0].ProgressReportsOverdue));
        Assert.Equal(1, rows[1].Count);
        Assert.Null(rows[1].MeanTimeToConfirm);
        Assert.Equal(0, rows[2].Count);
    }
}
