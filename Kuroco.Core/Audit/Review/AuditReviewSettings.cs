using FluentValidation;
using Kuroco.Core.Staff;

namespace Kuroco.Core.Audit.Review;

/// <summary>
/// The thresholds of the monthly review, its business hours, the days a review may stay unsigned and the zone the schedule
/// and the month's boundaries are read in. Limits are constants, reused by the validator, the mapping and the settings form.
/// </summary>
public sealed class AuditReviewSettings
{
    public const int MinFailedSignIns = 2;
    public const int MaxFailedSignIns = 1000;
    public const int DefaultFailedSignIns = 5;
    public const int MinWindowMinutes = 1;
    public const int MaxWindowMinutes = 24 * 60;
    public const int DefaultFailedSignInWindowMinutes = 10;
    public const int MinLookbackDays = 7;
    public const int MaxLookbackDays = 365;
    public const int DefaultNewAddressLookbackDays = 90;
    public const int MinDeletions = 2;
    public const int MaxDeletions = 100_000;
    public const int DefaultDeletions = 20;
    public const int DefaultDeletionWindowMinutes = 60;
    public const int MinOverdueDays = 1;
    public const int MaxOverdueDays = 60;
    public const int DefaultOverdueDays = 10;
    public const int MinutesPerDay = 24 * 60;
    public const int DefaultBusinessStartMinutes = 8 * 60;
    public const int DefaultBusinessEndMinutes = 20 * 60;

    /// <summary>The monthly job runs on the 1st at this hour of <see cref="TimeZoneId"/>.</summary>
    public const int ScheduleHour = 2;

    /// <summary>Failed sign-ins for one account (or from one address) within <see cref="FailedSignInWindowMinutes"/> that make a burst.</summary>
    public int FailedSignInThreshold { get; set; } = DefaultFailedSignIns;
    public int FailedSignInWindowMinutes { get; set; } = DefaultFailedSignInWindowMinutes;

    /// <summary>A sign-in address is new for a user when they did not sign in from it in this many days before.</summary>
    public int NewAddressLookbackDays { get; set; } = DefaultNewAddressLookbackDays;

    /// <summary>Deletions by one person within <see cref="DeletionWindowMinutes"/> that make a bulk deletion.</summary>
    public int DeletionThreshold { get; set; } = DefaultDeletions;
    public int DeletionWindowMinutes { get; set; } = DefaultDeletionWindowMinutes;

    /// <summary>Business hours in minutes after midnight in <see cref="TimeZoneId"/>: start inclusive, end exclusive.</summary>
    public int BusinessStartMinutes { get; set; } = DefaultBusinessStartMinutes;
    public int BusinessEndMinutes { get; set; } = DefaultBusinessEndMinutes;

