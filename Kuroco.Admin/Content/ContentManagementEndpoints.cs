using System.Globalization;
using System.Text.Json;
using Kuroco.Admin.Api;
using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Microsoft.Net.Http.Headers;

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
    ManagedPublishedValues? Published);

/// <summary>One row of <c>GET /api/v1/manage/content/{type}</c>.</summary>
public sealed record ManagedItemSummary(
    Guid Id, string Slug, string Title, string Status, bool HasUnpublishedChanges, bool HasJa, bool HasEn,
    DateTime? PublishedAt, DateTime? PublishAt, DateTime? UnpublishAt, DateTime UpdatedAt, string UpdatedBy);

/// <summary>A page of items (drafts included, the trash excluded), most recently updated first.</summary>
public sealed record ManagedPage(IReadOnlyList<ManagedItemSummary> Items, int Page, int PageSize, int TotalCount, int TotalPages);

/// <summary>
/// The body of create (POST) and update (PUT). <c>fields.ja</c>/<c>fields.en</c> map field keys to typed JSON values:
/// strings for text, single choice and media/reference ids, numbers, booleans, ISO 8601 date-time strings, arrays of
/// strings for multiple choice and tags, null to clear (a language set to null is emptied). On update, an omitted <c>slug</c> or language stays as it is;
/// a language object that is sent replaces that language's values (fields it leaves out become empty).
/// </summary>
public sealed class ManagedItemWrite
{
    public string? Slug { get; set; }
    public ManagedFieldsWrite? Fields { get; set; }
    /// <summary>Publish the working copy right after saving it.</summary>
    public bool? Publish { get; set; }
}

public sealed class ManagedFieldsWrite
{
    public Dictionary<string, JsonElement>? Ja { get; set; }
    public Dictionary<string, JsonElement>? En { get; set; }
}

