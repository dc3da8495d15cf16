using FluentValidation;
using Kuroco.Core.Common;

namespace Kuroco.Core.Security;

public sealed class IpAllowlistEntryValidator : AbstractValidator<IpAllowlistEntry>
{
    public IpAllowlistEntryValidator()
    {
        RuleFor(e => e.Cidr)
            .Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => CoreMessages.Get("IpAllowlist.CidrRequired"))
            .MaximumLength(IpAllowlistEntry.CidrMaxLength).WithMessage(_ => CoreMessages.Get("IpAllowlist.CidrInvalid"))
            .Must(IpRange.IsValid).WithMessage(_ => CoreMessages.Get("IpAllowlist.CidrInvalid"));
        RuleFor(e => e.Comment)
            .MaximumLength(IpAllowlistEntry.CommentMaxLength).WithMessage(_ => CoreMessages.Format("IpAllowlist.CommentTooLong", IpAllowlistEntry.CommentMaxLength))
            .Must(HeaderValues.IsSafe).WithMessage(_ => CoreMessages.Get("IpAllowlist.CommentLineBreak"));
    }
}

/// <summary>A whole list: each row valid, no range twice, at most <see cref="MaxEntries"/> rows.</summary>
public sealed class IpAllowlistEntriesValidator : AbstractValidator<IReadOnlyList<IpAllowlistEntry>>
{
    public const int MaxEntries = 200;

    public IpAllowlistEntriesValidator()
    {
        RuleFor(l => l.Count)
            .LessThanOrEqualTo(MaxEntries).WithMessage(_ => CoreMessages.Format("IpAllowlist.TooMany", MaxEntries))
            .OverridePropertyName("Entries");
        RuleForEach(l => l).SetValidator(new IpAllowlistEntryValidator()).OverridePropertyName("Entries");
        RuleFor(l => l)
            .Must(NoDuplicates).WithMessage(_ => CoreMessages.Get("IpAllowlist.Duplicate"))
            .OverridePropertyName("Entries");
    }

    private static bool NoDuplicates(IReadOnlyList<IpAllowlistEntry> entries) =>
        entries.Select(e => IpRange.TryParse(e.Cidr, out var n) ? n.ToString() : e.Cidr).Distinct(StringComparer.OrdinalIgnoreCase).Count() == entries.Count;
}
