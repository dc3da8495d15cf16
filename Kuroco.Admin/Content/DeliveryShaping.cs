using System.IO.Hashing;
using CommunityToolkit.HighPerformance.Buffers;
using System.Text.Json;
using Kuroco.Admin.Api;
using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using DeliveryAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult,
    Microsoft.AspNetCore.Http.HttpResults.StatusCodeHttpResult,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Kuroco.Admin.Content;

/// <summary>
/// What a delivery request asked for besides the items: <c>fields=</c> (a subset of the type's active
/// field keys; the item's id, type, slug, language and dates are always there) and <c>expand=</c>
/// (reference fields replaced by the referenced published item, one level).
/// </summary>
internal sealed record DeliveryShape(IReadOnlySet<string>? Fields, IReadOnlyList<FieldDefinition> Expand, string Language)
{
    public bool IsIdentity => Fields is null && Expand.Count == 0;
}

/// <summary>
/// <c>fields=</c> and <c>expand=</c> on both delivery endpoints, and the answer itself (ETag, 304,
/// Cache-Control from the type's delivery settings). The endpoints call <see cref="Parse"/> once the type is
/// known and end with <see cref="AnswerAsync(HttpContext, ContentType, DeliveredPage, ContentDeliveryApi.Services, CancellationToken)"/>,
/// passing on the services their [AsParameters] bundle was given.
/// </summary>
internal static class DeliveryShaping
{
    public const string FieldsParameter = "fields";
    public const string ExpandParameter = "expand";
    public const string ExpandAll = "*";

    /// <summary>The query keys that change an answer's shape (the output cache varies by them).</summary>
    public static readonly string[] QueryKeys = [FieldsParameter, ExpandParameter];

    /// <summary>HttpContext.Items key: the content types an answer expanded into (the output cache tags it with them).</summary>
    public const string ExpandedTypesItem = "Kuroco.Delivery.ExpandedTypes";

    private const string ShapeItem = "Kuroco.Delivery.Shape";
    private const int MaxListEntries = 100;

    // Like the rest of the API: HTML-sensitive characters escaped, Japanese written as itself (not \uXXXX,
    // which made answers larger for nothing). The same options write the stored answers (DeliveredJson), so an answer
    // copied from them and one built here are the same bytes.
    private static readonly JsonSerializerOptions Json = DeliveredJson.Options;

    /// <summary>
    /// Reads and checks <c>fields</c> and <c>expand</c> against <paramref name="type"/>; null when they are fine
    /// (the shape is kept for the answer), else a 400 problem naming the parameter.
    /// </summary>
    public static ProblemHttpResult? Parse(HttpContext context, ContentType type, string language)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(type);
        var query = context.Request.Query;
        if (!query.ContainsKey(FieldsParameter) && !query.ContainsKey(ExpandParameter))
        {
            // Neither: every field, nothing expanded (IsIdentity), and no lookup of the type's fields to build.
            return null;
        }
        var active = type.ActiveFields.ToDictionary(f => f.Key, StringComparer.Ordinal);

        HashSet<string>? fields = null;
        // An empty value means "not given", like lang= (and the output cache treats them alike).
        if (query.TryGetValue(FieldsParameter, out var fieldValues) && !IsEmpty(fieldValues))
        {
            if (!TrySplit(fieldValues, out var keys) || keys.Count == 0)
            {
                return ApiProblems.BadParameter(FieldsParameter, "fields must be a comma-separated list of field keys of the type.");
            }
            if (keys.FirstOrDefault(k => !active.ContainsKey(k)) is { } unknown)
            {
                return ApiProblems.BadParameter(FieldsParameter, $"fields names '{Shown(unknown)}', which is not a field of the type '{type.ApiId}'.");
            }
            fields = [.. keys];
        }

