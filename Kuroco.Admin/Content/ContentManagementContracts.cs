using System.Globalization;
using System.Text.Json;
using Kuroco.Admin.Api;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kuroco.Admin.Content;

/// <summary>The values of an item in both languages: field key to typed value (a language with no values has nulls/empty lists).</summary>
public sealed record ManagedValues(
    IReadOnlyDictionary<string, object?> Ja,
    IReadOnlyDictionary<string, object?> En);

/// <summary>The published copy of an item: per language, null when that language is not published.</summary>
public sealed record ManagedPublishedValues(
    IReadOnlyDictionary<string, object?>? Ja,
    IReadOnlyDictionary<string, object?>? En);

/// <summary>One item as the management API shows it: the working copy, the published copy and the state.</summary>
public sealed record ManagedItem(
    Guid Id,
    string Type,
    string Slug,
    string Title,
    /// <summary>"draft", "published" or "archived".</summary>
    string Status,
    bool IsPublished,
    /// <summary>The working copy differs from the published copy.</summary>
    bool HasUnpublishedChanges,
    /// <summary>Approval workflow state of the working copy: "none", "pending", "approved" or "rejected".</summary>
    string ReviewState,
    int VersionCount,
    /// <summary>The concurrency token, as also sent in the ETag header: send it back in If-Match to change the item.</summary>
    string ETag,
    DateTime? PublishedAt,
    DateTime? PublishAt,
    DateTime? UnpublishAt,
    DateTime CreatedAt,
    string CreatedBy,
    DateTime UpdatedAt,
    string UpdatedBy,
    /// <summary>The working copy (what editors and this API change).</summary>
    ManagedValues Fields,
    /// <summary>What websites read; null when the item is not published.</summary>
    ManagedPublishedValues? Published,
    /// <summary>
    /// Member-only content: the member groups (ids) that may read this item over the delivery API; empty = as its type (whose own
    /// restriction, if any, then applies). Set it with <c>restrictedToGroups</c> in a create or update body.
    /// </summary>
    IReadOnlyList<Guid> RestrictedToGroups)
{
    /// <summary>The item as the API shows it: typed values of the type's active fields.</summary>
    public static ManagedItem From(ContentType type, ContentItem item)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(item);
        return new(
            item.Id, type.ApiId, item.Slug, item.Title, ManagedContent.StatusName(item.Status), item.Status == ContentStatus.Published,
            item.HasUnpublishedChanges, item.ReviewState.ToString().ToLowerInvariant(), item.VersionCount, ManagedContent.ETagOf(item),
            ManagedContent.Utc(item.PublishedAtUtc), ManagedContent.Utc(item.PublishAtUtc), ManagedContent.Utc(item.UnpublishAtUtc),
            ManagedContent.Utc(item.CreatedAtUtc), item.CreatedBy, ManagedContent.Utc(item.UpdatedAtUtc), item.UpdatedBy,
            new ManagedValues(Typed(type, item.ValuesJa), Typed(type, item.ValuesEn)),
            item.Status == ContentStatus.Published
                ? new ManagedPublishedValues(item.PublishedJa is null ? null : Typed(type, item.PublishedJa), item.PublishedEn is null ? null : Typed(type, item.PublishedEn))
                : null,
            item.RestrictedToGroups);
    }

    private static Dictionary<string, object?> Typed(ContentType type, string? json)
    {
        var values = ContentValues.Parse(json);
        return type.ActiveFields.ToDictionary(f => f.Key, f => ContentValues.ToTyped(f, values.GetValueOrDefault(f.Key)), StringComparer.Ordinal);
    }
}

/// <summary>One row of <c>GET /api/v1/manage/content/{type}</c>.</summary>
public sealed record ManagedItemSummary(
    Guid Id, string Slug, string Title, string Status, bool HasUnpublishedChanges, bool HasJa, bool HasEn,
    DateTime? PublishedAt, DateTime? PublishAt, DateTime? UnpublishAt, DateTime UpdatedAt, string UpdatedBy,
    /// <summary>The item's own restriction to member groups (empty: as its type).</summary>
    IReadOnlyList<Guid> RestrictedToGroups)
{
    public static ManagedItemSummary From(ContentItemSummary i)
    {
        ArgumentNullException.ThrowIfNull(i);
        return new(i.Id, i.Slug, i.Title, ManagedContent.StatusName(i.Status), i.HasUnpublishedChanges, i.HasJa, i.HasEn,
            ManagedContent.Utc(i.PublishedAtUtc), ManagedContent.Utc(i.PublishAtUtc), ManagedContent.Utc(i.UnpublishAtUtc),
            ManagedContent.Utc(i.UpdatedAtUtc), i.UpdatedBy, i.RestrictedToGroups);
    }
}

