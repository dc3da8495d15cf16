using FluentValidation;
using Kuroco.Core.Common;
using Kuroco.Core.Incidents;
using Kuroco.Core.Staff;

namespace Kuroco.Core.Sla;

/// <summary>The SLA's limits: reused by the validators, the EF mapping and the page's inputs.</summary>
public static class SlaLimits
{
    public const decimal TargetMin = 90m;
    public const decimal TargetMax = 99.999m;
    public const int MaxTiers = 10;
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 2000;
    public const int ComponentsMaxLength = 200;

    /// <summary>A window may last a week at most: longer is not maintenance, it is an outage.</summary>
    public static readonly TimeSpan MaxWindowLength = TimeSpan.FromDays(7);

    /// <summary>A window may be announced at most a year ahead.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(366);

    /// <summary>The roles that schedule maintenance windows and see the /sla screen.</summary>
    public static bool CanManageMaintenance(IReadOnlyList<string> roles) =>
        roles.Contains(StaffRoles.Administrator, StringComparer.Ordinal) || roles.Contains(StaffRoles.Operator, StringComparer.Ordinal);

    /// <summary>Only Administrators change the SLA's settings.</summary>
    public static bool CanChangeSettings(IReadOnlyList<string> roles) => roles.Contains(StaffRoles.Administrator, StringComparer.Ordinal);
}

/// <summary>
/// The settings: target 90–99.999 %, at most <see cref="SlaLimits.MaxTiers"/> tiers whose thresholds (each in (0, 100])
/// strictly decrease while their credits strictly increase within 0–100 %, a known IANA zone.
/// </summary>
public sealed class SlaSettingsValidator : AbstractValidator<SlaSettings>
{
    public SlaSettingsValidator()
    {
        RuleFor(s => s.TargetPercent).InclusiveBetween(SlaLimits.TargetMin, SlaLimits.TargetMax)
            .WithMessage(_ => SlaMessages.Format("Settings.TargetRange", SlaLimits.TargetMin, SlaLimits.TargetMax));
        RuleFor(s => s.CreditTiers).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage(_ => SlaMessages.Get("Settings.TiersOrder"))
            .Must(t => t.Count <= SlaLimits.MaxTiers).WithMessage(_ => SlaMessages.Format("Settings.TiersTooMany", SlaLimits.MaxTiers))
            .Must(t => t.All(x => x is not null && x.BelowPercent > 0m && x.BelowPercent <= 100m))
                .WithMessage(_ => SlaMessages.Get("Settings.TierThresholdRange"))
            .Must(t => t.All(x => x.CreditPercent >= 0m && x.CreditPercent <= 100m))
                .WithMessage(_ => SlaMessages.Get("Settings.TierCreditRange"))
            .Must(Ordered).WithMessage(_ => SlaMessages.Get("Settings.TiersOrder"));
        RuleFor(s => s.CompanyTimeZone).Must(StaffTimeZones.IsValid).WithMessage(_ => SlaMessages.Get("Settings.ZoneUnknown"));
    }

    /// <summary>Thresholds strictly decreasing, credits strictly increasing: a worse month never earns less.</summary>
    public static bool Ordered(IReadOnlyList<SlaCreditTier> tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        for (var i = 1; i < tiers.Count; i++)
        {
            if (tiers[i].BelowPercent >= tiers[i - 1].BelowPercent || tiers[i].CreditPercent <= tiers[i - 1].CreditPercent)
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>
/// A maintenance window request: both titles required, one line each, within limits; descriptions within limits; known
/// component codes; the end after the start, at most <see cref="SlaLimits.MaxWindowLength"/> long, starting at most
/// <see cref="SlaLimits.MaxAhead"/> ahead. Whether the start may lie in the past is the service's rule (it depends on the window's state).
/// </summary>
public sealed class MaintenanceWindowRequestValidator : AbstractValidator<MaintenanceWindowRequest>
{
    public MaintenanceWindowRequestValidator(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        RuleFor(r => r.TitleEn).Cascade(CascadeMode.Stop)
            .Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage(_ => SlaMessages.Get("Window.TitleEnRequired"))
            .MaximumLength(SlaLimits.TitleMaxLength).WithMessage(_ => SlaMessages.Format("Window.TitleTooLong", SlaLimits.TitleMaxLength))
            .Must(HeaderValues.IsSafe).WithMessage(_ => SlaMessages.Get("Window.LineBreak"));
        RuleFor(r => r.TitleJa).Cascade(CascadeMode.Stop)
            .Must(t => !string.IsNullOrWhiteSpace(t)).WithMessage(_ => SlaMessages.Get("Window.TitleJaRequired"))
            .MaximumLength(SlaLimits.TitleMaxLength).WithMessage(_ => SlaMessages.Format("Window.TitleTooLong", SlaLimits.TitleMaxLength))
            .Must(HeaderValues.IsSafe).WithMessage(_ => SlaMessages.Get("Window.LineBreak"));
        RuleFor(r => r.DescriptionEn)
            .MaximumLength(SlaLimits.DescriptionMaxLength).WithMessage(_ => SlaMessages.Format("Window.DescriptionTooLong", SlaLimits.DescriptionMaxLength));
        RuleFor(r => r.DescriptionJa)
            .MaximumLength(SlaLimits.DescriptionMaxLength).WithMessage(_ => SlaMessages.Format("Window.DescriptionTooLong", SlaLimits.DescriptionMaxLength));
        RuleFor(r => r.Components)
            .Must(c => c is not null && c.All(x => StatusComponents.All.Contains(x, StringComparer.Ordinal)))
            .WithMessage(_ => SlaMessages.Get("Window.ComponentUnknown"));
        RuleFor(r => r.EndUtc).Cascade(CascadeMode.Stop)
            .Must((r, end) => end > r.StartUtc).WithMessage(_ => SlaMessages.Get("Window.EndBeforeStart"))
            .Must((r, end) => end - r.StartUtc <= SlaLimits.MaxWindowLength)
                .WithMessage(_ => SlaMessages.Format("Window.TooLong", (int)SlaLimits.MaxWindowLength.TotalDays));
        RuleFor(r => r.StartUtc)
            .Must(start => Utc(start) <= clock.GetUtcNow().UtcDateTime + SlaLimits.MaxAhead)
            .WithMessage(_ => SlaMessages.Get("Window.TooFarAhead"));
    }

    private static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
