using FluentValidation;
using Kuroco.Core.Common;

namespace Kuroco.Core.Monitoring;

/// <summary>How a rule compares a signal's value with its threshold. Stored, so never renumber.</summary>
public enum AlertComparison
{
    GreaterThan = 0,
    LessThan = 1,
    GreaterOrEqual = 2,
    LessOrEqual = 3,
}

/// <summary>
/// An alert rule: it holds while <see cref="Signal"/> compares with <see cref="Threshold"/> as <see cref="Comparison"/>
/// says in every sampling round for at least <see cref="DurationMinutes"/> minutes (0: at the first such round).
/// </summary>
public sealed class AlertRule
{
    public const int NameMaxLength = 100;
    public const int MaxDurationMinutes = 1440;

    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Signal { get; set; } = "";
    public AlertComparison Comparison { get; set; }
    public double Threshold { get; set; }
    public int DurationMinutes { get; set; }
    public AlertSeverity Severity { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public string? UpdatedBy { get; set; }

    public TimeSpan Duration => TimeSpan.FromMinutes(DurationMinutes);

    /// <summary>True when <paramref name="value"/> breaks the rule's threshold.</summary>
    public bool Matches(double value) => Compare(Comparison, value, Threshold);

    public static bool Compare(AlertComparison comparison, double value, double threshold) => comparison switch
    {
        AlertComparison.GreaterThan => value > threshold,
        AlertComparison.LessThan => value < threshold,
        AlertComparison.GreaterOrEqual => value >= threshold,
        AlertComparison.LessOrEqual => value <= threshold,
        _ => false,
    };

    /// <summary>The comparison as a symbol ("&gt;", "≤"); the same in every language.</summary>
    public static string Symbol(AlertComparison comparison) => comparison switch
    {
        AlertComparison.GreaterThan => ">",
        AlertComparison.LessThan => "<",
        AlertComparison.GreaterOrEqual => "≥",
        _ => "≤",
    };
}

/// <summary>A rule as a person edits it.</summary>
public sealed record AlertRuleInput(string Name, string Signal, AlertComparison Comparison, double Threshold, int DurationMinutes, AlertSeverity Severity, bool Enabled);

public sealed class AlertRuleInputValidator : AbstractValidator<AlertRuleInput>
{
    public AlertRuleInputValidator()
    {
        RuleFor(r => r.Name)
            .Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => MonitoringMessages.Get("Rule.NameRequired"))
            .MaximumLength(AlertRule.NameMaxLength).WithMessage(_ => MonitoringMessages.Format("Rule.NameTooLong", AlertRule.NameMaxLength))
            .Must(HeaderValues.IsSafe).WithMessage(_ => MonitoringMessages.Get("Rule.NameLineBreak"));
        RuleFor(r => r.Signal)
            .Must(s => MonitoringSignalCatalog.IsKnown(s)).WithMessage(_ => MonitoringMessages.Get("Rule.SignalUnknown"));
        RuleFor(r => r.Comparison).IsInEnum().WithMessage(_ => MonitoringMessages.Get("Rule.ComparisonUnknown"));
        RuleFor(r => r.Severity).IsInEnum().WithMessage(_ => MonitoringMessages.Get("Rule.SeverityUnknown"));
        RuleFor(r => r.Threshold)
            .Must(double.IsFinite).WithMessage(_ => MonitoringMessages.Get("Rule.ThresholdInvalid"));
        RuleFor(r => r.DurationMinutes)
            .InclusiveBetween(0, AlertRule.MaxDurationMinutes).WithMessage(_ => MonitoringMessages.Format("Rule.DurationRange", AlertRule.MaxDurationMinutes));
    }
}

/// <summary>One alert: raised when its rule started to hold, resolved when it stopped (history kept in the main database).</summary>
public sealed class AlertRecord
{
    public Guid Id { get; set; }
    public Guid RuleId { get; set; }
    public string RuleName { get; set; } = "";
    public string Signal { get; set; } = "";
    public AlertComparison Comparison { get; set; }
    public AlertSeverity Severity { get; set; }
    public double Value { get; set; }
    public double Threshold { get; set; }
    public DateTime RaisedAtUtc { get; set; }
    public DateTime? ResolvedAtUtc { get; set; }

    public bool IsOpen => ResolvedAtUtc is null;
}

/// <summary>Reads and changes the alert rules; every change is audited.</summary>
public interface IAlertRuleService
{
    Task<IReadOnlyList<AlertRule>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The most recent alerts, open ones first.</summary>
    Task<IReadOnlyList<AlertRecord>> ListAlertsAsync(int take, CancellationToken cancellationToken = default);

    Task<Result<Guid>> CreateAsync(AlertRuleInput input, CancellationToken cancellationToken = default);

    Task<Result> UpdateAsync(Guid id, AlertRuleInput input, CancellationToken cancellationToken = default);

    Task<Result> DeleteAsync(Guid id, CancellationToken cancellationToken = default);
}
