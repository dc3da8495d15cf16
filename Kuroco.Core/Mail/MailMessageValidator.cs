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
        RuleFor(m => m.Attachments).NotNull()
            .Must(a => a is null || a.Sum(f => (long)(f.Content?.Length ?? 0)) <= MailAttachment.MaxTotalBytes)
            .WithMessage(_ => CoreMessages.Get("Mail.AttachmentsTooLarge"));
        RuleForEach(m => m.Attachments).ChildRules(file =>
        {
            file.RuleFor(f => f.FileName).NotEmpty().MaximumLength(MailAttachment.FileNameMaxLength)
                .Must(HeaderValues.IsSafe).WithErrorCode("HeaderInjection").WithMessage(_ => CoreMessages.Get("Mail.HeaderLineBreak"));
            file.RuleFor(f => f.ContentType).NotEmpty().MaximumLength(MailAttachment.ContentTypeMaxLength)
                .Must(HeaderValues.IsSafe).WithErrorCode("HeaderInjection").WithMessage(_ => CoreMessages.Get("Mail.HeaderLineBreak"));
            file.RuleFor(f => f.Content).NotEmpty();
        });
    }
}
