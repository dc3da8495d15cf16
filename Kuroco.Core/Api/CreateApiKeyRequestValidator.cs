using FluentValidation;
using Kuroco.Core.Common;

namespace Kuroco.Core.Api;

public sealed class CreateApiKeyRequestValidator : AbstractValidator<CreateApiKeyRequest>
{
    public CreateApiKeyRequestValidator(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        RuleFor(r => r.Name)
            .Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => CoreMessages.Get("ApiKey.NameRequired"))
            .MaximumLength(ApiKey.NameMaxLength).WithMessage(_ => CoreMessages.Format("ApiKey.NameTooLong", ApiKey.NameMaxLength))
            .Must(HeaderValues.IsSafe).WithMessage(_ => CoreMessages.Get("ApiKey.NameLineBreak"));
        RuleFor(r => r.Types)
            .Must((r, types) => r.AllTypes || types.Count > 0).WithMessage(_ => CoreMessages.Get("ApiKey.TypesRequired"))
            .Must(types => types.Count <= ApiKey.MaxTypes).WithMessage(_ => CoreMessages.Format("ApiKey.TooManyTypes", ApiKey.MaxTypes))
            .Must((r, types) => r.AllTypes || types.All(ContentTypeIds.IsValid)).WithMessage(_ => CoreMessages.Get("ApiKey.TypeInvalid"));
        RuleFor(r => r.Access).IsInEnum().WithMessage(_ => CoreMessages.Get("ApiKey.AccessInvalid"));
        RuleFor(r => r.ExpiresAtUtc)
            .Must(e => e is null || e.Value > clock.GetUtcNow().UtcDateTime).WithMessage(_ => CoreMessages.Get("ApiKey.ExpiryInPast"));
    }
}
