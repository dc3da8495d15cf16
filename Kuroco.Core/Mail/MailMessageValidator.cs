using FluentValidation;
using Kuroco.Core.Common;

namespace Kuroco.Core.Mail;

/// <summary>Rejects mail header injection (CR, LF) and malformed addresses before anything is queued.</summary>
public sealed class MailMessageValidator : AbstractValidator<MailMessage>
{
    public MailMessageValidator()
    {
        RuleFor(m => m.ToAddress)
            .NotEmpty().WithMessage(_ => CoreMessages.Get("Mail.AddressRequired"))
            .Must(HeaderValues.IsSafe).WithErrorCode("HeaderInjection").WithMessage(_ => CoreMessages.Get("Mail.HeaderLineBreak"))
            .MaximumLength(MailMessage.AddressMaxLength)
            .Must(EmailRules.IsValid).WithMessage(_ => CoreMessages.Get("Mail.AddressInvalid"));
        RuleFor(m => m.ToName)
            .Must(HeaderValues.IsSafe).WithErrorCode("HeaderInjection").WithMessage(_ => CoreMessages.Get("Mail.HeaderLineBreak"))
            .MaximumLength(MailMessage.NameMaxLength);
        RuleFor(m => m.Subject)
            .NotEmpty().WithMessage(_ => CoreMessages.Get("Mail.SubjectRequired"))
            .Must(HeaderValues.IsSafe).WithErrorCode("HeaderInjection").WithMessage(_ => CoreMessages.Get("Mail.HeaderLineBreak"))
            .MaximumLength(MailMessage.SubjectMaxLength);
        RuleFor(m => m.Body).NotNull().MaximumLength(MailMessage.BodyMaxLength);
    }
}
