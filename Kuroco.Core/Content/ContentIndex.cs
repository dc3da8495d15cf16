using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Kuroco.Core.Content;

/// <summary>
/// One row of the delivery index: a value of the PUBLISHED copy of an item, as served for one requested
/// language (after fallback), in a form SQL can compare. The delivery list filters and sorts on these rows
/// instead of parsing JSON per item. Only published, non-deleted items have rows; the rows are rewritten in
/// the same SaveChanges as every change of an item's published copy, status or deletion.
/// </summary>
public sealed class ContentFieldValue
{
    public long Id { get; set; }
    public Guid ItemId { get; set; }
    public string TypeApiId { get; set; } = "";
    /// <summary>The language a request asks for (ja/en); the values are those served for it (fallback applied).</summary>
    public string Language { get; set; } = "";
    /// <summary>A field key, or a built-in key (<see cref="ContentIndexKeys.PublishedAt"/>, ...).</summary>
    public string FieldKey { get; set; } = "";
    /// <summary>Order-preserving comparable form (see <see cref="ContentIndexKeys"/>); "" when empty.</summary>
    public string Value { get; set; } = "";
    /// <summary>Lower-cased plain text for <c>contains</c> on text kinds; null for other kinds.</summary>
    public string? Text { get; set; }
    /// <summary>
    /// The item is member-only (its own or its type's restriction, <see cref="ContentMemberAccess.Effective"/>): set on every row of
    /// the item, so the row a list walks says whether it may be served without a member. The groups are rows of
    /// <see cref="ContentIndexKeys.Group"/>.
    /// </summary>
    public bool Restricted { get; set; }
}

/// <summary>How values become comparable index strings. Pure; shared by the indexer and the query parser.</summary>
public static partial class ContentIndexKeys
{
    public const string PublishedAt = "@publishedAt";
    public const string UpdatedAt = "@updatedAt";
    public const string Slug = "@slug";
    /// <summary>One row per member group that may read a restricted item (the value: the group id in "D" form).</summary>
    public const string Group = "@group";
    public const int ValueMaxLength = 400;
    public const int FieldKeyMaxLength = 65;

    /// <summary>Kinds with one value per item that a list can be sorted by.</summary>
    public static bool IsSortable(FieldKind kind) =>
        kind is FieldKind.ShortText or FieldKind.Number or FieldKind.Boolean or FieldKind.DateTime or FieldKind.SingleChoice;

    /// <summary>Fixed-width UTC ISO-8601, so string order is time order.</summary>
    public static string Date(DateTime value) =>
        (value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime())
            .ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A decimal as a fixed-width string whose ordinal order is numeric order: "1" + 29 integer digits + "." + 28
    /// fraction digits for zero and positives; negatives start with "0" and have every digit complemented.
    /// </summary>
    public static string Number(decimal value)
    {
        var negative = value < 0;
        var abs = Math.Abs(value);
        var whole = decimal.Truncate(abs);
        var fraction = abs - whole;
        var digits = whole.ToString("0", CultureInfo.InvariantCulture).PadLeft(29, '0')
            + fraction.ToString("0.0000000000000000000000000000", CultureInfo.InvariantCulture)[2..];
        if (negative)
        {
            digits = string.Create(digits.Length, digits, (span, source) =>
            {
                for (var i = 0; i < source.Length; i++)
                {
                    span[i] = (char)('9' - source[i] + '0');
                }
            });
        }
        return (negative ? "0" : "1") + digits[..29] + "." + digits[29..];
    }

    public static string Boolean(bool value) => value ? "true" : "false";

    public static string Text(string value) => value.Length > ValueMaxLength ? value[..ValueMaxLength] : value;

    public static string Search(string value) => value.ToLowerInvariant();

    /// <summary>The comparable form of one stored value of a single-valued field ("" when empty or not parseable).</summary>
    public static string ValueOf(FieldKind kind, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        return kind switch
        {
            FieldKind.Number => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? Number(d) : "",
            FieldKind.Boolean => bool.TryParse(value, out var b) ? Boolean(b) : "",
            FieldKind.DateTime => DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? Date(t) : "",
            FieldKind.Media or FieldKind.Reference => Guid.TryParse(value, out var g) ? g.ToString("D") : Text(value),
            FieldKind.LongText or FieldKind.RichText or FieldKind.Markdown => "",
            _ => Text(value),
        };
    }

    /// <summary>The searchable text of a text-kind value (rich text without its markup).</summary>
    public static string? SearchTextOf(FieldKind kind, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        return kind switch
        {
            FieldKind.RichText => Search(WebUtility.HtmlDecode(Tags().Replace(value, " "))),
            FieldKind.ShortText or FieldKind.LongText or FieldKind.Markdown or FieldKind.SingleChoice => Search(value),
            _ => null,
        };
    }

    [GeneratedRegex("<[^>]*>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Tags();
}
