using System.Globalization;
using Kuroco.Core.Monitoring;
using MudBlazor;
using MudBlazor.Charts;

namespace Kuroco.Admin.Components.Pages.Monitoring;

/// <summary>The time range a chart shows; each reads the resolution that keeps the point count near a few hundred.</summary>
public enum ChartRange
{
    Hour = 0,
    Day = 1,
    Month = 2,
}

/// <summary>One signal's chart: its name, the latest value, the series (average, and one flat line per threshold).</summary>
public sealed record SignalChart(string Signal, string Name, string? Latest, List<ChartSeries<double>> Series, TimeSeriesChartOptions Options, int Points)
{
    /// <summary>The threshold lines' names (every series after the average), also listed under the chart as text.</summary>
    public IEnumerable<string> Thresholds => Series.Skip(1).Select(s => s.Name);
}

/// <summary>Builds the dashboard's charts from stored points: times in the viewer's zone, values in display units.</summary>
public static class MonitoringCharts
{
    public static (TimeSpan Span, SampleResolution Resolution) Window(ChartRange range) => range switch
    {
        ChartRange.Day => (TimeSpan.FromDays(1), SampleResolution.Minute),
        ChartRange.Month => (TimeSpan.FromDays(30), SampleResolution.Hour),
        _ => (TimeSpan.FromHours(1), SampleResolution.Raw),
    };

    /// <summary>A value as charted: bytes as MiB, up/down as % up, others as they are.</summary>
    public static double Display(string signal, double value) => MonitoringSignalCatalog.UnitOf(signal) switch
    {
        SignalUnit.Bytes => Math.Round(value / 1024 / 1024, 1),
        SignalUnit.UpDown => Math.Round(value * 100, 2),
        _ => Math.Round(value, 2),
    };

    public static SignalChart Build(
        string signal,
        IReadOnlyList<SamplePoint> points,
        IReadOnlyList<AlertRule> rules,
        ChartRange range,
        DateTimeOffset nowUtc,
        TimeZoneInfo zone,
        CultureInfo culture,
        string averageName)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(zone);
        var (span, _) = Window(range);
        DateTime Local(DateTimeOffset utc) => TimeZoneInfo.ConvertTimeFromUtc(utc.UtcDateTime, zone);
        var series = new List<ChartSeries<double>>
        {
            new() { Name = averageName, Data = points.Select(p => new TimeValue<double>(Local(p.AtUtc), Display(signal, p.Avg))).ToList() },
        };
        var start = Local(nowUtc - span);
        var end = Local(nowUtc);
        foreach (var rule in rules.Where(r => r.Enabled && r.Signal == signal))
        {
            var level = Display(signal, rule.Threshold);
            series.Add(new ChartSeries<double>
            {
                Name = $"{rule.Name} ({AlertRule.Symbol(rule.Comparison)} {SignalText.Threshold(signal, rule.Threshold, culture)})",
                Data = new List<TimeValue<double>> { new(start, level), new(end, level) },
            });
        }
        var options = new TimeSeriesChartOptions
        {
            TimeLabelFormat = range == ChartRange.Month ? "M/d" : "HH:mm",
            TooltipTimeLabelFormat = range == ChartRange.Month ? "yyyy-MM-dd HH:mm" : "HH:mm:ss",
            TimeLabelSpacing = range switch
            {
                ChartRange.Day => TimeSpan.FromHours(3),
                ChartRange.Month => TimeSpan.FromDays(5),
                _ => TimeSpan.FromMinutes(10),
            },
            ShowLegend = false,
            YAxisRequireZeroPoint = true,
        };
        var latest = points.Count == 0 ? null : SignalText.Value(signal, points[^1].Avg, culture);
        return new SignalChart(signal, SignalText.Name(signal, culture), latest, series, options, points.Count);
    }
}
