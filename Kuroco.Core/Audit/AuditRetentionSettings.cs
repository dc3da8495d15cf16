using FluentValidation;
using Kuroco.Core.Common;

namespace Kuroco.Core.Audit;

/// <summary>
/// How long audit entries are kept. The seed promises logs are kept at least 12 months, so
/// <see cref="MinimumMonths"/> is a floor that neither the UI nor the API can lower.
/// </summary>
public sealed record AuditRetentionSettings(int RetentionMonths)
{
    public const int MinimumMonths = 12;
    public const int MaximumMonths = 120;

    public static AuditRetentionSettings Default { get; } = new(MinimumMonths);

    /// <summary>Entries that occurred before this instant may be purged.</summary>
    public DateTime CutoffUtc(DateTimeOffset now) => now.UtcDateTime.AddMonths(-RetentionMonths);
}

/// <summary>Refuses a retention below the 12-month floor (with the seed's promise) or above the maximum.</summary>
public sealed class AuditRetentionSettingsValidator : AbstractValidator<AuditRetentionSettings>
{
    public AuditRetentionSettingsValidator()
    {
        RuleFor(s => s.RetentionMonths)
            .GreaterThanOrEqualTo(AuditRetentionSettings.MinimumMonths)
            .WithMessage(_ => CoreMessages.Format("Audit.Retention.BelowFloor", AuditRetentionSettings.MinimumMonths))
            .LessThanOrEqualTo(AuditRetentionSettings.MaximumMonths)
            .WithMessage(_ => CoreMessages.Format("Audit.Retention.AboveMaximum", AuditRetentionSettings.MaximumMonths));
    }
}
