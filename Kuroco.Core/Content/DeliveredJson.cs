using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Kuroco.Core.Content;

/// <summary>
/// One variant (ja or en) of a published item's <c>fields</c> as the delivery API writes them, stored ready to send (UTF-8
/// JSON of the typed values of its type's active fields; the id, type, slug, language and dates around them are written from
/// the item's row on every answer, so they are never stale). Rewritten in the same
/// SaveChanges as every change of the item's published copy, status, slug, dates or deletion, and for every item of a
/// type whose active fields change, so an answer copies these bytes instead of parsing and re-serializing the values.
/// Only published, non-deleted items have rows.
/// </summary>
public sealed class ContentDeliveredJson
{
    public Guid ItemId { get; set; }
    /// <summary>The variant the bytes hold (ja/en); a request for the other language falls back to it by the usual rules.</summary>
    public string Language { get; set; } = "";
    public byte[] Json { get; set; } = [];
}

/// <summary>
/// How a delivered item becomes JSON: the one serializer (options and shape) for the stored bytes and for answers built
/// on the fly, so both are byte for byte the same (and so are their ETags). HTML-sensitive characters are escaped
/// (<c>&lt;</c> as <c>\u003C</c>), Japanese is written as itself. Pure.
/// </summary>
public static class DeliveredJson
{
    /// <summary>The delivery API's JSON options: web naming, markup characters escaped, every other character as itself.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    /// <summary>The typed values of the type's active fields, in the type's field order (references and media as ids).</summary>
    public static Dictionary<string, object?> Fields(ContentType type, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(values);
        return type.ActiveFields.ToDictionary(f => f.Key, f => ContentValues.ToTyped(f, values.GetValueOrDefault(f.Key)), StringComparer.Ordinal);
    }

    /// <summary>The UTF-8 JSON of a published copy's <c>fields</c> object (the type's active fields, typed).</summary>
    public static byte[] FieldsJson(ContentType type, IReadOnlyDictionary<string, string?> values) =>
        JsonSerializer.SerializeToUtf8Bytes(Fields(type, values), Options);

    /// <summary>The stored variants of an item: none unless it is published and not deleted; else one per variant it has (published copy of that language).</summary>
    public static IEnumerable<ContentDeliveredJson> Rows(ContentItem item, ContentType? type)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (type is null || item.Status != ContentStatus.Published || item.DeletedAtUtc is not null)
        {
            yield break;
        }
        foreach (var (language, published) in new[] { (ContentLanguages.Japanese, item.PublishedJa), (ContentLanguages.English, item.PublishedEn) })
        {
            if (published is null)
            {
                continue;
            }
            yield return new ContentDeliveredJson { ItemId = item.Id, Language = language, Json = FieldsJson(type, ContentValues.Parse(published)) };
        }
    }

}
