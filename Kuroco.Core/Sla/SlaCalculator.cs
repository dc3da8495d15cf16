using Kuroco.Core.Monitoring;

namespace Kuroco.Core.Sla;

/// <summary>A contract tier: a month whose availability is below <see cref="BelowPercent"/> earns <see cref="CreditPercent"/> of the monthly fee.</summary>
public sealed record SlaCreditTier(decimal BelowPercent, decimal CreditPercent);

/// <summary>An announced maintenance window, [StartUtc, EndUtc): its minutes count neither as up nor as down.</summary>
public sealed record SlaMaintenanceWindow(DateTimeOffset StartUtc, DateTimeOffset EndUtc);

/// <summary>The SLA's terms: the target (99.9 %) and the credit tiers of the contract.</summary>
public sealed record SlaTerms(decimal TargetPercent, IReadOnlyList<SlaCreditTier> CreditTiers)
{
    /// <summary>The seed's 99.9 % with the usual tiers: below 99.9 % → 10 %, below 99.0 % → 25 %, below 95.0 % → 50 %.</summary>
    public static SlaTerms Default { get; } = new(99.9m, [new(99.9m, 10m), new(99.0m, 25m), new(95.0m, 50m)]);
}

/// <summary>
/// One calendar month's availability in the company's zone. Minutes are whole minutes of the month in UTC.
/// <list type="bullet">
/// <item><see cref="MonthMinutes"/>: the month's real length (44,640 for 31 days; 44,580 or 44,700 across a DST change).</item>
/// <item><see cref="BudgetMinutes"/>: the downtime the target allows in that length (44.64 for 31 days at 99.9 %).</item>
/// <item><see cref="CountedMinutes"/>: minutes elapsed and monitored so far, outside maintenance — the denominator.</item>
/// <item><see cref="DownMinutes"/>: counted minutes that were down — the numerator of the unavailability.</item>
/// </list>
/// </summary>
public sealed record SlaMonth(
    int Year,
    int Month,
    DateTimeOffset StartUtc,
    DateTimeOffset EndUtc,
    int MonthMinutes,
    int MaintenanceMinutes,
    int CountedMinutes,
    int DownMinutes,
    int UnprobedMinutes,
    decimal AvailabilityPercent,
    decimal TargetPercent,
    double BudgetMinutes,
    bool Complete,
    decimal ForecastPercent,
    decimal? CreditPercent)
{
    /// <summary>The share of the budget used (can exceed 1).</summary>
    public double BudgetUsed => BudgetMinutes <= 0 ? 0 : DownMinutes / BudgetMinutes;

    /// <summary>Minutes of downtime left before the month misses the target (negative when missed).</summary>
    public double BudgetLeftMinutes => BudgetMinutes - DownMinutes;

    public bool MeetsTarget => AvailabilityPercent >= TargetPercent;
}

/// <summary>
/// Availability per calendar month from the monitoring store's minutes. The rule, precisely:
/// <list type="number">
/// <item>The month is the calendar month in the company's zone: [local 1st 00:00, next 1st 00:00), converted to UTC.</item>
/// <item>A minute inside an announced maintenance window (any overlap) is not counted at all.</item>
/// <item>A minute is down when the app or the database failed the majority of that minute's liveness probes
/// (<c>AppDown × 2 &gt; Probes</c> or <c>DatabaseDown × 2 &gt; Probes</c>).</item>
/// <item>A minute with no probe at all, after monitoring started and before now, is down: the sampler runs inside the
/// app, so a stopped or hung app leaves no samples — silence is not availability. Minutes before monitoring started
/// are not counted.</item>
/// <item>Availability = 1 − down ÷ counted minutes (100 % when nothing was counted yet), truncated to 3 decimals so
/// that 99.9995 % never shows as meeting a 99.9995 % target it missed.</item>
/// <item>Budget = the month's real length × (1 − target); the forecast assumes the rest of the month is up
/// (the best case: the month cannot end better than this).</item>
/// </list>
/// </summary>
public static class SlaCalculator
{
    public static (DateTimeOffset StartUtc, DateTimeOffset EndUtc) MonthBounds(int year, int month, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var localStart = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var localEnd = localStart.AddMonths(1);
        return (ToUtc(localStart, zone), ToUtc(localEnd, zone));
    }

