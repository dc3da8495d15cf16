using System.Text.RegularExpressions;
using FluentValidation;

namespace Kuroco.Core.Content;

public static partial class ContentIdentifiers
{
    /// <summary>API identifiers of content types (cross-feature contract).</summary>
    [GeneratedRegex("^[a-z][a-z0-9-]{1,62}$", RegexOptions.CultureInvariant)]
    public static partial Regex ApiId();

    /// <summary>Field keys: a letter, then letters, digits or underscores.</summary>
    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    public static partial Regex FieldKey();

    /// <summary>Slugs: lowercase letters and digits in groups joined by single hyphens.</summary>
    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    public static partial Regex Slug();
}

public sealed class FieldDefinitionValidator : AbstractValidator<FieldDefinition>
{
    public FieldDefinitionValidator()
    {
        RuleFor(f => f.Key).Must(k => k is not null && ContentIdentifiers.FieldKey().IsMatch(k))
            .WithMessage(f => ContentMessages.Format("Content.Type.FieldKeyInvalid", f.Key));
        // One label is enough: the other language shows it (FieldDefinition.LabelFor).
        RuleFor(f => f).Must(f => !string.IsNullOrWhiteSpace(f.LabelEn) || !string.IsNullOrWhiteSpace(f.LabelJa))
            .WithMessage(f => ContentMessages.Format("Content.Type.FieldLabelRequired", f.Key)).OverridePropertyName(nameof(FieldDefinition.LabelEn));
        RuleFor(f => f.LabelEn).MaximumLength(FieldDefinition.LabelMaxLength)
            .WithMessage(f => ContentMessages.Format("Content.Type.FieldLabelTooLong", f.Key, FieldDefinition.LabelMaxLength));
        RuleFor(f => f.LabelJa).MaximumLength(FieldDefinition.LabelMaxLength)
            .WithMessage(f => ContentMessages.Format("Content.Type.FieldLabelTooLong", f.Key, FieldDefinition.LabelMaxLength));
        RuleFor(f => f.Kind).IsInEnum().WithMessage(f => ContentMessages.Format("Content.Type.FieldKindInvalid", f.Key));
        RuleFor(f => f).Must(f => f.MinLength is not < 0 && f.MaxLength is not < 1)
            .WithMessage(f => ContentMessages.Format("Content.Type.LengthNegative", f.Key)).OverridePropertyName(nameof(FieldDefinition.MinLength));
        RuleFor(f => f).Must(f => f.MinLength is null || f.MaxLength is null || f.MinLength <= f.MaxLength)
            .WithMessage(f => ContentMessages.Format("Content.Type.LengthRange", f.Key)).OverridePropertyName(nameof(FieldDefinition.MaxLength));
        RuleFor(f => f).Must(f => f.MinValue is null || f.MaxValue is null || f.MinValue <= f.MaxValue)
            .WithMessage(f => ContentMessages.Format("Content.Type.ValueRange", f.Key)).OverridePropertyName(nameof(FieldDefinition.MaxValue));
        RuleFor(f => f.Pattern).Must(p => string.IsNullOrEmpty(p) || (p.Length <= FieldDefinition.PatternMaxLength && FieldRules.IsValidPattern(p)))
            .WithMessage(f => ContentMessages.Format("Content.Type.PatternInvalid", f.Key));
        RuleFor(f => f.Choices).Must(c => c.Count is > 0 and <= FieldDefinition.MaxChoices)
            .When(f => f.Kind is FieldKind.SingleChoice or FieldKind.MultipleChoice)
            .WithMessage(f => ContentMessages.Format("Content.Type.ChoicesRequired", f.Key, FieldDefinition.MaxChoices));
        RuleFor(f => f.Choices).Must(c => c.All(v => !string.IsNullOrWhiteSpace(v) && v.Length <= FieldDefinition.ChoiceMaxLength && !v.Contains('\n', StringComparison.Ordinal) && !v.Contains('\r', StringComparison.Ordinal))
                && c.Distinct(StringComparer.Ordinal).Count() == c.Count)
            .WithMessage(f => ContentMessages.Format("Content.Type.ChoicesInvalid", f.Key, FieldDefinition.ChoiceMaxLength));
        RuleFor(f => f.ReferenceTypeApiId).Must(r => r is not null && ContentIdentifiers.ApiId().IsMatch(r))
            .When(f => f.Kind == FieldKind.Reference)
            .WithMessage(f => ContentMessages.Format("Content.Type.ReferenceTargetRequired", f.Key));
        RuleFor(f => f.Unique).Must(u => !u).When(f => f.Kind is FieldKind.Boolean or FieldKind.MultipleChoice or FieldKind.Tags or FieldKind.RichText)
            .WithMessage(f => ContentMessages.Format("Content.Type.UniqueNotSupported", f.Key));
    }
}