/// <summary>A page of items (drafts included, the trash excluded), most recently updated first.</summary>
public sealed record ManagedPage(IReadOnlyList<ManagedItemSummary> Items, int Page, int PageSize, int TotalCount, int TotalPages);

/// <summary>
/// The body of create (POST) and update (PUT). <c>fields.ja</c>/<c>fields.en</c> map field keys to typed JSON values:
/// strings for text, single choice and media/reference ids, numbers, booleans, ISO 8601 date-time strings, arrays of
/// strings for multiple choice and tags, null to clear (a language set to null is emptied). On update, an omitted <c>slug</c> or language stays as it is;
/// a language object that is sent replaces that language's values (fields it leaves out become empty).
/// Documents the body for OpenAPI; <see cref="ManagedBody"/> reads it.
/// </summary>
public sealed class ManagedItemWrite
{
    public string? Slug { get; set; }
    public ManagedFieldsWrite? Fields { get; set; }
    /// <summary>Publish the working copy right after saving it.</summary>
    public bool? Publish { get; set; }
    /// <summary>
    /// Member-only content: ids of the member groups that may read the item (any one is enough); <c>[]</c> or <c>null</c> = as its
    /// type. Omitted on update: unchanged. Applies at once, to the published copy too.
    /// </summary>
    public List<Guid>? RestrictedToGroups { get; set; }
}

public sealed class ManagedFieldsWrite
{
    public Dictionary<string, JsonElement>? Ja { get; set; }
    public Dictionary<string, JsonElement>? En { get; set; }
}

/// <summary>
/// A create or update body read and converted: what it sets (<see cref="Keep"/> names what it leaves as the item has
/// it) and whether to publish what is saved.
/// </summary>
internal sealed record ManagedBody(string? Slug, Dictionary<string, string?>? Ja, Dictionary<string, string?>? En, bool Publish, List<Guid>? RestrictedToGroups = null)
{
    /// <summary>The parts the body did not send (an update keeps them).</summary>
    public ContentItemParts Omitted =>
        (Slug is null ? ContentItemParts.Slug : ContentItemParts.None)
        | (Ja is null ? ContentItemParts.Ja : ContentItemParts.None)
        | (En is null ? ContentItemParts.En : ContentItemParts.None);

    /// <summary>The body as the services' input for an item of <paramref name="type"/> (<paramref name="id"/> and <paramref name="token"/> for an update).</summary>
    public ContentItemInput ToInput(ContentType type, Guid? id = null, Guid? token = null) =>
        new() { Id = id, TypeId = type.Id, Slug = Slug ?? "", Ja = Ja ?? [], En = En ?? [], ConcurrencyToken = token, RestrictedToGroups = RestrictedToGroups };

