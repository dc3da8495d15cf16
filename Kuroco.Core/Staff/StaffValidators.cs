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
        RuleFor(r => r.DisplayName).SetValidator(new DisplayNameValidator());
        RuleFor(r => r.Roles).SetValidator(new RolesValidator());
        RuleFor(r => r.TimeZoneId).Must(StaffTimeZones.IsValid).WithMessage(_ => CoreMessages.Get("Staff.TimeZoneInvalid"));
    }
}

public sealed class UpdateStaffRequestValidator : AbstractValidator<UpdateStaffRequest>
{
    public UpdateStaffRequestValidator()
    {
        RuleFor(r => r.DisplayName).SetValidator(new DisplayNameValidator());
        RuleFor(r => r.Roles).SetValidator(new RolesValidator());
        RuleFor(r => r.TimeZoneId).Must(StaffTimeZones.IsValid).WithMessage(_ => CoreMessages.Get("Staff.TimeZoneInvalid"));
    }
}

public sealed class UpdateProfileRequestValidator : AbstractValidator<UpdateProfileRequest>
{
    public UpdateProfileRequestValidator()
    {
        RuleFor(r => r.DisplayName).SetValidator(new DisplayNameValidator());
        RuleFor(r => r.TimeZoneId).Must(StaffTimeZones.IsValid).WithMessage(_ => CoreMessages.Get("Staff.TimeZoneInvalid"));
    }
}

internal sealed class DisplayNameValidator : AbstractValidator<string>
{
    public DisplayNameValidator()
    {
        RuleFor(n => n)
            .NotEmpty().WithMessage(_ => CoreMessages.Get("Staff.DisplayNameRequired"))
            .MaximumLength(StaffRules.DisplayNameMaxLength).WithMessage(_ => CoreMessages.Format("Staff.DisplayNameTooLong", StaffRules.DisplayNameMaxLength))
            .Must(HeaderValues.IsSafe).WithMessage(_ => CoreMessages.Get("Staff.DisplayNameLineBreak"))
            .OverridePropertyName("DisplayName");
    }
}

internal sealed class RolesValidator : AbstractValidator<IList<string>>
{
    public RolesValidator()
    {
        RuleFor(r => r)
            .NotEmpty().WithMessage(_ => CoreMessages.Get("Staff.RolesRequired"))
            .Must(roles => roles.All(StaffRoles.IsKnown)).WithMessage(_ => CoreMessages.Get("Staff.RoleUnknown"))
            .OverridePropertyName("Roles");
    }
}
