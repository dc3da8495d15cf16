namespace Kuroco.Core.Incidents;

/// <summary>Where an incident stands with the three-hour rule at one instant.</summary>
/// <param name="RequiredSinceUtc">When progress reports became (or will become) required; null when they never will (recovered in time).</param>
/// <param name="Applies">Progress reports are required now.</param>
/// <param name="NextDueUtc">When the next progress report is due (while the rule applies).</param>
/// <param name="Overdue">The next report is past its due time.</param>
/// <param name="OverduePeriodStartUtc">While overdue: the start of the current overdue period (one reminder per period).</param>
public sealed record ProgressReportState(DateTime? RequiredSinceUtc, bool Applies, DateTime? NextDueUtc, bool Overdue, DateTime? OverduePeriodStartUtc)
{
    public static ProgressReportState None { get; } = new(null, false, null, false, null);
}

/// <summary>
/// The seed's step ④: when the investigation predicts recovery more than three hours after detection, or three hours
/// pass since detection without recovery (step ⑤), progress reports are required every <c>interval</c> until recovery.
/// The requirement starts at the earlier of detection + 3 h and (for a prediction beyond that) the moment the prediction
/// was recorded; each report is due one interval after the later of that start and the last report. While a report is
/// overdue, each further interval is a new overdue period (the on-call list is reminded once per period).
/// </summary>
public static class ThreeHourRule
{
    public static readonly TimeSpan Threshold = TimeSpan.FromHours(3);
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(60);

    /// <summary>When progress reports become required, regardless of the clock; null once recovered before the requirement.</summary>
    public static DateTime? RequiredSince(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var byClock = incident.DetectedAtUtc + Threshold;
        var start = byClock;
        if (incident.PredictedRecoveryAtUtc is { } predicted && predicted > byClock)
        {
            var recorded = incident.PredictionSetAtUtc ?? incident.DetectedAtUtc;
            start = recorded < byClock ? recorded : byClock;
        }
        var recovered = incident.ReachedAt(IncidentStep.Recovered);
        return recovered is { } at && at <= start ? null : start;
    }

    public static ProgressReportState Evaluate(Incident incident, DateTime nowUtc, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        if (RequiredSince(incident) is not { } since)
        {
            return ProgressReportState.None;
        }
        var active = incident.Step < IncidentStep.Recovered && nowUtc >= since;
        if (!active)
        {
            return new(since, false, null, false, null);
        }
        var due = DueAfter(since, incident.LastProgressReportAtUtc, interval);
        if (nowUtc <= due)
        {
            return new(since, true, due, false, null);
        }
        var periods = (nowUtc - due).Ticks / interval.Ticks;
        return new(since, true, due, true, due + TimeSpan.FromTicks(periods * interval.Ticks));
    }

    /// <summary>Whether a progress report written at <paramref name="atUtc"/> comes after its due time (for the monthly report).</summary>
    public static bool IsLate(Incident incident, DateTime atUtc, TimeSpan interval)
    {
        var state = Evaluate(incident, atUtc, interval);
        return state.Overdue;
    }

    private static DateTime DueAfter(DateTime since, DateTime? lastReport, TimeSpan interval) =>
        (lastReport is { } last && last > since ? last : since) + interval;
}