/// <summary>
/// The management API under <c>/api/v1/manage/content/{type}</c>, for keys with read-write access to the type:
/// list, read, create, update (If-Match required), publish, unpublish and delete (to the trash) items. Every change
/// goes through <see cref="IContentItemService"/>, so it is validated by the console's rules, sanitized, versioned,
/// audited with the key as actor, and reaches the change listeners (delivery cache eviction, webhooks).
/// </summary>
internal sealed class ContentManagementEndpoints
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int Status428PreconditionRequired = StatusCodes.Status428PreconditionRequired;

    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    public void Map(RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var manage = v1.MapGroup("/manage/content").WithTags("Management");
        // The scope check runs first (no body is read for a key that may not write the type); then problem texts
        // and the rules' messages are in English whatever the caller's Accept-Language, like every API problem.
        manage.RequireApiScope("type", ApiAccess.Write);
        manage.AddEndpointFilter(async (invocation, next) =>
        {
            CultureInfo.CurrentCulture = English;
            CultureInfo.CurrentUICulture = English;
            invocation.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(invocation);
        });
        manage.ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        manage.MapGet("/{type}", ListAsync)
            .WithName("ManageListContent")
            .WithSummary("Items of a content type, drafts included")
            .WithDescription("Every item not in the trash, most recently updated first, with its status. `page` starts at 1; `pageSize` is 1–100 (default 20); `status` is `draft`, `published` or `archived` (optional). Needs a read-write key for the type.")
            .Produces<ManagedPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        manage.MapGet("/{type}/{id}", GetAsync)
            .WithName("ManageGetContentItem")
            .WithSummary("One item: working copy, published copy and state")
            .WithDescription("The `ETag` header (and the `eTag` property) is the item's concurrency token: send it in `If-Match` to update, publish, unpublish or delete.")
            .Produces<ManagedItem>();
        manage.MapPost("/{type}", CreateAsync)
            .WithName("ManageCreateContentItem")
            .WithSummary("Create an item (a draft, or published with `publish: true`)")
            .WithDescription("Validated by the same rules as the console (required, lengths, patterns, unique, choices, references; rich text is sanitized). Answers 201 with `Location` and `ETag`. Validation failures are 400 with `errors` keyed `slug`, `fields.ja.KEY`, `fields.en.KEY`. `publish: true` on a type that requires approval is 409.")
            .Accepts<ManagedItemWrite>("application/json")
            .Produces<ManagedItem>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        manage.MapPut("/{type}/{id}", UpdateAsync)
            .WithName("ManageUpdateContentItem")
            .WithSummary("Update the working copy (If-Match required)")
            .WithDescription("`If-Match` must carry the item's current ETag: missing is 428, stale (someone changed the item since) is 412. A published item stays published with unpublished changes until it is published again (or send `publish: true`). Omitted `slug` or languages stay as they are; a language object that is sent replaces that language.")
            .Accepts<ManagedItemWrite>("application/json")
            .Produces<ManagedItem>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(Status428PreconditionRequired);
        manage.MapPost("/{type}/{id}/publish", PublishAsync)
            .WithName("ManagePublishContentItem")
            .WithSummary("Publish the working copy")
            .WithDescription("The item appears in the delivery API at once. `If-Match` is optional here; when sent it must be current (else 412). A type that requires approval answers 409 unless the item was approved in the console. The working copy is validated again (the type may have changed): 400.")
            .Produces<ManagedItem>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        manage.MapPost("/{type}/{id}/unpublish", UnpublishAsync)
            .WithName("ManageUnpublishContentItem")
            .WithSummary("Take the item off the website (it stays as a draft)")
            .WithDescription("`If-Match` is optional; when sent it must be current (else 412). 409 when the item is not published.")
            .Produces<ManagedItem>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        manage.MapDelete("/{type}/{id}", DeleteAsync)
            .WithName("ManageDeleteContentItem")
            .WithSummary("Move the item to the trash")
            .WithDescription("The item leaves the website at once and can be restored in the console until the trash is purged. `If-Match` is optional; when sent it must be current (else 412). Answers 204.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    private static async Task<IResult> ListAsync(string type, string? page, string? pageSize, string? status,
        IContentTypeService types, IContentItemService items, CancellationToken cancellationToken)
    {
        if (!TryPositive(page, 1, int.MaxValue, out var pageNumber))
        {
            return ApiProblems.BadParameter("page", "page must be a whole number from 1.");
        }
        if (!TryPositive(pageSize, DefaultPageSize, MaxPageSize, out var size))
        {
            return ApiProblems.BadParameter("pageSize", $"pageSize must be a whole number from 1 to {MaxPageSize}.");
        }
        ContentStatus? statusFilter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (ParseStatus(status) is not { } parsed)
            {
                return ApiProblems.BadParameter("status", "status must be 'draft', 'published' or 'archived'.");
            }
            statusFilter = parsed;
        }
        if (await types.FindByApiIdAsync(type, cancellationToken) is not { } contentType)
        {
            return TypeNotFound(type);
        }
        var result = await items.ListAsync(new ContentItemQuery(contentType.Id, Status: statusFilter, Sort: ContentSort.UpdatedDesc,
            Page: pageNumber - 1, PageSize: size), cancellationToken);
        var rows = result.Items.Select(i => new ManagedItemSummary(i.Id, i.Slug, i.Title, StatusName(i.Status), i.HasUnpublishedChanges,
            i.HasJa, i.HasEn, Utc(i.PublishedAtUtc), Utc(i.PublishAtUtc), Utc(i.UnpublishAtUtc), Utc(i.UpdatedAtUtc), i.UpdatedBy)).ToList();
        return TypedResults.Ok(new ManagedPage(rows, pageNumber, size, result.TotalCount, (result.TotalCount + size - 1) / size));
    }

    private static async Task<IResult> GetAsync(HttpContext context, string type, string id,
        IContentTypeService types, IContentItemService items, CancellationToken cancellationToken)
    {
        var (contentType, item, missing) = await LoadAsync(type, id, types, items, cancellationToken);
        return missing ?? Answer(context, contentType!, item!);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, string type,
        IContentTypeService types, IContentItemService items, CancellationToken cancellationToken)
    {
        if (await types.FindByApiIdAsync(type, cancellationToken) is not { } contentType)
        {
            return TypeNotFound(type);
        }
        var (body, problem) = await ReadBodyAsync(context, contentType, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (body!.Publish && contentType.RequiresApproval)
        {
            return ApprovalRequired(contentType);
        }
        var input = new ContentItemInput { TypeId = contentType.Id, Slug = body.Slug ?? "", Ja = body.Ja ?? [], En = body.En ?? [] };
        var (item, failure) = await SaveAsync(items, input, body.Publish, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }
        var answer = Shape(contentType, item!);
        context.Response.Headers.ETag = answer.ETag;
        return TypedResults.Created($"{ApiPaths.V1}/manage/content/{contentType.ApiId}/{item!.Id}", answer);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string type, string id,
        IContentTypeService types, IContentItemService items, CancellationToken cancellationToken)
    {
        var (contentType, item, missing) = await LoadAsync(type, id, types, items, cancellationToken);
        if (missing is not null)
        {
            return missing;
        }
        if (IfMatch(context) is not { } token)
        {
            return ApiProblems.Problem(Status428PreconditionRequired,
                "Send the item's current ETag in If-Match (GET the item to read it); '*' is not accepted. This keeps a change made meanwhile in the console or by another client from being overwritten.",
                "Precondition required");
        }
        if (token != item!.ConcurrencyToken)
        {
            return Stale();
        }
        var (body, problem) = await ReadBodyAsync(context, contentType!, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (body!.Publish && contentType!.RequiresApproval)
        {
            return ApprovalRequired(contentType);
        }
        var input = new ContentItemInput
        {
            Id = item.Id,
            TypeId = contentType!.Id,
            Slug = body.Slug ?? item.Slug,
            Ja = body.Ja ?? ContentValues.Parse(item.ValuesJa),
            En = body.En ?? ContentValues.Parse(item.ValuesEn),
            ConcurrencyToken = token,
        };
        var (result, failure) = await SaveAsync(items, input, body.Publish, cancellationToken);
        return failure ?? Answer(context, contentType, result!);
    }

    /// <summary>Saves the working copy and, when asked, publishes exactly what was saved (its new token).</summary>
    private static async Task<(ContentItem? Item, IResult? Failure)> SaveAsync(IContentItemService items, ContentItemInput input, bool publish, CancellationToken cancellationToken)
    {
        var saved = await items.SaveDraftAsync(input, cancellationToken);
        if (!saved.Succeeded)
        {
            return (null, Failure(saved));
        }
        var item = saved.Value!;
        if (!publish)
        {
            return (item, null);
        }
        var published = await items.PublishAsync(item.Id, item.ConcurrencyToken, cancellationToken);
        return published.Succeeded ? (published.Value!, null) : (null, Failure(published));
    }

    private static async Task<IResult> PublishAsync(HttpContext context, string type, string id,
        IContentTypeService types, IContentItemService items, CancellationToken cancellationToken)
    {
        var (contentType, item, missing) = await LoadAsync(type, id, types, items, cancellationToken);
        if (missing is not null)
        {
            return missing;
        }
        var token = IfMatch(context);
        if (token is { } expected && expected != item!.ConcurrencyToken)
        {
            return Stale();
        }
        if (!ContentReviewRules.MayPublish(contentType!, item!))
        {
            return ApprovalRequired(contentType!);
        }
        var published = await items.PublishAsync(item!.Id, token, cancellationToken);
        return published.Succeeded ? Answer(context, contentType!, published.Value!) : Failure(published);
    }

    private static async Task<IResult> UnpublishAsync(HttpContext context, string type, string id,
        IContentTypeService types, IContentItemService items, CancellationToken cancellationToken)
    {
        var (contentType, item, missing) = await LoadAsync(type, id, types, items, cancellationToken);
        if (missing is not null)
        {
            return missing;
        }
        var token = IfMatch(context);
        if (token is { } expected && expected != item!.ConcurrencyToken)
        {
            return Stale();
        }
        if (item!.Status != ContentStatus.Published)
        {
            return ApiProblems.Conflict($"The item is not published (its status is '{StatusName(item.Status)}').");
        }
        var result = await items.UnpublishAsync(item.Id, token, cancellationToken);
        return result.Succeeded ? Answer(context, contentType!, result.Value!) : Failure(result);
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string type, string id,
        IContentTypeService types, IContentItemService items, CancellationToken cancellationToken)
    {
        var (_, item, missing) = await LoadAsync(type, id, types, items, cancellationToken);
        if (missing is not null)
        {
            return missing;
        }
        if (IfMatch(context) is { } expected && expected != item!.ConcurrencyToken)
        {
            return Stale();
        }
        var result = await items.DeleteAsync(item!.Id, cancellationToken);
        if (!result.Succeeded)
        {
            return result.IsConflict ? Stale() : ApiProblems.Conflict(string.Join(" ", result.Errors));
        }
        return TypedResults.NoContent();
    }

    /// <summary>The type and a live item of it (not in the trash), or a 404 problem.</summary>
    private static async Task<(ContentType? Type, ContentItem? Item, IResult? Missing)> LoadAsync(string type, string id,
        IContentTypeService types, IContentItemService items, CancellationToken cancellationToken)
    {
        if (await types.FindByApiIdAsync(type, cancellationToken) is not { } contentType)
        {
            return (null, null, TypeNotFound(type));
        }
        if (!Guid.TryParse(id, out var itemId)
            || await items.FindAsync(itemId, cancellationToken) is not { } item
            || item.TypeId != contentType.Id
            || item.DeletedAtUtc is not null)
        {
            return (contentType, null, ApiProblems.NotFound($"There is no '{type}' item with the id '{Truncate(id)}' (items in the trash are not served)."));
        }
        return (contentType, item, null);
    }

    private sealed record WriteBody(string? Slug, Dictionary<string, string?>? Ja, Dictionary<string, string?>? En, bool Publish);

    /// <summary>
    /// Reads and converts the JSON body by hand so that every mistake names its place: unknown properties and
    /// fields, and values of the wrong JSON type, are reported together as a 400 keyed like the body.
    /// </summary>
    private static async Task<(WriteBody? Body, IResult? Problem)> ReadBodyAsync(HttpContext context, ContentType type, CancellationToken cancellationToken)
    {
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
                                Add(errors, "fields." + Truncate(language.Name), "Languages are \"ja\" and \"en\".");
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
                    default:
                        Add(errors, Truncate(property.Name), $"Unknown property '{Truncate(property.Name)}': the body has slug, fields and publish.");
                        break;
                }
            }
            if (errors.Count > 0)
            {
                return (null, ApiProblems.Validation(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal)));
            }
            return (new WriteBody(slug, ja, en, publish), null);
        }
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
            var key = prefix + "." + Truncate(value.Name);
            var field = type.ActiveFields.FirstOrDefault(f => string.Equals(f.Key, value.Name, StringComparison.Ordinal));
            if (field is null)
            {
                Add(errors, key, $"The type '{type.ApiId}' has no field '{Truncate(value.Name)}'.");
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

    /// <summary>Maps a refused change: stale token 412, the approval rule 409, the rules 400 keyed by field, anything else 409.</summary>
    private static IResult Failure(ContentResult<ContentItem> result)
    {
        if (result.IsConflict)
        {
            return Stale();
        }
        if (result.FieldErrors.Count > 0)
        {
            if (result.FieldErrors.All(e => e.Key == "Status"))
            {
                return ApiProblems.Conflict(string.Join(" ", result.Errors));
            }
            return ApiProblems.Validation(result.FieldErrors
                .GroupBy(e => FieldErrorKey(e.Key), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Value).ToArray(), StringComparer.Ordinal));
        }
        return ApiProblems.Conflict(string.Join(" ", result.Errors));
    }

    /// <summary>The service names inputs "Slug" and "ja.KEY"; the API names them like the body: "slug", "fields.ja.KEY".</summary>
    internal static string FieldErrorKey(string key) =>
        key == "Slug" ? "slug"
        : key.StartsWith(ContentLanguages.Japanese + ".", StringComparison.Ordinal) || key.StartsWith(ContentLanguages.English + ".", StringComparison.Ordinal) ? "fields." + key
        : key.ToLowerInvariant();

    private static IResult ApprovalRequired(ContentType type) => ApiProblems.Conflict(
        $"Items of the type '{type.ApiId}' must be approved before they are published. Save the item as a draft, have it submitted for review and approved in the console, then POST .../publish.");

    private static IResult Stale() => ApiProblems.PreconditionFailed(
        "The item was changed after the ETag you sent was read. GET the item again, apply your change to it and retry with its new ETag.");

    private static IResult TypeNotFound(string type) => ApiProblems.NotFound($"There is no content type '{type}'.");

    /// <summary>The token from If-Match (one entity tag, strong or weak); null when the header is missing or '*'. A tag that is not a token never matches.</summary>
    private static Guid? IfMatch(HttpContext context)
    {
        var tags = context.Request.GetTypedHeaders().IfMatch;
        if (tags.Count == 0 || tags.Any(t => t.Equals(EntityTagHeaderValue.Any)))
        {
            return null;
        }
        var tag = tags[0].Tag.Value?.Trim('"');
        return Guid.TryParse(tag, out var token) ? token : Guid.Empty;
    }

    private static string ETagOf(ContentItem item) => "\"" + item.ConcurrencyToken.ToString("N") + "\"";

    private static IResult Answer(HttpContext context, ContentType type, ContentItem item)
    {
        var answer = Shape(type, item);
        context.Response.Headers.ETag = answer.ETag;
        return TypedResults.Ok(answer);
    }

    private static ManagedItem Shape(ContentType type, ContentItem item) => new(
        item.Id, type.ApiId, item.Slug, item.Title, StatusName(item.Status), item.Status == ContentStatus.Published,
        item.HasUnpublishedChanges, item.ReviewState.ToString().ToLowerInvariant(), item.VersionCount, ETagOf(item),
        Utc(item.PublishedAtUtc), Utc(item.PublishAtUtc), Utc(item.UnpublishAtUtc), Utc(item.CreatedAtUtc), item.CreatedBy,
        Utc(item.UpdatedAtUtc), item.UpdatedBy,
        new ManagedValues(Typed(type, item.ValuesJa), Typed(type, item.ValuesEn)),
        item.Status == ContentStatus.Published
            ? new ManagedPublishedValues(item.PublishedJa is null ? null : Typed(type, item.PublishedJa), item.PublishedEn is null ? null : Typed(type, item.PublishedEn))
            : null);

    private static Dictionary<string, object?> Typed(ContentType type, string? json)
    {
        var values = ContentValues.Parse(json);
        return type.ActiveFields.ToDictionary(f => f.Key, f => ContentValues.ToTyped(f, values.GetValueOrDefault(f.Key)), StringComparer.Ordinal);
    }

    private static string StatusName(ContentStatus status) => status.ToString().ToLowerInvariant();

    private static ContentStatus? ParseStatus(string text) => text switch
    {
        "draft" => ContentStatus.Draft,
        "published" => ContentStatus.Published,
        "archived" => ContentStatus.Archived,
        _ => null,
    };

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;

    /// <summary>Caller-supplied names echoed in problems are kept short.</summary>
    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private static bool TryPositive(string? text, int fallback, int max, out int value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max;
    }
}
