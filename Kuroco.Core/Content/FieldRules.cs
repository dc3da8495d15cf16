using System.Globalization;
using System.Text.RegularExpressions;

namespace Kuroco.Core.Content;

/// <summary>The rules of one field applied to one value (string form, see <see cref="ContentValues"/>). Pure.</summary>
public static class FieldRules
{
    /// <summary>Longest value any field accepts (a long rich-text body fits comfortably).</summary>
    public const int AbsoluteMaxLength = 500_000;

    /// <summary>A pattern that runs longer than this on one value is treated as not matching.</summary>
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The messages for <paramref name="value"/> against <paramref name="field"/>'s rules; empty when valid.
    /// <paramref name="name"/> is how the field is named in the messages (its label, and the language).
    /// <paramref name="requireValue"/> is false for a language variant other than the primary one.
    /// </summary>
    public static IReadOnlyList<string> Validate(FieldDefinition field, string? value, string name, bool requireValue = true)
    {
        ArgumentNullException.ThrowIfNull(field);
        var errors = new List<string>();
        if (string.IsNullOrEmpty(value) || (field.IsTextKind && string.IsNullOrWhiteSpace(value)) || (field.IsListKind && ContentValues.SplitList(value).Count == 0))
        {
            if (field.Required && requireValue)
            {
                errors.Add(ContentMessages.Format("Content.Field.Required", name));
            }
            return errors;
        }
        if (value.Length > AbsoluteMaxLength)
        {
            errors.Add(ContentMessages.Format("Content.Field.MaxLength", name, AbsoluteMaxLength));
            return errors;
        }
        switch (field.Kind)
        {
            case FieldKind.ShortText or FieldKind.LongText or FieldKind.RichText or FieldKind.Markdown:
                if (field.Kind == FieldKind.ShortText && (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal)))
                {
                    errors.Add(ContentMessages.Format("Content.Field.SingleLine", name));
                }
                var length = new StringInfo(value).LengthInTextElements;
                if (field.MinLength is { } min && length < min)
                {
                    errors.Add(ContentMessages.Format("Content.Field.MinLength", name, min));
                }
                if (field.MaxLength is { } max && length > max)
                {
                    errors.Add(ContentMessages.Format("Content.Field.MaxLength", name, max));
                }
                if (!string.IsNullOrEmpty(field.Pattern) && !MatchesPattern(field.Pattern, value))
                {
                    errors.Add(ContentMessages.Format("Content.Field.Pattern", name));
                }
                break;
            case FieldKind.Number:
                if (!decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
                {
                    errors.Add(ContentMessages.Format("Content.Field.NotNumber", name));
                    break;
                }
                if (field.MinValue is { } minValue && number < minValue)
                {
                    errors.Add(ContentMessages.Format("Content.Field.MinValue", name, minValue.ToString(CultureInfo.CurrentCulture)));
                }
                if (field.MaxValue is { } maxValue && number > maxValue)
                {
                    errors.Add(ContentMessages.Format("Content.Field.MaxValue", name, maxValue.ToString(CultureInfo.CurrentCulture)));
                }
                break;
            case FieldKind.Boolean:
                if (value is not ("true" or "false"))
                {
                    errors.Add(ContentMessages.Format("Content.Field.NotBoolean", name));
                }
                break;
            case FieldKind.DateTime:
                if (!DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _))
                {
                    errors.Add(ContentMessages.Format("Content.Field.NotDateTime", name));
                }
                break;
            case FieldKind.Media or FieldKind.Reference:
                if (!Guid.TryParse(value, out var id) || id == Guid.Empty)
                {
                    errors.Add(ContentMessages.Format("Content.Field.NotId", name));
                }
                break;
            case FieldKind.SingleChoice:
                if (!field.Choices.Contains(value, StringComparer.Ordinal))
                {
                    errors.Add(ContentMessages.Format("Content.Field.NotChoice", name, value));
                }
                break;
            case FieldKind.MultipleChoice or FieldKind.Tags:
                var entries = ContentValues.SplitList(value);
                if (field.Kind == FieldKind.MultipleChoice)
                {
                    foreach (var entry in entries.Where(e => !field.Choices.Contains(e, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal))
                    {
                        errors.Add(ContentMessages.Format("Content.Field.NotChoice", name, entry));
                    }
                }
                else if (entries.Any(e => e.Length > FieldDefinition.ChoiceMaxLength))
                {
                    errors.Add(ContentMessages.Format("Content.Field.TagTooLong", name, FieldDefinition.ChoiceMaxLength));
                }
                if (field.MinLength is { } minCount && entries.Count < minCount)
                {
                    errors.Add(ContentMessages.Format("Content.Field.MinCount", name, minCount));
                }
                if (field.MaxLength is { } maxCount && entries.Count > maxCount)
                {
                    errors.Add(ContentMessages.Format("Content.Field.MaxCount", name, maxCount));
                }
                break;
        }
        return errors;
    }

    /// <summary>Whether the whole value matches; a pattern that times out or does not compile does not match.</summary>
    public static bool MatchesPattern(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, "^(?:" + pattern + ")$", RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static bool IsValidPattern(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, PatternTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