        var expand = new List<FieldDefinition>();
        if (query.TryGetValue(ExpandParameter, out var expandValues) && !IsEmpty(expandValues))
        {
            if (!TrySplit(expandValues, out var keys) || keys.Count == 0)
            {
                return ApiProblems.BadParameter(ExpandParameter, "expand must be '*' or a comma-separated list of reference fields of the type.");
            }
            if (keys.Count == 1 && keys[0] == ExpandAll)
            {
                expand.AddRange(active.Values.Where(f => f.Kind == FieldKind.Reference && (fields is null || fields.Contains(f.Key))));
            }
            else
            {
                foreach (var key in keys.Distinct(StringComparer.Ordinal))
                {
                    if (!active.TryGetValue(key, out var field) || field.Kind != FieldKind.Reference)
                    {
                        return ApiProblems.BadParameter(ExpandParameter, $"expand names '{Shown(key)}', which is not a reference field of the type '{type.ApiId}'.");
                    }
                    if (fields is not null && !fields.Contains(key))
                    {
                        return ApiProblems.BadParameter(ExpandParameter, $"expand names '{Shown(key)}', which fields leaves out.");
                    }
                    expand.Add(field);
                }
            }
        }
        context.Items[ShapeItem] = new DeliveryShape(fields, expand, language);
        return null;
    }

    /// <summary>A page of items, shaped, with its ETag and caching headers.</summary>
    public static async Task<DeliveryAnswer> AnswerAsync(HttpContext context, ContentType type, DeliveredPage page, ContentDeliveryApi.Services services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(page);
        var shaped = await ShapeAsync(context, page.Items, services, cancellationToken);
        return Answer(context, type, ReferenceEquals(shaped, page.Items) ? page : page with { Items = shaped });
    }

    /// <summary>One item, shaped, with its ETag and caching headers.</summary>
    public static async Task<DeliveryAnswer> AnswerAsync(HttpContext context, ContentType type, DeliveredItem item, ContentDeliveryApi.Services services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(item);
        var shaped = await ShapeAsync(context, [item], services, cancellationToken);
        return Answer(context, type, shaped[0]);
    }

    /// <summary>
    /// Whether the request asked for every field and no expansion: then the stored answers (<see cref="IPublishedJsonReader"/>) are
    /// the items as they are, and <see cref="AnswerJson(HttpContext, ContentType, IReadOnlyList{StoredDelivery}, int, int, int?, int?, string?)"/> copies them.
    /// </summary>
    public static bool IsIdentity(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[ShapeItem] is not DeliveryShape shape || shape.IsIdentity;
    }

    /// <summary>One item around its stored fields (UTF-8 JSON copied as it is), with its ETag and caching headers.</summary>
    public static DeliveryAnswer AnswerJson(HttpContext context, ContentType type, StoredDelivery item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var buffer = Buffer(context, 256 + item.Fields.Length);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Encoder, SkipValidation = true }))
        {
            WriteItem(writer, item);
        }
        return AnswerBytes(context, type, buffer.WrittenMemory);
    }

    /// <summary>
    /// An item as <see cref="DeliveredItem"/> serializes (the same names, order and formats: a Guid, ISO-8601 UTC dates), its
    /// <c>fields</c> being the stored bytes.
    /// </summary>
    private static void WriteItem(Utf8JsonWriter writer, StoredDelivery item)
    {
        writer.WriteStartObject();
        writer.WriteString(IdProperty, item.Id);
        writer.WriteString(TypeProperty, item.TypeApiId);
        writer.WriteString(SlugProperty, item.Slug);
        writer.WriteString(LanguageProperty, item.Language);
        writer.WriteString(PublishedAtProperty, item.PublishedAtUtc);
        writer.WriteString(UpdatedAtProperty, item.UpdatedAtUtc);
        writer.WritePropertyName(FieldsProperty);
        writer.WriteRawValue(item.Fields, skipInputValidation: true);
        writer.WriteEndObject();
    }

    /// <summary>
    /// A page written around the items' stored answers: the same bytes as a <see cref="DeliveredPage"/> serialized with the API's
    /// options (property names and order, numbers, null), so the ETag does not depend on the path that built the answer.
    /// </summary>
    public static DeliveryAnswer AnswerJson(HttpContext context, ContentType type, IReadOnlyList<StoredDelivery> items, int page, int pageSize, int? totalCount, int? totalPages, string? nextCursor)
    {
        ArgumentNullException.ThrowIfNull(items);
        var buffer = Buffer(context, 256 + items.Sum(i => i.Fields.Length + 256));
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Encoder, SkipValidation = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray(ItemsProperty);
            foreach (var item in items)
            {
                WriteItem(writer, item);
            }
            writer.WriteEndArray();
            writer.WriteNumber(PageProperty, page);
            writer.WriteNumber(PageSizeProperty, pageSize);
            WriteNumberOrNull(writer, TotalCountProperty, totalCount);
            WriteNumberOrNull(writer, TotalPagesProperty, totalPages);
            if (nextCursor is null)
            {
                writer.WriteNull(NextCursorProperty);
            }
            else
            {
                writer.WriteString(NextCursorProperty, nextCursor);
            }
            writer.WriteEndObject();
        }
        return AnswerBytes(context, type, buffer.WrittenMemory);
    }

    /// <summary>
    /// A buffer from the shared pool for an answer's bytes, given back when the request ends (after the answer was written, and
    /// copied by the output cache when it keeps it): a 60 KB page no longer allocates and zeroes a new array every time.
    /// </summary>
    private static ArrayPoolBufferWriter<byte> Buffer(HttpContext context, int capacity)
    {
        var buffer = new ArrayPoolBufferWriter<byte>(capacity);
        context.Response.RegisterForDispose(buffer);
        return buffer;
    }

    private static JsonEncodedText Name(string property) => JsonEncodedText.Encode(JsonNamingPolicy.CamelCase.ConvertName(property));

    private static readonly JsonEncodedText IdProperty = Name(nameof(DeliveredItem.Id));
    private static readonly JsonEncodedText TypeProperty = Name(nameof(DeliveredItem.Type));
    private static readonly JsonEncodedText SlugProperty = Name(nameof(DeliveredItem.Slug));
    private static readonly JsonEncodedText LanguageProperty = Name(nameof(DeliveredItem.Language));
    private static readonly JsonEncodedText PublishedAtProperty = Name(nameof(DeliveredItem.PublishedAt));
    private static readonly JsonEncodedText UpdatedAtProperty = Name(nameof(DeliveredItem.UpdatedAt));
    private static readonly JsonEncodedText FieldsProperty = Name(nameof(DeliveredItem.Fields));
    private static readonly JsonEncodedText ItemsProperty = JsonEncodedText.Encode(JsonNamingPolicy.CamelCase.ConvertName(nameof(DeliveredPage.Items)));
    private static readonly JsonEncodedText PageProperty = JsonEncodedText.Encode(JsonNamingPolicy.CamelCase.ConvertName(nameof(DeliveredPage.Page)));
    private static readonly JsonEncodedText PageSizeProperty = JsonEncodedText.Encode(JsonNamingPolicy.CamelCase.ConvertName(nameof(DeliveredPage.PageSize)));
    private static readonly JsonEncodedText TotalCountProperty = JsonEncodedText.Encode(JsonNamingPolicy.CamelCase.ConvertName(nameof(DeliveredPage.TotalCount)));
    private static readonly JsonEncodedText TotalPagesProperty = JsonEncodedText.Encode(JsonNamingPolicy.CamelCase.ConvertName(nameof(DeliveredPage.TotalPages)));
    private static readonly JsonEncodedText NextCursorProperty = JsonEncodedText.Encode(JsonNamingPolicy.CamelCase.ConvertName(nameof(DeliveredPage.NextCursor)));

    private static void WriteNumberOrNull(Utf8JsonWriter writer, JsonEncodedText name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>The items with only the selected fields and the expanded references (one query for all of them).</summary>
    private static async Task<IReadOnlyList<DeliveredItem>> ShapeAsync(HttpContext context, IReadOnlyList<DeliveredItem> items, ContentDeliveryApi.Services services, CancellationToken cancellationToken)
    {
        if (context.Items[ShapeItem] is not DeliveryShape shape || shape.IsIdentity || items.Count == 0)
        {
            return items;
        }
        var expanded = shape.Expand.Count == 0
            ? new Dictionary<Guid, DeliveredItem>()
            : await ExpandAsync(context, shape, items, services, cancellationToken);
        return [.. items.Select(item => item with { Fields = ShapeFields(item.Fields, shape, expanded) })];
    }

    private static Dictionary<string, object?> ShapeFields(IReadOnlyDictionary<string, object?> fields, DeliveryShape shape, Dictionary<Guid, DeliveredItem> expanded)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            if (shape.Fields is not null && !shape.Fields.Contains(key))
            {
                continue;
            }
            var reference = shape.Expand.FirstOrDefault(f => f.Key == key);
            // Only an item of the field's own type replaces the id; anything else (unpublished, not allowed,
            // another type) stays the id, so nothing leaks.
            result[key] = reference is not null && value is Guid id && expanded.TryGetValue(id, out var target)
                && string.Equals(target.Type, reference.ReferenceTypeApiId, StringComparison.Ordinal)
                ? target
                : value;
        }
        return result;
    }

    /// <summary>
    /// The referenced published items the caller may read: types its key allows or public types. One query
    /// for all ids of the page; their own references stay ids (one level).
    /// </summary>
    private static async Task<Dictionary<Guid, DeliveredItem>> ExpandAsync(HttpContext context, DeliveryShape shape, IReadOnlyList<DeliveredItem> items, ContentDeliveryApi.Services services, CancellationToken cancellationToken)
    {
        var targets = shape.Expand.Select(f => f.ReferenceTypeApiId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        context.Items[ExpandedTypesItem] = targets;
        var scope = context.User.GetApiKeyScope();
        var readable = new List<string>();
        foreach (var target in targets)
        {
            if (scope?.Allows(target, ApiAccess.Read) == true || await services.PublicTypes.IsPublicAsync(target, cancellationToken))
            {
                readable.Add(target);
            }
        }
        var ids = items.SelectMany(i => shape.Expand.Select(f => i.Fields.GetValueOrDefault(f.Key))).OfType<Guid>().ToHashSet();
        if (readable.Count == 0 || ids.Count == 0)
        {
            return [];
        }
        // A member-only item the request's member may not read stays an id, like an unpublished one.
        var audience = await Members.MemberContentAudience.ResolveAsync(context);
        var found = await services.References.FindManyAsync(ids, readable, shape.Language, audience, cancellationToken);
        var types = new Dictionary<string, ContentType?>(StringComparer.Ordinal);
        var result = new Dictionary<Guid, DeliveredItem>();
        foreach (var item in found)
        {
            if (!types.TryGetValue(item.TypeApiId, out var itemType))
            {
                itemType = types[item.TypeApiId] = await services.Types.FindAsync(item.TypeApiId, cancellationToken);
            }
            if (itemType is not null)
            {
                result[item.Id] = Deliver(itemType, item);
            }
        }
        return result;
    }

    /// <summary>An item as the API shows it: typed values of the type's active fields (references as ids).</summary>
    public static DeliveredItem Deliver(ContentType type, PublishedContent item)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(item);
        return new(item.Id, item.TypeApiId, item.Slug, item.Language, item.PublishedAtUtc, item.UpdatedAtUtc, DeliveredJson.Fields(type, item.Values));
    }

    /// <summary>
    /// The answer with a strong ETag over its bytes (304 when the client already holds them) and the type's
    /// Cache-Control: <c>public</c> for a public type read without a key, <c>private</c> for any keyed answer.
    /// Both vary by the key headers, so a shared cache keeps one key's answer from another. An answer to a request with a
    /// member's token is <c>private, no-store</c>, and a member's ETag is taken over the member's groups too, so it never
    /// validates (304) an answer for a caller without that access.
    /// </summary>
    private static DeliveryAnswer Answer<T>(HttpContext context, ContentType type, T body) =>
        AnswerBytes(context, type, JsonSerializer.SerializeToUtf8Bytes(body, Json));

    private static DeliveryAnswer AnswerBytes(HttpContext context, ContentType type, ReadOnlyMemory<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(type);
        var audience = Members.MemberContentAudience.Current(context);
        // XXH3-128 over the bytes (a fingerprint, not a secret: SHA-256 over a 60 KB page was a tenth of an uncached list's CPU).
        Span<byte> hash = stackalloc byte[16];
        if (audience.IsMember)
        {
            var hasher = new XxHash128();
            hasher.Append(bytes.Span);
            hasher.Append(System.Text.Encoding.UTF8.GetBytes("\n" + audience.Signature));
            hasher.GetHashAndReset(hash);
        }
        else
        {
            XxHash128.Hash(bytes.Span, hash);
        }
        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(hash) + "\"");
        var headers = context.Response.GetTypedHeaders();
        headers.ETag = etag;
        context.Response.Headers.CacheControl = Members.MemberContentAudience.PresentsMemberToken(context.Request)
            ? "private, no-store"
            : ContentDelivery.CacheControl(type, anonymous: context.User.GetApiKeyScope() is null);
        context.Response.Headers.Vary = "X-API-Key, Authorization";
        var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(bytes, "application/json; charset=utf-8");
    }

    private static bool IsEmpty(Microsoft.Extensions.Primitives.StringValues values) => values.All(string.IsNullOrEmpty);

    private static bool TrySplit(Microsoft.Extensions.Primitives.StringValues values, out List<string> keys)
    {
        keys = [.. values.SelectMany(v => (v ?? "").Split(',')).Select(k => k.Trim()).Where(k => k.Length > 0)];
        return values.Count == 1 && keys.Count <= MaxListEntries;
    }

    /// <summary>Documents <c>fields</c> and <c>expand</c> on a delivery endpoint in the OpenAPI document.</summary>
    public static RouteHandlerBuilder WithDeliveryShaping(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
            {
                Name = FieldsParameter,
                In = Microsoft.OpenApi.ParameterLocation.Query,
                Description = "Comma-separated field keys to return (id, type, slug, language, publishedAt and updatedAt are always there). An unknown key is a 400.",
                Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String },
            });
            operation.Parameters.Add(new Microsoft.OpenApi.OpenApiParameter
            {
                Name = ExpandParameter,
                In = Microsoft.OpenApi.ParameterLocation.Query,
                Description = "Comma-separated reference fields (or *) to replace by the referenced published item, one level deep. A reference the key may not read, or to an unpublished item, stays its id. A field that is not a reference is a 400.",
                Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });

    /// <summary>A parameter value echoed in a problem: cut short (the JSON encoder escapes markup).</summary>
    private static string Shown(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
