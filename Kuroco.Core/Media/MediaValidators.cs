using FluentValidation;
using Kuroco.Core.Common;

namespace Kuroco.Core.Media;

public sealed class MediaDetailsValidator : AbstractValidator<MediaDetails>
{
    public MediaDetailsValidator()
    {
        RuleFor(d => d.AltTextJa).MaximumLength(MediaItem.AltTextMaxLength).WithMessage(_ => MediaMessages.Format("Media.AltTextTooLong", MediaItem.AltTextMaxLength))
            .Must(HeaderValues.IsSafe).WithMessage(_ => MediaMessages.Get("Media.LineBreak"));
        RuleFor(d => d.AltTextEn).MaximumLength(MediaItem.AltTextMaxLength).WithMessage(_ => MediaMessages.Format("Media.AltTextTooLong", MediaItem.AltTextMaxLength))
            .Must(HeaderValues.IsSafe).WithMessage(_ => MediaMessages.Get("Media.LineBreak"));
        RuleFor(d => d.TitleJa).MaximumLength(MediaItem.TitleMaxLength).WithMessage(_ => MediaMessages.Format("Media.TitleTooLong", MediaItem.TitleMaxLength))
            .Must(HeaderValues.IsSafe).WithMessage(_ => MediaMessages.Get("Media.LineBreak"));
        RuleFor(d => d.TitleEn).MaximumLength(MediaItem.TitleMaxLength).WithMessage(_ => MediaMessages.Format("Media.TitleTooLong", MediaItem.TitleMaxLength))
            .Must(HeaderValues.IsSafe).WithMessage(_ => MediaMessages.Get("Media.LineBreak"));
    }
}

public sealed class MediaQueryValidator : AbstractValidator<MediaQuery>
{
    public const int TextMaxLength = 200;

    public MediaQueryValidator()
    {
        RuleFor(q => q.Page).GreaterThanOrEqualTo(0).WithMessage(_ => MediaMessages.Get("Media.PageInvalid"));
        RuleFor(q => q.PageSize).InclusiveBetween(1, MediaQuery.MaxPageSize).WithMessage(_ => MediaMessages.Format("Media.PageSizeInvalid", MediaQuery.MaxPageSize));
        RuleFor(q => q.Text).MaximumLength(TextMaxLength).WithMessage(_ => MediaMessages.Format("Media.SearchTooLong", TextMaxLength));
    }
}

/// <summary>The checks on an upload's size and detected type, with the localized reason.</summary>
public sealed record MediaUploadCheck(long SizeBytes, long MaxBytes, MediaDetection Detection);

public sealed class MediaUploadValidator : AbstractValidator<MediaUploadCheck>
{
    public MediaUploadValidator()
    {
        RuleFor(u => u.SizeBytes)
            .GreaterThan(0).WithMessage(_ => MediaMessages.For(MediaRejection.Empty))
            .Must((u, size) => size <= u.MaxBytes).WithMessage(u => MediaMessages.For(MediaRejection.TooLarge, u.MaxBytes));
        RuleFor(u => u.Detection)
            .Must(d => d.IsAllowed).When(u => u.SizeBytes > 0)
            .WithMessage(u => MediaMessages.For(u.Detection.Rejection));
    }
}
