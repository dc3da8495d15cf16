using System.Globalization;

namespace Kuroco.Core.Jobs;

/// <summary>The shapes of schedule the console puts into words; anything else is shown as its cron expression.</summary>
public enum CronScheduleKind
{
    /// <summary>Not one of the shapes below: shown as the expression itself.</summary>
    Other,

    EveryMinute,

    /// <summary>Every <see cref="CronSchedule.Interval"/> minutes ("*/15 * * * *").</summary>
    EveryNMinutes,

    /// <summary>Every hour at minute <see cref="CronSchedule.Minute"/>.</summary>
    Hourly,

    /// <summary>Every day at <see cref="CronSchedule.Time"/>.</summary>
    Daily,

    /// <summary>On <see cref="CronSchedule.DaysOfWeek"/> at <see cref="CronSchedule.Time"/>.</summary>
    Weekly,

    /// <summary>On day <see cref="CronSchedule.DayOfMonth"/> of every month at <see cref="CronSchedule.Time"/>.</summary>
    Monthly,
}

/// <summary>
/// A five-field cron expression (minute hour day-of-month month day-of-week, as Hangfire's recurring jobs use) read into
/// one of the shapes the console describes in words ("every day at 02:00"); the words themselves are localized by the
/// page. No library on the package list describes cron in Japanese, and the jobs of this app use only these shapes.
/// </summary>
public sealed record CronSchedule(
    CronScheduleKind Kind,
    string Expression,
    TimeOnly Time = default,
    int Minute = 0,
    int Interval = 0,
    int DayOfMonth = 0,
    IReadOnlyList<DayOfWeek>? DaysOfWeek = null)
{
    public static CronSchedule Parse(string? expression)
    {
        var text = (expression ?? "").Trim();
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5 || fields[3] != "*")
        {
            return new CronSchedule(CronScheduleKind.Other, text);
        }
        var (minute, hour, day, weekday) = (fields[0], fields[1], fields[2], fields[4]);
        if (hour == "*" && day == "*" && weekday == "*")
        {
            if (minute == "*")
            {
                return new CronSchedule(CronScheduleKind.EveryMinute, text);
            }
            if (minute.StartsWith("*/", StringComparison.Ordinal) && Number(minute[2..], 1, 59) is { } interval)
            {
                return new CronSchedule(CronScheduleKind.EveryNMinutes, text, Interval: interval);
            }
            if (Number(minute, 0, 59) is { } atMinute)
            {
                return new CronSchedule(CronScheduleKind.Hourly, text, Minute: atMinute);
            }
            return new CronSchedule(CronScheduleKind.Other, text);
        }
        if (Number(minute, 0, 59) is not { } m || Number(hour, 0, 23) is not { } h)
        {
            return new CronSchedule(CronScheduleKind.Other, text);
        }
        var time = new TimeOnly(h, m);
        if (day == "*" && weekday == "*")
        {
            return new CronSchedule(CronScheduleKind.Daily, text, time);
        }
        if (day == "*" && Weekdays(weekday) is { } days)
        {
            return new CronSchedule(CronScheduleKind.Weekly, text, time, DaysOfWeek: days);
        }
        if (weekday == "*" && Number(day, 1, 31) is { } dayOfMonth)
        {
            return new CronSchedule(CronScheduleKind.Monthly, text, time, DayOfMonth: dayOfMonth);
        }
        return new CronSchedule(CronScheduleKind.Other, text);
    }

    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private static int? Number(string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;

    private static List<DayOfWeek>? Weekdays(string value)
    {
        var days = new List<DayOfWeek>();
        foreach (var part in value.Split(','))
        {
            var range = part.Split('-');
            if (range.Length > 2 || Weekday(range[0]) is not { } from)
            {
                return null;
            }
            var to = range.Length == 2 ? Weekday(range[1]) : from;
            if (to is null || to < from)
            {
                return null;
            }
            for (var d = from; d <= to.Value; d++)
            {
                days.Add((DayOfWeek)(d % 7));
            }
        }
        return [.. days.Distinct().OrderBy(d => ((int)d + 6) % 7)];
    }

    private static int? Weekday(string value)
    {
        var index = Array.IndexOf(DayNames, value.ToUpperInvariant());
        return index >= 0 ? index : Number(value, 0, 7);
    }
}
