using Kuroco.Core.Monitoring;

namespace Kuroco.Tests.Unit.Monitoring;

public sealed class AlertConditionTrackerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static AlertRule Rule(int minutes = 2, AlertComparison comparison = AlertComparison.GreaterThan, double threshold = 90) => new()
    {
        Id = Guid.NewGuid(),
        Name = "CPU high",
        Signal = MonitoringSignals.Cpu,
        Comparison = comparison,
        Threshold = threshold,
        DurationMinutes = minutes,
        Severity = AlertSeverity.Warning,
        Enabled = true,
    };

    [Fact]
    public void Raises_once_after_the_rule_held_for_its_duration_and_resolves_when_it_stops()
    {
        var tracker = new AlertConditionTracker();
        var rule = Rule(minutes: 2);
        var open = false;
        var decisions = new List<(int Second, AlertDecision Decision)>();
        // 15-second rounds: above the threshold from 0 s to 240 s, then below.
        for (var second = 0; second <= 300; second += 15)
        {
            var value = second <= 240 ? 95.0 : 10.0;
            var decision = tracker.Evaluate(rule, value, Start.AddSeconds(second), open);
            if (decision == AlertDecision.Raise)
            {
                open = true;
            }
            else if (decision == AlertDecision.Resolve)
            {
                open = false;
            }
            if (decision != AlertDecision.None)
            {
                decisions.Add((second, decision));
            }
        }
        // Held since 0 s: raised at 120 s (not at 105 s), deduplicated until 240 s, resolved at the first round below.
        Assert.Equal([(120, AlertDecision.Raise), (255, AlertDecision.Resolve)], decisions);
    }

    [Fact]
    public void A_dip_below_the_threshold_starts_the_duration_again()
    {
        var tracker = new AlertConditionTracker();
        var rule = Rule(minutes: 1);
        Assert.Equal(AlertDecision.None, tracker.Evaluate(rule, 95, Start, alertOpen: false));
        Assert.Equal(AlertDecision.None, tracker.Evaluate(rule, 95, Start.AddSeconds(45), alertOpen: false));
        Assert.Equal(AlertDecision.None, tracker.Evaluate(rule, 50, Start.AddSeconds(60), alertOpen: false));
        Assert.Null(tracker.HoldingSince(rule.Id));
        Assert.Equal(AlertDecision.None, tracker.Evaluate(rule, 95, Start.AddSeconds(75), alertOpen: false));
        Assert.Equal(AlertDecision.None, tracker.Evaluate(rule, 95, Start.AddSeconds(120), alertOpen: false));
        Assert.Equal(AlertDecision.Raise, tracker.Evaluate(rule, 95, Start.AddSeconds(135), alertOpen: false));
    }

    [Fact]
    public void A_round_without_the_signal_changes_nothing_and_a_disabled_rule_resolves_its_alert()
    {
        var tracker = new AlertConditionTracker();
        var rule = Rule(minutes: 0, comparison: AlertComparison.LessOrEqual, threshold: 0);
        Assert.Equal(AlertDecision.Raise, tracker.Evaluate(rule, 0, Start, alertOpen: false));
        Assert.Equal(AlertDecision.None, tracker.Evaluate(rule, 0, Start.AddSeconds(15), alertOpen: true));
        Assert.Equal(AlertDecision.None, tracker.Evaluate(rule, null, Start.AddSeconds(30), alertOpen: true));
        Assert.Equal(Start, tracker.HoldingSince(rule.Id));
        rule.Enabled = false;
        Assert.Equal(AlertDecision.Resolve, tracker.Evaluate(rule, 0, Start.AddSeconds(45), alertOpen: true));
        Assert.Equal(AlertDecision.None, tracker.Evaluate(rule, 0, Start.AddSeconds(60), alertOpen: false));
    }

    [Theory]
    [InlineData(AlertComparison.GreaterThan, 90, false)]
    [InlineData(AlertComparison.GreaterOrEqual, 90, true)]
    [InlineData(AlertComparison.LessThan, 90, false)]
    [InlineData(AlertComparison.LessOrEqual, 90, true)]
    [InlineData(AlertComparison.GreaterThan, 89.9, true)]
    [InlineData(AlertComparison.LessThan, 90.1, true)]
    public void Comparisons_at_the_threshold(AlertComparison comparison, double threshold, bool matches) =>
        Assert.Equal(matches, AlertRule.Compare(comparison, 90, threshold));

    [Fact]
    public void The_validator_refuses_bad_rules_with_localized_messages()
    {
        var validator = new AlertRuleInputValidator();
        var good = new AlertRuleInput("CPU high", MonitoringSignals.Cpu, AlertComparison.GreaterThan, 90, 5, AlertSeverity.Warning, true);
        Assert.True(validator.Validate(good).IsValid);
        var bad = validator.Validate(good with { Name = " ", Signal = "no.such-signal", DurationMinutes = AlertRule.MaxDurationMinutes + 1, Threshold = double.NaN });
        Assert.Equal(["Name", "Signal", "Threshold", "DurationMinutes"], bad.Errors.Select(e => e.PropertyName).ToArray());
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        try
        {
            System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("ja-JP");
            var ja = validator.Validate(good with { Signal = "x" });
            Assert.Equal("一覧から指標を選んでください。", Assert.Single(ja.Errors).ErrorMessage);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = culture;
        }
    }
}
