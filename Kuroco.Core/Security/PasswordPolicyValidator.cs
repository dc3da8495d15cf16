using FluentValidation;
using Kuroco.Core.Common;

namespace Kuroco.Core.Security;

public sealed class PasswordPolicyValidator : AbstractValidator<PasswordPolicy>
{
    public PasswordPolicyValidator()
    {
        RuleFor(p => p.MinLength).InclusiveBetween(PasswordPolicy.MinLengthFloor, PasswordPolicy.MinLengthCeiling)
            .WithMessage(_ => Range(PasswordPolicy.MinLengthFloor, PasswordPolicy.MinLengthCeiling));
        RuleFor(p => p.MaxLength).InclusiveBetween(PasswordPolicy.MaxLengthFloor, PasswordPolicy.MaxLengthCeiling)
            .WithMessage(_ => Range(PasswordPolicy.MaxLengthFloor, PasswordPolicy.MaxLengthCeiling));
        RuleFor(p => p.MaxLength).GreaterThanOrEqualTo(p => p.MinLength)
            .WithMessage(_ => CoreMessages.Get("PasswordPolicy.MaxBelowMin"));
        RuleFor(p => p.MinCharacterClasses).InclusiveBetween(0, PasswordPolicy.MaxCharacterClasses)
            .WithMessage(_ => Range(0, PasswordPolicy.MaxCharacterClasses));
        RuleFor(p => p.ExpiryDays).InclusiveBetween(0, PasswordPolicy.ExpiryDaysMax)
            .WithMessage(_ => Range(0, PasswordPolicy.ExpiryDaysMax));
        RuleFor(p => p.ExpiryWarningDays).InclusiveBetween(0, PasswordPolicy.ExpiryWarningDaysMax)
            .WithMessage(_ => Range(0, PasswordPolicy.ExpiryWarningDaysMax));
        RuleFor(p => p.ExpiryWarningDays).LessThan(p => p.ExpiryDays).When(p => p.ExpiryDays > 0 && p.ExpiryWarningDays > 0)
            .WithMessage(_ => CoreMessages.Get("PasswordPolicy.WarningAfterExpiry"));
        RuleFor(p => p.MaxFailedAttempts).InclusiveBetween(PasswordPolicy.MaxFailedAttemptsMin, PasswordPolicy.MaxFailedAttemptsMax)
            .WithMessage(_ => Range(PasswordPolicy.MaxFailedAttemptsMin, PasswordPolicy.MaxFailedAttemptsMax));
        RuleFor(p => p.LockoutMinutes).InclusiveBetween(PasswordPolicy.LockoutMinutesMin, PasswordPolicy.LockoutMinutesMax)
            .WithMessage(_ => Range(PasswordPolicy.LockoutMinutesMin, PasswordPolicy.LockoutMinutesMax));
        RuleFor(p => p.HistoryCount).InclusiveBetween(0, PasswordPolicy.HistoryCountMax)
            .WithMessage(_ => Range(0, PasswordPolicy.HistoryCountMax));
        RuleFor(p => p.RememberMeDays).InclusiveBetween(PasswordPolicy.RememberMeDaysMin, PasswordPolicy.RememberMeDaysMax)
            .WithMessage(_ => Range(PasswordPolicy.RememberMeDaysMin, PasswordPolicy.RememberMeDaysMax));
        RuleFor(p => p.MinStrengthScore).InclusiveBetween(0, PasswordPolicy.StrengthScoreMax)
            .WithMessage(_ => Range(0, PasswordPolicy.StrengthScoreMax));
    }

    private static string Range(int min, int max) => CoreMessages.Format("PasswordPolicy.Range", min, max);
}
