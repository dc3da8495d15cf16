using Kuroco.Core.Jobs;

namespace Kuroco.Tests.Unit.Jobs;

public sealed class CronScheduleTests
{
    [Theory]
    [InlineData("* * * * *", CronScheduleKind.EveryMinute)]
    [InlineData("*/15 * * * *", CronScheduleKind.EveryNMinutes)]
    [InlineData("5 * * * *", CronScheduleKind.Hourly)]
    [InlineData("15 3 * * *", CronScheduleKind.Daily)]
    [InlineData("0 4 * * 0", CronScheduleKind.Weekly)]
    [InlineData("0 9 * * MON-FRI", CronScheduleKind.Weekly)]
    [InlineData("0 2 1 * *", CronScheduleKind.Monthly)]
    [InlineData("0 2 1 1 *", CronScheduleKind.Other)]
    [InlineData("0 2,14 * * *", CronScheduleKind.Other)]
    [InlineData("0 0 2 * * *", CronScheduleKind.Other)]
    [InlineData("", CronScheduleKind.Other)]
    public void Reads_the_shapes_the_console_puts_into_words(string cron, CronScheduleKind kind) =>
        Assert.Equal(kind, CronSchedule.Parse(cron).Kind);

    [Fact]
    public void Keeps_the_time_day_and_weekdays()
    {
        Assert.Equal(new TimeOnly(3, 15), CronSchedule.Parse("15 3 * * *").Time);
        Assert.Equal(15, CronSchedule.Parse("*/15 * * * *").Interval);
        Assert.Equal(1, CronSchedule.Parse("0 2 1 * *").DayOfMonth);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
            CronSchedule.Parse("0 9 * * 1-5").DaysOfWeek);
        // Sunday (0 or 7) comes last: the week starts on Monday.
        Assert.Equal([DayOfWeek.Saturday, DayOfWeek.Sunday], CronSchedule.Parse("0 4 * * 7,6").DaysOfWeek);
        Assert.Equal(CronScheduleKind.Other, CronSchedule.Parse("61 3 * * *").Kind);
        Assert.Equal(CronScheduleKind.Other, CronSchedule.Parse("0 4 * * 5-1").Kind);
    }

    [Fact]
    public void An_error_shows_its_first_lines_without_secrets_or_stack_trace()
    {
        var text = JobErrorText.Summarize(
            "Could not connect: Server=db;User Id=kuroco;Password=s3cret;\r\n\r\nApiKey: SG.abcdef retry later\n   at Kuroco.Mail.Send()\nline four");
        Assert.Equal("Could not connect: Server=db;User Id=kuroco;Password=***;" + Environment.NewLine + "ApiKey: *** retry later", text);
        Assert.Equal("", JobErrorText.Summarize(null));
        Assert.EndsWith("…", JobErrorText.Summarize(new string('x', 600)));
    }
}
