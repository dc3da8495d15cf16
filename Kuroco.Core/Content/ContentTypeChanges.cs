namespace Kuroco.Core.Content;

/// <summary>
/// What may change in a type without losing data. Removing a field archives it (its values stay in every
/// item); a kind change is allowed only when every value of the old kind has a form in the new one. Pure.
/// </summary>
public static class ContentTypeChanges
{
    private static bool IsText(FieldKind k) => k is FieldKind.ShortText or FieldKind.LongText or FieldKind.RichText or FieldKind.Markdown;

    /// <summary>Null when a field of kind <paramref name="from"/> may become <paramref name="to"/>, else the localized reason.</summary>
    public static string? ExplainKindChange(FieldDefinition from, FieldDefinition to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var label = to.DisplayLabel();
        if (from.Kind == to.Kind)
        {
            if (from.Kind == FieldKind.Reference && !string.Equals(from.ReferenceTypeApiId, to.ReferenceTypeApiId, StringComparison.Ordinal))
            {
                return ContentMessages.Format("Content.Type.ReferenceTargetChange", label);
            }
            return null;
        }
        var allowed = (from.Kind, to.Kind) switch
        {
            // Every value has a text form, and text stays text (rich text is sanitized at the next save).
            (_, FieldKind.LongText or FieldKind.Markdown) when from.Kind is not (FieldKind.MultipleChoice or FieldKind.Tags) => true,
            (_, FieldKind.ShortText) when IsText(from.Kind) is false && from.Kind is not (FieldKind.MultipleChoice or FieldKind.Tags) => true,
            (FieldKind.ShortText or FieldKind.LongText or FieldKind.Markdown, FieldKind.RichText) => true,
            (FieldKind.LongText or FieldKind.Markdown or FieldKind.RichText, FieldKind.ShortText) => false,
            (FieldKind.SingleChoice, FieldKind.MultipleChoice) => true,
            (FieldKind.SingleChoice or FieldKind.MultipleChoice, FieldKind.Tags) => true,
            _ => false,
        };
        return allowed ? null : ContentMessages.Format("Content.Type.KindChangeRefused", label,
            ContentMessages.Get("Content.Kind." + from.Kind), ContentMessages.Get("Content.Kind." + to.Kind));
    }

    /// <summary>
    /// Applies an edited field list to the stored one: fields missing from <paramref name="edited"/> are
    /// kept as archived, a field re-added under an archived key comes back. Returns the errors (kind
    /// changes refused) or the merged list.
    /// </summary>
    public static (IReadOnlyList<string> Errors, List<FieldDefinition> Fields) Merge(IReadOnlyList<FieldDefinition> stored, IReadOnlyList<FieldDefinition> edited)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(edited);
        var errors = new List<string>();
        var merged = new List<FieldDefinition>();
        foreach (var field in edited)
        {
            var old = stored.FirstOrDefault(f => string.Equals(f.Key, field.Key, StringComparison.Ordinal));
            if (old is not null && ExplainKindChange(old, field) is { } reason)
            {
                errors.Add(reason);
            }
            var copy = field.Clone();
            copy.IsArchived = false;
            merged.Add(copy);
        }
        foreach (var old in stored.Where(o => !edited.Any(e => string.Equals(e.Key, o.Key, StringComparison.Ordinal))))
        {
            var archived = old.Clone();
            archived.IsArchived = true;
            merged.Add(archived);
        }
        return (errors, merged);
    }
}