public sealed class ContentTypeValidator : AbstractValidator<ContentType>
{
    public ContentTypeValidator()
    {
        RuleFor(t => t.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage(_ => ContentMessages.Get("Content.Type.NameRequired"));
        RuleFor(t => t.Name).MaximumLength(ContentType.NameMaxLength)
            .WithMessage(_ => ContentMessages.Format("Content.Type.NameTooLong", ContentType.NameMaxLength));
        RuleFor(t => t.ApiId).Must(a => a is not null && ContentIdentifiers.ApiId().IsMatch(a))
            .WithMessage(_ => ContentMessages.Get("Content.Type.ApiIdInvalid"));
        RuleFor(t => t.Description).MaximumLength(ContentType.DescriptionMaxLength)
            .WithMessage(_ => ContentMessages.Format("Content.Type.DescriptionTooLong", ContentType.DescriptionMaxLength));
        RuleFor(t => t.Fields).Must(f => f.Count(x => !x.IsArchived) <= ContentType.MaxFields)
            .WithMessage(_ => ContentMessages.Format("Content.Type.TooManyFields", ContentType.MaxFields));
        RuleFor(t => t.Fields).Must(f => f.Select(x => x.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count() == f.Count)
            .WithMessage(_ => ContentMessages.Get("Content.Type.FieldKeysDuplicate"));
        RuleForEach(t => t.Fields).SetValidator(new FieldDefinitionValidator());
        RuleFor(t => t.ReviewerRole).Must(r => string.IsNullOrEmpty(r) || Kuroco.Core.Staff.StaffRoles.IsKnown(r))
            .WithMessage(_ => ContentMessages.Get("Content.Type.ReviewerRoleInvalid"));
        RuleFor(t => t.ReviewerEmails).Must(e => e is null || e.Length <= 2000)
            .WithMessage(_ => ContentMessages.Get("Content.Type.ReviewerEmailsInvalid"));
        RuleFor(t => t.ReviewerEmailList).Must(list => list.All(Kuroco.Core.Common.EmailRules.IsValid))
            .WithMessage(_ => ContentMessages.Get("Content.Type.ReviewerEmailsInvalid")).OverridePropertyName(nameof(ContentType.ReviewerEmails));
        RuleFor(t => t).Must(t => !t.RequiresApproval || !string.IsNullOrEmpty(t.ReviewerRole) || t.ReviewerEmailList.Count > 0)
            .WithMessage(_ => ContentMessages.Get("Content.Type.ReviewersRequired")).OverridePropertyName(nameof(ContentType.RequiresApproval));
        // Delivery: CDN cache lifetimes.
        RuleFor(t => t.CacheMaxAgeSeconds).InclusiveBetween(0, ContentDelivery.MaxCacheSeconds)
            .WithMessage(_ => ContentMessages.Format("Content.Type.CacheMaxAgeRange", ContentDelivery.MaxCacheSeconds));
        RuleFor(t => t.CacheStaleWhileRevalidateSeconds).InclusiveBetween(0, ContentDelivery.MaxCacheSeconds)
            .WithMessage(_ => ContentMessages.Format("Content.Type.CacheStaleWhileRevalidateRange", ContentDelivery.MaxCacheSeconds));
        RuleFor(t => t.CacheStaleIfErrorSeconds).InclusiveBetween(0, ContentDelivery.MaxCacheSeconds)
            .WithMessage(_ => ContentMessages.Format("Content.Type.CacheStaleIfErrorRange", ContentDelivery.MaxCacheSeconds));
        // Member-only content (whether the groups exist is the service's check: it needs the database).
        RuleFor(t => t.RestrictedToGroups).Must(ContentMemberAccessRules.IsWellFormed)
            .WithMessage(_ => ContentMessages.Format("Content.Access.GroupsInvalid", ContentMemberAccess.MaxGroups));
    }
}

/// <summary>The shape of a restriction to member groups: at most <see cref="ContentMemberAccess.MaxGroups"/> distinct, non-empty ids.</summary>
public static class ContentMemberAccessRules
{
    public static bool IsWellFormed(IReadOnlyCollection<Guid>? groups) =>
        groups is null || (groups.Count <= ContentMemberAccess.MaxGroups && !groups.Contains(Guid.Empty) && groups.Distinct().Count() == groups.Count);
}

/// <summary>What an editor submits for an item: slug and the values of both languages.</summary>
public sealed class ContentItemInput
{
    public Guid? Id { get; set; }
    public Guid TypeId { get; set; }
    public string Slug { get; set; } = "";
    public Dictionary<string, string?> Ja { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, string?> En { get; set; } = new(StringComparer.Ordinal);
    /// <summary>The token read with the item; a save with a stale token is refused.</summary>
    public Guid? ConcurrencyToken { get; set; }
    /// <summary>
    /// Member-only content: the groups that may read the item (empty: as its type). Null leaves the item's restriction as it is.
    /// A change applies at once, to the published copy too (it is not part of the working copy).
    /// </summary>
    public List<Guid>? RestrictedToGroups { get; set; }

    public Dictionary<string, string?> ValuesFor(string language) => language == ContentLanguages.English ? En : Ja;
}

/// <summary>An item's input together with what it is checked against: its type and the primary language.</summary>
public sealed record ContentItemCandidate(ContentType Type, string PrimaryLanguage, ContentItemInput Input);

/// <summary>
/// The rules of an item against its type: the slug, and every active field in both languages. Required
/// fields must be filled in the primary language; the other language may be left empty (it falls back),
/// but once it has any value its required fields apply too. Errors are reported on "Slug" and "ja.KEY"/"en.KEY".
/// </summary>
public sealed class ContentItemValidator : AbstractValidator<ContentItemCandidate>
{
    public ContentItemValidator()
    {
        RuleFor(c => c.Input.Slug).Must(s => !string.IsNullOrEmpty(s) && s.Length <= ContentItem.SlugMaxLength && ContentIdentifiers.Slug().IsMatch(s))
            .WithMessage(_ => ContentMessages.Format("Content.Item.SlugInvalid", ContentItem.SlugMaxLength)).OverridePropertyName("Slug");
        RuleFor(c => c.Input.RestrictedToGroups).Must(ContentMemberAccessRules.IsWellFormed)
            .WithMessage(_ => ContentMessages.Format("Content.Access.GroupsInvalid", ContentMemberAccess.MaxGroups)).OverridePropertyName(nameof(ContentItemInput.RestrictedToGroups));
        RuleFor(c => c).Custom((candidate, context) =>
        {
            foreach (var language in ContentLanguages.All)
            {
                var values = candidate.Input.ValuesFor(language);
                var requireValue = IsRequiredLanguage(language, candidate.PrimaryLanguage, values);
                foreach (var field in candidate.Type.ActiveFields)
                {
                    values.TryGetValue(field.Key, out var value);
                    var name = ContentMessages.FieldName(field, language);
                    foreach (var error in FieldRules.Validate(field, value, name, requireValue))
                    {
                        context.AddFailure(language + "." + field.Key, error);
                    }
                }
            }
        });
    }

    public static ContentItemValidator Instance { get; } = new();

    /// <summary>Whether required fields apply in <paramref name="language"/>: the primary language always, the other once it has any value.</summary>
    public static bool IsRequiredLanguage(string language, string primaryLanguage, IReadOnlyDictionary<string, string?> values) =>
        language == primaryLanguage || ContentValues.HasAny(values);

    /// <summary>Whether <paramref name="field"/> must be filled in <paramref name="language"/> now (the editor marks it).</summary>
    public static bool RequiresValue(FieldDefinition field, string language, string primaryLanguage, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.Required && IsRequiredLanguage(language, primaryLanguage, values);
    }
}
