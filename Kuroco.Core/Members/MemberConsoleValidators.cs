using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using FluentValidation;
using Kuroco.Core.Common;
using Kuroco.Core.Content;

namespace Kuroco.Core.Members;

/// <summary>Localized messages of the member console rules (Resources/MemberConsoleMessages.resx and .ja.resx), in the current UI culture.</summary>
public static class MemberConsoleMessages
{
    private static readonly ResourceManager Resources =
        new("Kuroco.Core.Resources.MemberConsoleMessages", typeof(MemberConsoleMessages).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);
}

/// <summary>
/// A member's profile as staff edit it: email, name, reading, language, and each active custom field by the content rules
/// (<see cref="FieldRules"/>). Custom field errors are keyed "Profile.{key}".
/// </summary>
public sealed class MemberProfileEditValidator : AbstractValidator<MemberProfileEdit>
{
    public MemberProfileEditValidator()
    {
        RuleFor(e => e.Email)
            .NotEmpty().WithMessage(_ => MemberConsoleMessages.Get("Members.EmailRequired"))
            .Must(e => EmailRules.IsValid(e) && e.Length <= Member.EmailMaxLength).WithMessage(_ => MemberConsoleMessages.Get("Members.EmailInvalid"));
        RuleFor(e => e.DisplayName)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage(_ => MemberConsoleMessages.Get("Members.DisplayNameRequired"))
            .MaximumLength(Member.DisplayNameMaxLength).WithMessage(_ => MemberConsoleMessages.Format("Members.DisplayNameTooLong", Member.DisplayNameMaxLength))
            .Must(MemberConsoleRules.IsSingleLine).WithMessage(_ => MemberConsoleMessages.Get("Members.LineBreak"));
        RuleFor(e => e.NameKana)
            .MaximumLength(Member.NameKanaMaxLength).WithMessage(_ => MemberConsoleMessages.Format("Members.NameKanaTooLong", Member.NameKanaMaxLength))
            .Must(MemberConsoleRules.IsSingleLine).WithMessage(_ => MemberConsoleMessages.Get("Members.LineBreak"));
        RuleFor(e => e.Language).Must(MemberLanguages.IsSupported).WithMessage(_ => MemberConsoleMessages.Get("Members.LanguageInvalid"));
        RuleFor(e => e).Custom((edit, context) =>
        {
            foreach (var field in edit.Fields.Where(f => !f.IsArchived))
            {
                edit.Profile.TryGetValue(field.Key, out var value);
                foreach (var error in FieldRules.Validate(field, value, field.DisplayLabel()))
                {
                    context.AddFailure(MemberConsoleRules.ProfileKey(field.Key), error);
                }
            }
        });
    }
}

/// <summary>A group's two names: one is enough, each one line of at most <see cref="MemberGroup.NameMaxLength"/> characters.</summary>
public sealed class MemberGroupInputValidator : AbstractValidator<MemberGroupInput>
{
    public MemberGroupInputValidator()
    {
        RuleFor(g => g).Must(g => !string.IsNullOrWhiteSpace(g.NameJa) || !string.IsNullOrWhiteSpace(g.NameEn))
            .WithMessage(_ => MemberConsoleMessages.Get("Members.GroupNameRequired")).OverridePropertyName(nameof(MemberGroupInput.NameJa));
        RuleFor(g => g.NameJa).MaximumLength(MemberGroup.NameMaxLength).WithMessage(_ => MemberConsoleMessages.Format("Members.GroupNameTooLong", MemberGroup.NameMaxLength))
            .Must(MemberConsoleRules.IsSingleLine).WithMessage(_ => MemberConsoleMessages.Get("Members.LineBreak"));
        RuleFor(g => g.NameEn).MaximumLength(MemberGroup.NameMaxLength).WithMessage(_ => MemberConsoleMessages.Format("Members.GroupNameTooLong", MemberGroup.NameMaxLength))
            .Must(MemberConsoleRules.IsSingleLine).WithMessage(_ => MemberConsoleMessages.Get("Members.LineBreak"));
    }
}