    /// <summary>
    /// Reads and converts the JSON body by hand so that every mistake names its place: unknown properties and
    /// fields, and values of the wrong JSON type, are reported together as a 400 keyed like the body.
    /// </summary>
    public static async Task<(ManagedBody? Body, ProblemHttpResult? Problem)> ReadAsync(HttpContext context, ContentType type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(type);
        if (!context.Request.HasJsonContentType())
        {
            return (null, ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "Send the item as JSON with Content-Type: application/json."));
        }
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 16 }, cancellationToken);
        }
        catch (JsonException)
        {
            return (null, ApiProblems.BadParameter("body", "The body is not valid JSON."));
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, ApiProblems.BadParameter("body", "The body must be a JSON object with slug, fields and publish."));
            }
            var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            string? slug = null;
            Dictionary<string, string?>? ja = null, en = null;
            List<Guid>? groups = null;
            var publish = false;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "slug":
                        if (property.Value.ValueKind == JsonValueKind.String)
                        {
                            slug = property.Value.GetString();
                        }
                        else
                        {
                            Add(errors, "slug", "slug must be a JSON string.");
                        }
                        break;
                    case "publish":
                        if (property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                        {
                            publish = property.Value.GetBoolean();
                        }
                        else
                        {
                            Add(errors, "publish", "publish must be true or false.");
                        }
                        break;
                    case "fields":
                        if (property.Value.ValueKind != JsonValueKind.Object)
                        {
                            Add(errors, "fields", "fields must be a JSON object with \"ja\" and/or \"en\".");
                            break;
                        }
                        foreach (var language in property.Value.EnumerateObject())
                        {
                            if (!ContentLanguages.IsSupported(language.Name))
                            {
                                Add(errors, "fields." + ManagedContent.Truncate(language.Name), "Languages are \"ja\" and \"en\".");
                                continue;
                            }
                            var values = Convert(type, language, errors);
                            if (language.Name == ContentLanguages.English)
                            {
                                en = values;
                            }
                            else
                            {
                                ja = values;
                            }
                        }
                        break;
                    case RestrictedToGroupsProperty:
                        groups = ReadGroups(property.Value, errors);
                        break;
                    default:
                        Add(errors, ManagedContent.Truncate(property.Name), $"Unknown property '{ManagedContent.Truncate(property.Name)}': the body has slug, fields, publish and restrictedToGroups.");
                        break;
                }
            }
            if (errors.Count > 0)
            {
                return (null, ApiProblems.Validation(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal)));
            }
            return (new ManagedBody(slug, ja, en, publish, groups), null);
        }
    }

    /// <summary>The body's name of the item's restriction to member groups.</summary>
    public const string RestrictedToGroupsProperty = "restrictedToGroups";

    /// <summary><c>restrictedToGroups</c>: an array of group ids (GUID strings); null is the same as [] (as the type).</summary>
    private static List<Guid>? ReadGroups(JsonElement value, Dictionary<string, List<string>> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            Add(errors, RestrictedToGroupsProperty, "restrictedToGroups must be an array of member group ids (or null or [] for \"as the type\").");
            return null;
        }
        var groups = new List<Guid>();
        foreach (var entry in value.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.String && Guid.TryParse(entry.GetString(), out var id) && id != Guid.Empty)
            {
                groups.Add(id);
            }
            else
            {
                Add(errors, RestrictedToGroupsProperty, "Each entry of restrictedToGroups must be a member group id (a GUID string).");
                return null;
            }
        }
        return groups;
    }

    private static Dictionary<string, string?> Convert(ContentType type, JsonProperty language, Dictionary<string, List<string>> errors)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var prefix = "fields." + language.Name;
        if (language.Value.ValueKind == JsonValueKind.Null)
        {
            return values; // null empties the language
        }
        if (language.Value.ValueKind != JsonValueKind.Object)
        {
            Add(errors, prefix, $"{prefix} must be a JSON object of field keys to values.");
            return values;
        }
        foreach (var value in language.Value.EnumerateObject())
        {
            var key = prefix + "." + ManagedContent.Truncate(value.Name);
            var field = type.ActiveFields.FirstOrDefault(f => string.Equals(f.Key, value.Name, StringComparison.Ordinal));
            if (field is null)
            {
                Add(errors, key, $"The type '{type.ApiId}' has no field '{ManagedContent.Truncate(value.Name)}'.");
                continue;
            }
            if (ContentJsonValues.TryConvert(field, value.Value, out var text, out var error))
            {
                values[field.Key] = text;
            }
            else
            {
                Add(errors, key, $"{key} ({field.Kind}) {error}.");
            }
        }
        return values;
    }

    private static void Add(Dictionary<string, List<string>> errors, string key, string message)
    {
        if (!errors.TryGetValue(key, out var list))
        {
            errors[key] = list = [];
        }
        list.Add(message);
    }
}

/// <summary>The management API's naming and conversions: status names, ETags, UTC times, and a refusal as a problem named like the body.</summary>
internal static class ManagedContent
{
    /// <summary>
    /// A refused change as its problem (<see cref="ResultHttp"/> picks the status from the error kind), with the inputs
    /// named like the body: the services' "Slug" and "ja.KEY" are "slug" and "fields.ja.KEY" here.
    /// </summary>
    public static ProblemHttpResult Problem(Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Error == ErrorKind.Validation && result.FieldErrors.Count > 0)
        {
            var fields = result.FieldErrors.Select(f => f with { Field = FieldErrorKey(f.Field) }).ToList();
            var general = result.Errors.Except(result.FieldErrors.Select(f => f.Message), StringComparer.Ordinal).ToList();
            result = Result.Invalid(fields, general);
        }
        return result.ToProblem();
    }

    /// <summary>The services name inputs "Slug" and "ja.KEY"; the API names them like the body: "slug", "fields.ja.KEY".</summary>
    internal static string FieldErrorKey(string key) =>
        key == "Slug" ? "slug"
        : key == nameof(ContentItemInput.RestrictedToGroups) ? ManagedBody.RestrictedToGroupsProperty
        : key.StartsWith(ContentLanguages.Japanese + ".", StringComparison.Ordinal) || key.StartsWith(ContentLanguages.English + ".", StringComparison.Ordinal) ? "fields." + key
        : key.ToLowerInvariant();

    public static string ETagOf(ContentItem item) => "\"" + item.ConcurrencyToken.ToString("N") + "\"";

    public static string StatusName(ContentStatus status) => status.ToString().ToLowerInvariant();

    public static ContentStatus? ParseStatus(string text) => text switch
    {
        "draft" => ContentStatus.Draft,
        "published" => ContentStatus.Published,
        "archived" => ContentStatus.Archived,
        _ => null,
    };

    public static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    public static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;

    /// <summary>Caller-supplied names echoed in problems are kept short.</summary>
    public static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";

    public static bool TryPositive(string? text, int fallback, int max, out int value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max;
    }
}
