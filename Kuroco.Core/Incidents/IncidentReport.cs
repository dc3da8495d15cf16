namespace Kuroco.Core.Incidents;

/// <summary>One month of the incident report (the month in the company zone, by detection time).</summary>
/// <param name="MeanTimeToConfirm">Mean ① → ② over the month's incidents that reached ②.</param>
/// <param name="MeanTimeToRecover">Mean ① → ⑤ over the month's incidents that reached ⑤.</param>
public sealed record IncidentMonthRow(
    int Year,
    int Month,
    int Count,
    int Open,
    TimeSpan? MeanTimeToConfirm,
    TimeSpan? MeanTimeToRecover,
    int ProgressReportsOnTime,
    int ProgressReportsOverdue);

/// <summary>The monthly incident report's maths (pure; the service reads the incidents).</summary>
public static class IncidentReport
{
    /// <summary>
    /// The last <paramref name="months"/> months up to the month of <paramref name="nowUtc"/> in <paramref name="zone"/>, newest
    /// first, months without incidents included (count 0).
    /// </summary>
    public static IReadOnlyList<IncidentMonthRow> Monthly(IEnumerable<Incident> incidents, TimeZoneInfo zone, DateTime nowUtc, int months)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        var byMonth = incidents
            .GroupBy(i => MonthOf(i.DetectedAtUtc, zone))
            .ToDictionary(g => g.Key, g => g.ToList());
        var current = MonthOf(nowUtc, zone);
        var rows = new List<IncidentMonthRow>(months);
        for (var k = 0; k < months; k++)
        {
            var month = current.AddMonths(-k);
            rows.Add(Row(month, byMonth.TryGetValue(month, out var list) ? list : []));
        }
        return rows;
    }

    private static DateOnly MonthOf(DateTime utc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        return new DateOnly(local.Year, local.Month, 1);
    }

    private static IncidentMonthRow Row(DateOnly month, List<Incident> incidents)
    {
        var progress = incidents.SelectMany(i => i.Notes).Where(n => n.Kind == IncidentNoteKind.Progress).ToList();
        return new(month.Year, month.Month, incidents.Count, incidents.Count(i => !i.IsClosed),
            Mean(incidents, IncidentStep.Confirmed), Mean(incidents, IncidentStep.Recovered),
            progress.Count(n => !n.WasOverdue), progress.Count(n => n.WasOverdue));
    }

    private static TimeSpan? Mean(List<Incident> incidents, IncidentStep step)
    {
        var spans = incidents
            .Select(i => i.ReachedAt(step) is { } at ? at - i.DetectedAtUtc : (TimeSpan?)null)
            .OfType<TimeSpan>()
            .ToList();
        return spans.Count == 0 ? null : TimeSpan.FromTicks((long)spans.Average(s => s.Ticks));
    }
}