/// <summary>The registration settings: a known mode, valid and disjoint domain lists, link lifetimes in range.</summary>
public sealed class MemberRegistrationSettingsValidator : AbstractValidator<MemberRegistrationSettings>
{
    public MemberRegistrationSettingsValidator()
    {
        RuleFor(s => s.Mode).IsInEnum().WithMessage(_ => MemberConsoleMessages.Get("Members.Registration.ModeInvalid"));
        RuleFor(s => s.AllowedDomains).Must(d => d.Count <= MemberRegistrationSettings.MaxDomains)
            .WithMessage(_ => MemberConsoleMessages.Format("Members.Registration.TooManyDomains", MemberRegistrationSettings.MaxDomains));
        RuleFor(s => s.DeniedDomains).Must(d => d.Count <= MemberRegistrationSettings.MaxDomains)
            .WithMessage(_ => MemberConsoleMessages.Format("Members.Registration.TooManyDomains", MemberRegistrationSettings.MaxDomains));
        RuleForEach(s => s.AllowedDomains).Must(MemberConsoleRules.IsValidDomain)
            .WithMessage((_, domain) => MemberConsoleMessages.Format("Members.Registration.DomainInvalid", domain));
        RuleForEach(s => s.DeniedDomains).Must(MemberConsoleRules.IsValidDomain)
            .WithMessage((_, domain) => MemberConsoleMessages.Format("Members.Registration.DomainInvalid", domain));
        RuleFor(s => s).Custom((settings, context) =>
        {
            foreach (var domain in settings.AllowedDomains.Intersect(settings.DeniedDomains, StringComparer.OrdinalIgnoreCase))
            {
                context.AddFailure(nameof(MemberRegistrationSettings.DeniedDomains), MemberConsoleMessages.Format("Members.Registration.DomainInBoth", domain));
            }
        });
        RuleFor(s => s.VerificationLinkHours)
            .InclusiveBetween(MemberRegistrationSettings.MinVerificationHours, MemberRegistrationSettings.MaxVerificationHours)
            .WithMessage(_ => MemberConsoleMessages.Format("Members.Registration.VerificationHours", MemberRegistrationSettings.MinVerificationHours, MemberRegistrationSettings.MaxVerificationHours));
        RuleFor(s => s.InvitationLinkHours)
            .InclusiveBetween(MemberRegistrationSettings.MinInvitationHours, MemberRegistrationSettings.MaxInvitationHours)
            .WithMessage(_ => MemberConsoleMessages.Format("Members.Registration.InvitationHours", MemberRegistrationSettings.MinInvitationHours, MemberRegistrationSettings.MaxInvitationHours));
    }
}

/// <summary>
/// The custom profile fields: at most <see cref="MemberProfileSchema.MaxFields"/> active ones, unique keys, each a valid
/// content field definition (<see cref="FieldDefinitionValidator"/>) of a kind members can hold, never "unique".
/// </summary>
public sealed class MemberProfileSchemaValidator : AbstractValidator<MemberProfileSchema>
{
    public MemberProfileSchemaValidator()
    {
        RuleFor(s => s.Fields).Must(f => f.Count(x => !x.IsArchived) <= MemberProfileSchema.MaxFields)
            .WithMessage(_ => MemberConsoleMessages.Format("Members.Schema.TooManyFields", MemberProfileSchema.MaxFields));
        RuleFor(s => s.Fields).Must(f => f.Select(x => x.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count() == f.Count)
            .WithMessage(_ => MemberConsoleMessages.Get("Members.Schema.KeysDuplicate"));
        RuleForEach(s => s.Fields).SetValidator(new FieldDefinitionValidator());
        RuleForEach(s => s.Fields).Must(f => MemberProfileSchema.AllowedKinds.Contains(f.Kind))
            .WithMessage((_, f) => MemberConsoleMessages.Format("Members.Schema.KindNotAllowed", f.Key));
        RuleForEach(s => s.Fields).Must(f => !f.Unique)
            .WithMessage((_, f) => MemberConsoleMessages.Format("Members.Schema.UniqueNotSupported", f.Key));
    }
}

/// <summary>Small rules the member console shares between validators, services and pages.</summary>
public static partial class MemberConsoleRules
{
    /// <summary>The validation key of a custom profile field ("Profile.{key}").</summary>
    public static string ProfileKey(string fieldKey) => "Profile." + fieldKey;

    public static bool IsSingleLine(string? value) =>
        value is null || (!value.Contains('\n', StringComparison.Ordinal) && !value.Contains('\r', StringComparison.Ordinal));

    /// <summary>A host name as the domain lists keep it: lower-case labels of letters, digits and hyphens (IDN as punycode or Unicode), with a dot.</summary>
    public static bool IsValidDomain(string? domain) =>
        domain is { Length: > 0 and <= MemberRegistrationSettings.DomainMaxLength } && Domain().IsMatch(domain);

    /// <summary>What a typed domain is stored as: trimmed, without a leading "@" or "*.", lower case, NFKC.</summary>
    public static string NormalizeDomain(string? domain)
    {
        var text = (domain ?? "").Trim().Normalize(System.Text.NormalizationForm.FormKC).ToLowerInvariant();
        text = text.StartsWith('@') ? text[1..] : text.StartsWith("*.", StringComparison.Ordinal) ? text[2..] : text;
        return text.TrimEnd('.');
    }

    /// <summary>The domains of a text box (one per line, or separated by commas or spaces), normalized, without repeats.</summary>
    public static List<string> ParseDomains(string? text) =>
        [.. (text ?? "").Split(['\n', '\r', ',', ' ', '\t', '、'], StringSplitOptions.RemoveEmptyEntries)
            .Select(NormalizeDomain).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal)];

    [GeneratedRegex(@"^(?=.{1,253}$)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Domain();
}