    /// <summary>Working days (Monday to Friday by default). Public holidays are not known: a holiday counts as a working day.</summary>
    public IList<DayOfWeek> BusinessDays { get; set; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>A review not signed this many days after it was prepared is overdue.</summary>
    public int OverdueDays { get; set; } = DefaultOverdueDays;

    /// <summary>The company's zone: the month's boundaries, business hours and the schedule.</summary>
    public string TimeZoneId { get; set; } = StaffTimeZones.Default;

    public static AuditReviewSettings Default => new();

    public AuditReviewSettings Clone() => new()
    {
        FailedSignInThreshold = FailedSignInThreshold,
        FailedSignInWindowMinutes = FailedSignInWindowMinutes,
        NewAddressLookbackDays = NewAddressLookbackDays,
        DeletionThreshold = DeletionThreshold,
        DeletionWindowMinutes = DeletionWindowMinutes,
        BusinessStartMinutes = BusinessStartMinutes,
        BusinessEndMinutes = BusinessEndMinutes,
        BusinessDays = [.. BusinessDays],
        OverdueDays = OverdueDays,
        TimeZoneId = TimeZoneId,
    };

    public TimeZoneInfo Zone => StaffTimeZones.Find(TimeZoneId);

    /// <summary>True when <paramref name="utc"/> falls inside business hours on a working day of the company's zone.</summary>
    public bool IsBusinessTime(DateTime utc, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        var minutes = (local.Hour * 60) + local.Minute;
        return BusinessDays.Contains(local.DayOfWeek) && minutes >= BusinessStartMinutes && minutes < BusinessEndMinutes;
    }

    /// <summary>Days as stored: "1,2,3,4,5" (Sunday is 0).</summary>
    public string BusinessDaysText => string.Join(",", BusinessDays.Distinct().Order().Select(d => ((int)d).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static IList<DayOfWeek> ParseBusinessDays(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : -1)
            .Where(d => d is >= 0 and <= 6).Distinct().Order().Select(d => (DayOfWeek)d)];
}

public sealed class AuditReviewSettingsValidator : AbstractValidator<AuditReviewSettings>
{
    public AuditReviewSettingsValidator()
    {
        RuleFor(s => s.FailedSignInThreshold).InclusiveBetween(AuditReviewSettings.MinFailedSignIns, AuditReviewSettings.MaxFailedSignIns)
            .WithMessage(_ => AuditReviewMessages.Format("Review.FailedSignInThresholdRange", AuditReviewSettings.MinFailedSignIns, AuditReviewSettings.MaxFailedSignIns));
        RuleFor(s => s.FailedSignInWindowMinutes).InclusiveBetween(AuditReviewSettings.MinWindowMinutes, AuditReviewSettings.MaxWindowMinutes)
            .WithMessage(_ => AuditReviewMessages.Format("Review.WindowRange", AuditReviewSettings.MinWindowMinutes, AuditReviewSettings.MaxWindowMinutes));
        RuleFor(s => s.NewAddressLookbackDays).InclusiveBetween(AuditReviewSettings.MinLookbackDays, AuditReviewSettings.MaxLookbackDays)
            .WithMessage(_ => AuditReviewMessages.Format("Review.LookbackRange", AuditReviewSettings.MinLookbackDays, AuditReviewSettings.MaxLookbackDays));
        RuleFor(s => s.DeletionThreshold).InclusiveBetween(AuditReviewSettings.MinDeletions, AuditReviewSettings.MaxDeletions)
            .WithMessage(_ => AuditReviewMessages.Format("Review.DeletionThresholdRange", AuditReviewSettings.MinDeletions, AuditReviewSettings.MaxDeletions));
        RuleFor(s => s.DeletionWindowMinutes).InclusiveBetween(AuditReviewSettings.MinWindowMinutes, AuditReviewSettings.MaxWindowMinutes)
            .WithMessage(_ => AuditReviewMessages.Format("Review.WindowRange", AuditReviewSettings.MinWindowMinutes, AuditReviewSettings.MaxWindowMinutes));
        RuleFor(s => s.BusinessStartMinutes).InclusiveBetween(0, AuditReviewSettings.MinutesPerDay - 1)
            .WithMessage(_ => AuditReviewMessages.Get("Review.BusinessHoursInvalid"));
        RuleFor(s => s.BusinessEndMinutes).InclusiveBetween(1, AuditReviewSettings.MinutesPerDay)
            .WithMessage(_ => AuditReviewMessages.Get("Review.BusinessHoursInvalid"));
        RuleFor(s => s.BusinessEndMinutes).GreaterThan(s => s.BusinessStartMinutes)
            .WithMessage(_ => AuditReviewMessages.Get("Review.BusinessHoursOrder"));
        RuleFor(s => s.BusinessDays).NotNull().Must(days => days.Count > 0 && days.All(Enum.IsDefined))
            .WithMessage(_ => AuditReviewMessages.Get("Review.BusinessDaysRequired"));
        RuleFor(s => s.OverdueDays).InclusiveBetween(AuditReviewSettings.MinOverdueDays, AuditReviewSettings.MaxOverdueDays)
            .WithMessage(_ => AuditReviewMessages.Format("Review.OverdueDaysRange", AuditReviewSettings.MinOverdueDays, AuditReviewSettings.MaxOverdueDays));
        RuleFor(s => s.TimeZoneId).Must(StaffTimeZones.IsValid)
            .WithMessage(_ => AuditReviewMessages.Get("Review.TimeZoneUnknown"));
    }
}
