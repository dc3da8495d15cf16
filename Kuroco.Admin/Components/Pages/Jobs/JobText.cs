using System.Globalization;
using Kuroco.Core.Jobs;
using Microsoft.Extensions.Localization;

namespace Kuroco.Admin.Components.Pages.Jobs;

/// <summary>
/// The words of the jobs screen: a job's human name (resx key <c>job:{recurring id}</c> or <c>method:{Type.Method}</c>;
/// an unknown job shows its id), its schedule in words from <see cref="CronSchedule"/>, and the outcome and progress labels.
/// </summary>
internal sealed class JobText(IStringLocalizer<JobsResource> localizer)
{
    public string Name(string? recurringJobId, string? method = null)
    {
        if (recurringJobId is not null && Lookup("job:" + recurringJobId) is { } name)
        {
            return name;
        }
        if (method is not null && Lookup("method:" + method) is { } methodName)
        {
            return methodName;
        }
        return recurringJobId ?? method ?? "?";
    }

    /// <summary>"every day at 02:00 (Asia/Tokyo)" / "毎日 02:00（Asia/Tokyo）"; an expression of another shape as itself.</summary>
    public string Schedule(string cron, string timeZoneId)
    {
        var schedule = CronSchedule.Parse(cron);
        var time = schedule.Time.ToString("HH:mm", CultureInfo.InvariantCulture);
        var words = schedule.Kind switch
        {
            CronScheduleKind.EveryMinute => localizer["every minute"].Value,
            CronScheduleKind.EveryNMinutes => localizer["every {0} minutes", schedule.Interval].Value,
            CronScheduleKind.Hourly => localizer["every hour at minute {0}", schedule.Minute.ToString("00", CultureInfo.InvariantCulture)].Value,
            CronScheduleKind.Daily => localizer["every day at {0}", time].Value,
            CronScheduleKind.Weekly => localizer["every {0} at {1}", string.Join(localizer["day separator"].Value, schedule.DaysOfWeek!.Select(Day)), time].Value,
            CronScheduleKind.Monthly => localizer["on day {0} of every month at {1}", schedule.DayOfMonth, time].Value,
            _ => localizer["cron {0}", schedule.Expression].Value,
        };
        // A schedule by the minute or hour reads the same in every zone.
        return schedule.Kind is CronScheduleKind.EveryMinute or CronScheduleKind.EveryNMinutes
            ? words
            : localizer["{0} ({1})", words, timeZoneId].Value;
    }

    public string Outcome(JobOutcome outcome, string? stateName) => outcome switch
    {
        JobOutcome.None => localizer["Not run yet"],
        JobOutcome.Succeeded => localizer["Succeeded"],
        JobOutcome.Failed => localizer["Failed"],
        JobOutcome.Processing => localizer["Running"],
        JobOutcome.Enqueued => localizer["Queued"],
        JobOutcome.Scheduled => localizer["Scheduled"],
        JobOutcome.Deleted => localizer["Deleted"],
        _ => stateName ?? "?",
    };

    public string Duration(TimeSpan? duration)
    {
        if (duration is not { } d)
        {
            return "—";
        }
        if (d < TimeSpan.FromSeconds(1))
        {
            return localizer["{0} ms", (int)d.TotalMilliseconds];
        }
        if (d < TimeSpan.FromMinutes(1))
        {
            return localizer["{0} s", Math.Round(d.TotalSeconds, 1).ToString("0.#", CultureInfo.CurrentCulture)];
        }
        return localizer["{0} min {1} s", (int)d.TotalMinutes, d.Seconds];
    }

    public string Progress(string? step) => step is null ? "" : Lookup("progress:" + step) ?? step;

    private string Day(DayOfWeek day) => localizer["day:" + day.ToString()];

    private string? Lookup(string key)
    {
        var value = localizer[key];
        return value.ResourceNotFound ? null : value.Value;
    }
}
