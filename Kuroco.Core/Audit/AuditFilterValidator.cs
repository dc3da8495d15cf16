using System.Globalization;
using System.Text.RegularExpressions;
using FluentValidation;
using Kuroco.Core.Common;

namespace Kuroco.Core.Audit;

/// <summary>The time ranges the audit search offers, each in the viewer's time zone; <see cref="Custom"/> uses from/to.</summary>
public enum AuditTimePreset
{
    Custom = 0,
    Today = 1,
    Yesterday = 2,
    Last7Days = 3,
    Last30Days = 4,
    ThisMonth = 5,
    LastMonth = 6,
}

/// <summary>
/// The audit search's filters as they arrive (the page's address, the API's and the export's query string), before they are
/// read: every value text, so that a bad one can be named in the error.
/// </summary>
public sealed record AuditFilterInput
{
    public const int TextMaxLength = 200;
    public const int MaxActions = 200;
    public const string DateFormat = "yyyy-MM-dd";

    public string? Text { get; init; }
    public string? Preset { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public string? User { get; init; }
    public string? Role { get; init; }
    public IReadOnlyList<string>? Actions { get; init; }
    public string? EntityType { get; init; }
    public string? EntityId { get; init; }
    public string? Ip { get; init; }
    public string? Outcome { get; init; }

    /// <summary>The preset's query-string names (<c>preset=last7</c>).</summary>
    public static IReadOnlyDictionary<string, AuditTimePreset> PresetNames { get; } = new Dictionary<string, AuditTimePreset>(StringComparer.OrdinalIgnoreCase)
    {
        ["custom"] = AuditTimePreset.Custom,
        ["today"] = AuditTimePreset.Today,
        ["yesterday"] = AuditTimePreset.Yesterday,
        ["last7"] = AuditTimePreset.Last7Days,
        ["last30"] = AuditTimePreset.Last30Days,
        ["thismonth"] = AuditTimePreset.ThisMonth,
        ["lastmonth"] = AuditTimePreset.LastMonth,
    };

    public static bool TryParseDay(string? value, out DateOnly day) =>
        DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    public static bool TryParseOutcome(string? value, out AuditOutcome outcome) =>
        Enum.TryParse(value, ignoreCase: true, out outcome) && Enum.IsDefined(outcome) && !int.TryParse(value, out _);
}

/// <summary>Every filter value readable, the range the right way round; messages in the viewer's language.</summary>
public sealed partial class AuditFilterValidator : AbstractValidator<AuditFilterInput>
{
    public AuditFilterValidator()
    {
        RuleFor(f => f.Text).MaximumLength(AuditFilterInput.TextMaxLength)
            .WithMessage(_ => CoreMessages.Format("AuditFilter.TextTooLong", AuditFilterInput.TextMaxLength));
        RuleFor(f => f.Preset).Must(p => string.IsNullOrWhiteSpace(p) || AuditFilterInput.PresetNames.ContainsKey(p.Trim()))
            .WithMessage(_ => CoreMessages.Get("AuditFilter.PresetInvalid"));
        RuleFor(f => f.From).Must(BeDayOrEmpty).WithMessage(_ => CoreMessages.Get("AuditFilter.DateInvalid"));
        RuleFor(f => f.To).Must(BeDayOrEmpty).WithMessage(_ => CoreMessages.Get("AuditFilter.DateInvalid"));
        RuleFor(f => f)
            .Must(f => !AuditFilterInput.TryParseDay(f.From, out var from) || !AuditFilterInput.TryParseDay(f.To, out var to) || from <= to)
            .WithMessage(_ => CoreMessages.Get("AuditFilter.RangeReversed"))
            .OverridePropertyName(nameof(AuditFilterInput.To));
        RuleFor(f => f.User).MaximumLength(AuditEntry.ActorNameMaxLength)
            .WithMessage(_ => CoreMessages.Format("AuditFilter.ValueTooLong", AuditEntry.ActorNameMaxLength));
        RuleFor(f => f.Role).MaximumLength(AuditEntry.ActorRolesMaxLength)
            .WithMessage(_ => CoreMessages.Format("AuditFilter.ValueTooLong", AuditEntry.ActorRolesMaxLength));
        RuleFor(f => f.EntityType).MaximumLength(AuditEntry.EntityTypeMaxLength)
            .WithMessage(_ => CoreMessages.Format("AuditFilter.ValueTooLong", AuditEntry.EntityTypeMaxLength));
        RuleFor(f => f.EntityId).MaximumLength(AuditEntry.EntityIdMaxLength)
            .WithMessage(_ => CoreMessages.Format("AuditFilter.ValueTooLong", AuditEntry.EntityIdMaxLength));
        RuleFor(f => f.Ip).Must(ip => string.IsNullOrWhiteSpace(ip) || AuditAddressRange.TryParse(ip, out _))
            .WithMessage(_ => CoreMessages.Get("AuditFilter.IpInvalid"));
        RuleFor(f => f.Outcome).Must(o => string.IsNullOrWhiteSpace(o) || AuditFilterInput.TryParseOutcome(o, out _))
            .WithMessage(_ => CoreMessages.Get("AuditFilter.OutcomeInvalid"));
        RuleFor(f => f.Actions)
            .Must(a => a is null || (a.Count <= AuditFilterInput.MaxActions && a.All(IsActionCode)))
            .WithMessage(_ => CoreMessages.Get("AuditFilter.ActionInvalid"));
    }

    private static bool BeDayOrEmpty(string? value) => string.IsNullOrWhiteSpace(value) || AuditFilterInput.TryParseDay(value.Trim(), out _);

    /// <summary>Action codes are lower-case words with dots and dashes (<c>auth.sign-in</c>).</summary>
    private static bool IsActionCode(string code) =>
        code is { Length: > 0 and <= AuditEntry.ActionMaxLength } && ActionCode().IsMatch(code);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ActionCode();
}
