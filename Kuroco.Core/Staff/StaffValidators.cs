using FluentValidation;
using Kuroco.Core.Common;

namespace Kuroco.Core.Staff;

public sealed class CreateStaffRequestValidator : AbstractValidator<CreateStaffRequest>
{
    public CreateStaffRequestValidator()
    {
        RuleFor(r => r.Email)
            .NotEmpty().WithMessage(_ => CoreMessages.Get("Staff.EmailRequired"))
            .Must(EmailRules.IsValid).WithMessage(_ => CoreMessages.Get("Staff.EmailInvalid"));
        RuleFor(r => r.DisplayName).ValidDisplayName();
        RuleFor(r => r.Roles).ValidRoles();
        RuleFor(r => r.TimeZoneId).Must(StaffTimeZones.IsValid).WithMessage(_ => CoreMessages.Get("Staff.TimeZoneInvalid"));
    }
}

public sealed class UpdateStaffRequestValidator : AbstractValidator<UpdateStaffRequest>
{
    public UpdateStaffRequestValidator()
    {
        RuleFor(r => r.DisplayName).ValidDisplayName();
        RuleFor(r => r.Roles).ValidRoles();
        RuleFor(r => r.TimeZoneId).Must(StaffTimeZones.IsValid).WithMessage(_ => CoreMessages.Get("Staff.TimeZoneInvalid"));
    }
}

public sealed class UpdateProfileRequestValidator : AbstractValidator<UpdateProfileRequest>
{
    public UpdateProfileRequestValidator()
    {
        RuleFor(r => r.DisplayName).ValidDisplayName();
        RuleFor(r => r.TimeZoneId).Must(StaffTimeZones.IsValid).WithMessage(_ => CoreMessages.Get("Staff.TimeZoneInvalid"));
        RuleFor(r => r.Language).Must(StaffLanguages.IsValid).When(r => r.Language is not null).WithMessage(_ => CoreMessages.Get("Staff.LanguageInvalid"));
    }
}

/// <summary>
/// Rules shared by the staff requests. Extension methods rather than child validators, so an error
/// names the request's own property ("DisplayName", "Roles") and the form shows it beside that field.
/// </summary>
internal static class StaffRuleBuilderExtensions
{
    public static IRuleBuilderOptions<T, string> ValidDisplayName<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage(_ => CoreMessages.Get("Staff.DisplayNameRequired"))
            .MaximumLength(StaffRules.DisplayNameMaxLength).WithMessage(_ => CoreMessages.Format("Staff.DisplayNameTooLong", StaffRules.DisplayNameMaxLength))
            .Must(HeaderValues.IsSafe).WithMessage(_ => CoreMessages.Get("Staff.DisplayNameLineBreak"));

    public static IRuleBuilderOptions<T, IList<string>> ValidRoles<T>(this IRuleBuilder<T, IList<string>> rule) =>
        rule.NotEmpty().WithMessage(_ => CoreMessages.Get("Staff.RolesRequired"))
            .Must(roles => roles.All(StaffRoles.IsKnown)).WithMessage(_ => CoreMessages.Get("Staff.RoleUnknown"));
}