    /// <summary>The month of <paramref name="instantUtc"/> in <paramref name="zone"/>.</summary>
    public static (int Year, int Month) MonthOf(DateTimeOffset instantUtc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instantUtc, zone);
        return (local.Year, local.Month);
    }

    public static SlaMonth Compute(
        int year,
        int month,
        TimeZoneInfo zone,
        DateTimeOffset nowUtc,
        DateTimeOffset? monitoringSinceUtc,
        IEnumerable<AvailabilityMinute> minutes,
        IEnumerable<SlaMaintenanceWindow> maintenance,
        SlaTerms terms)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        ArgumentNullException.ThrowIfNull(maintenance);
        ArgumentNullException.ThrowIfNull(terms);
        var (start, end) = MonthBounds(year, month, zone);
        var monthMinutes = (int)((end - start).Ticks / TimeSpan.TicksPerMinute);

        // Per-minute flags over the month: maintenance, then what the store says.
        var (inMaintenance, state) = Flags(start, monthMinutes, minutes, maintenance);
        var countFrom = monitoringSinceUtc is { } since ? Math.Max(0, MinuteIndex(start, since, floor: false)) : monthMinutes;
        var countTo = Math.Clamp(MinuteIndex(start, nowUtc, floor: true), 0, monthMinutes); // the current minute is not over
        int maintenanceMinutes = 0, counted = 0, down = 0, unprobed = 0;
        for (var i = 0; i < monthMinutes; i++)
        {
            if (inMaintenance[i])
            {
                maintenanceMinutes++;
                continue;
            }
            if (i < countFrom || i >= countTo)
            {
                continue;
            }
            counted++;
            if (state[i] == 1)
            {
                continue;
            }
            down++;
            if (state[i] == 0)
            {
                unprobed++;
            }
        }

        var complete = nowUtc >= end;
        var availability = Percent(counted - down, counted);
        // Best case: every minute still to come (and monitored) is up.
        var remaining = 0;
        for (var i = Math.Max(countTo, countFrom); i < monthMinutes; i++)
        {
            if (!inMaintenance[i])
            {
                remaining++;
            }
        }
        var forecast = Percent(counted + remaining - down, counted + remaining);
        var budget = monthMinutes * (double)(100m - terms.TargetPercent) / 100d;
        decimal? credit = complete ? CreditFor(availability, terms) : null;
        return new SlaMonth(year, month, start, end, monthMinutes, maintenanceMinutes, counted, down, unprobed, availability,
            terms.TargetPercent, budget, complete, forecast, credit);
    }

    /// <summary>
    /// Availability per day over <paramref name="days"/> calendar days from <paramref name="firstDay"/> in
    /// <paramref name="zone"/> (the status page's daily bars), oldest first, by the same minute rule as
    /// <see cref="Compute"/>: maintenance minutes are not counted, a down or unprobed minute after monitoring started and
    /// before now is down, a day with nothing counted yet is 100 %.
    /// </summary>
    public static IReadOnlyList<SlaDay> ComputeDays(
        DateOnly firstDay,
        int days,
        TimeZoneInfo zone,
        DateTimeOffset nowUtc,
        DateTimeOffset? monitoringSinceUtc,
        IEnumerable<AvailabilityMinute> minutes,
        IEnumerable<SlaMaintenanceWindow> maintenance)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(minutes);
        ArgumentNullException.ThrowIfNull(maintenance);
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var bounds = new DateTimeOffset[days + 1];
        for (var d = 0; d <= days; d++)
        {
            bounds[d] = ToUtc(firstDay.AddDays(d).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone);
        }
        var start = bounds[0];
        var total = days == 0 ? 0 : (int)((bounds[days] - start).Ticks / TimeSpan.TicksPerMinute);
        var (inMaintenance, state) = Flags(start, total, minutes, maintenance);
        var countFrom = monitoringSinceUtc is { } since ? Math.Max(0, MinuteIndex(start, since, floor: false)) : total;
        var countTo = Math.Clamp(MinuteIndex(start, nowUtc, floor: true), 0, total);
        var result = new List<SlaDay>(days);
        for (var d = 0; d < days; d++)
        {
            var from = MinuteIndex(start, bounds[d], floor: true);
            var to = MinuteIndex(start, bounds[d + 1], floor: true);
            int maintenanceMinutes = 0, counted = 0, down = 0;
            for (var i = from; i < to; i++)
            {
                if (inMaintenance[i])
                {
                    maintenanceMinutes++;
                }
                else if (i >= countFrom && i < countTo)
                {
                    counted++;
                    if (state[i] != 1)
                    {
                        down++;
                    }
                }
            }
            result.Add(new SlaDay(firstDay.AddDays(d), counted, down, maintenanceMinutes, Percent(counted - down, counted)));
        }
        return result;
    }

    /// <summary>The day of <paramref name="instantUtc"/> in <paramref name="zone"/>.</summary>
    public static DateOnly DayOf(DateTimeOffset instantUtc, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instantUtc, zone).DateTime);

    /// <summary>[local midnight, next local midnight) of <paramref name="day"/> in <paramref name="zone"/>, in UTC.</summary>
    public static (DateTimeOffset StartUtc, DateTimeOffset EndUtc) DayBounds(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return (ToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone),
            ToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone));
    }

    private static (bool[] InMaintenance, sbyte[] State) Flags(
        DateTimeOffset start, int total, IEnumerable<AvailabilityMinute> minutes, IEnumerable<SlaMaintenanceWindow> maintenance)
    {
        var inMaintenance = new bool[total];
        foreach (var window in maintenance)
        {
            var from = Math.Max(0, MinuteIndex(start, window.StartUtc, floor: true));
            var to = Math.Min(total, MinuteIndex(start, window.EndUtc, floor: false));
            for (var i = from; i < to; i++)
            {
                inMaintenance[i] = true;
            }
        }
        var state = new sbyte[total];
        foreach (var minute in minutes)
        {
            var i = MinuteIndex(start, minute.MinuteUtc, floor: true);
            if (i < 0 || i >= total || minute.Probes <= 0)
            {
                continue;
            }
            var isDown = minute.AppDown * 2 > minute.Probes || minute.DatabaseDown * 2 > minute.Probes;
            state[i] = isDown ? (sbyte)-1 : (sbyte)1;
        }
        return (inMaintenance, state);
    }

    /// <summary>The credit a month's availability earns: the largest tier whose threshold it is below (0 when it meets every threshold).</summary>
    public static decimal CreditFor(decimal availabilityPercent, SlaTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return terms.CreditTiers.Where(t => availabilityPercent < t.BelowPercent).Select(t => t.CreditPercent).DefaultIfEmpty(0m).Max();
    }

    private static decimal Percent(int up, int total) =>
        total <= 0 ? 100m : Math.Truncate(up * 100_000m / total) / 1000m;

    private static int MinuteIndex(DateTimeOffset start, DateTimeOffset instant, bool floor)
    {
        var ticks = (instant - start).Ticks;
        var whole = Math.DivRem(ticks, TimeSpan.TicksPerMinute, out var rest);
        if (rest < 0)
        {
            whole--;
            rest += TimeSpan.TicksPerMinute;
        }
        return (int)Math.Clamp(!floor && rest > 0 ? whole + 1 : whole, int.MinValue, int.MaxValue);
    }

    private static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        // Midnight can fall in a DST gap (a zone that springs forward at 00:00): take the first valid instant after it.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
