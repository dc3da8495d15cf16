using System.Globalization;
using Kuroco.Admin.Api;
using Kuroco.Core.Api;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Kuroco.Admin.Content;

/// <summary>
/// The management API under <c>/api/v1/manage/content/{type}</c>, for keys with read-write access to the type:
/// list, read, create, update (If-Match required), publish, unpublish and delete (to the trash) items. The handlers do
/// the HTTP part only — read the body, require If-Match, shape the answer — and every change goes through the
/// content services, which read the item once and run each rule once (validated by the console's rules, sanitized,
/// versioned, audited with the key as actor, and reaching the change listeners: delivery cache eviction, webhooks).
/// A refusal becomes its status code through <see cref="ResultHttp"/>: validation 400, not found (or in the trash)
/// 404, approval required or wrong state 409, stale If-Match 412. Contracts and body conversion: ContentManagementContracts.cs.
/// </summary>
internal static class ContentManagementApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    /// <summary>The services a management handler needs, bound from DI.</summary>
    internal sealed record Services(
        IContentTypeService Types,
        IContentItemService Items,
        IContentPublishingService Publishing,
        IContentTrashService Trash);

    public static RouteGroupBuilder MapContentManagementApi(this RouteGroupBuilder v1)
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

        manage.MapGet("/{type}", ListItemsAsync)
            .WithName("ManageListContent")
            .WithSummary("Items of a content type, drafts included")
            .WithDescription("Every item not in the trash, most recently updated first, with its status. `page` starts at 1; `pageSize` is 1–100 (default 20); `status` is `draft`, `published` or `archived` (optional). Needs a read-write key for the type.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        manage.MapGet("/{type}/{id:guid}", GetItemAsync)
            .WithName("ManageGetContentItem")
            .WithSummary("One item: working copy, published copy and state")
            .WithDescription("The `ETag` header (and the `eTag` property) is the item's concurrency token: send it in `If-Match` to update, publish, unpublish or delete.");
        manage.MapPost("/{type}", CreateItemAsync)
            .WithName("ManageCreateContentItem")
            .WithSummary("Create an item (a draft, or published with `publish: true`)")
            .WithDescription("Validated by the same rules as the console (required, lengths, patterns, unique, choices, references; rich text is sanitized). Answers 201 with `Location` and `ETag`. Validation failures are 400 with `errors` keyed `slug`, `fields.ja.KEY`, `fields.en.KEY`. `publish: true` on a type that requires approval is 409.")
            .Accepts<ManagedItemWrite>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        manage.MapPut("/{type}/{id:guid}", UpdateItemAsync)
            .WithName("ManageUpdateContentItem")
            .WithSummary("Update the working copy (If-Match required)")
            .WithDescription("`If-Match` must carry the item's current ETag: missing is 428, stale (someone changed the item since) is 412. A published item stays published with unpublished changes until it is published again (or send `publish: true`). Omitted `slug` or languages stay as they are; a language object that is sent replaces that language.")
            .Accepts<ManagedItemWrite>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        manage.MapPost("/{type}/{id:guid}/publish", PublishItemAsync)
            .WithName("ManagePublishContentItem")
            .WithSummary("Publish the working copy")
            .WithDescription("The item appears in the delivery API at once. `If-Match` is optional here; when sent it must be current (else 412). A type that requires approval answers 409 unless the item was approved in the console. The working copy is validated again (the type may have changed): 400.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        manage.MapPost("/{type}/{id:guid}/unpublish", UnpublishItemAsync)
            .WithName("ManageUnpublishContentItem")
            .WithSummary("Take the item off the website (it stays as a draft)")
            .WithDescription("`If-Match` is optional; when sent it must be current (else 412). 409 when the item is not published.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        manage.MapDelete("/{type}/{id:guid}", DeleteItemAsync)
            .WithName("ManageDeleteContentItem")
            .WithSummary("Move the item to the trash")
            .WithDescription("The item leaves the website at once and can be restored in the console until the trash is purged. `If-Match` is optional; when sent it must be current (else 412). Answers 204.")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return v1;
    }

    public static async Task<Results<Ok<ManagedPage>, ProblemHttpResult>> ListItemsAsync(string type, string? page, string? pageSize, string? status,
        [AsParameters] Services services, CancellationToken cancellationToken)
    {
        if (!ManagedContent.TryPositive(page, 1, int.MaxValue, out var pageNumber))
        {
            return ApiProblems.BadParameter("page", "page must be a whole number from 1.");
        }
        if (!ManagedContent.TryPositive(pageSize, DefaultPageSize, MaxPageSize, out var size))
        {
            return ApiProblems.BadParameter("pageSize", $"pageSize must be a whole number from 1 to {MaxPageSize}.");
        }
        ContentStatus? statusFilter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (ManagedContent.ParseStatus(status) is not { } parsed)
            {
                return ApiProblems.BadParameter("status", "status must be 'draft', 'published' or 'archived'.");
            }
            statusFilter = parsed;
        }
        if (await services.Types.FindByApiIdAsync(type, cancellationToken) is not { } contentType)
        {
            return TypeNotFound(type);
        }
        var result = await services.Items.ListAsync(new ContentItemQuery(contentType.Id, Status: statusFilter, Sort: ContentSort.UpdatedDesc,
            Page: pageNumber - 1, PageSize: size), cancellationToken);
        return TypedResults.Ok(new ManagedPage([.. result.Items.Select(ManagedItemSummary.From)], pageNumber, size, result.TotalCount, (result.TotalCount + size - 1) / size));
    }

    public static async Task<Results<Ok<ManagedItem>, ProblemHttpResult>> GetItemAsync(HttpContext context, string type, Guid id,
        [AsParameters] Services services, CancellationToken cancellationToken)
    {
        if (await services.Types.FindByApiIdAsync(type, cancellationToken) is not { } contentType)
        {
            return TypeNotFound(type);
        }
        var item = await services.Items.FindAsync(id, cancellationToken);
        if (item is null || item.TypeId != contentType.Id || item.IsInTrash)
        {
            return ApiProblems.NotFound($"There is no '{type}' item with the id '{id}' (items in the trash are not served).");
        }
        return Answer(context, contentType, item);
    }

    public static async Task<Results<Created<ManagedItem>, ProblemHttpResult>> CreateItemAsync(HttpContext context, string type,
        [AsParameters] Services services, CancellationToken cancellationToken)
    {
        if (await services.Types.FindByApiIdAsync(type, cancellationToken) is not { } contentType)
        {
            return TypeNotFound(type);
        }
        var (body, problem) = await ManagedBody.ReadAsync(context, contentType, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var input = body.ToInput(contentType);
        var saved = body.Publish
            ? await services.Publishing.SaveAndPublishAsync(input, cancellationToken: cancellationToken)
            : await services.Items.SaveDraftAsync(input, cancellationToken: cancellationToken);
        if (!saved.TryGetValue(out var item))
        {
            return ManagedContent.Problem(saved);
        }
        var answer = ManagedItem.From(contentType, item);
        context.Response.Headers.ETag = answer.ETag;
        return TypedResults.Created($"{ApiPaths.V1}/manage/content/{contentType.ApiId}/{item.Id}", answer);
    }

    public static async Task<Results<Ok<ManagedItem>, ProblemHttpResult>> UpdateItemAsync(HttpContext context, string type, Guid id,
        [AsParameters] Services services, CancellationToken cancellationToken)
    {
        if (await services.Types.FindByApiIdAsync(type, cancellationToken) is not { } contentType)
        {
            return TypeNotFound(type);
        }
        if (IfMatch(context) is not { } token)
        {
            return ApiProblems.Problem(StatusCodes.Status428PreconditionRequired,
                "Send the item's current ETag in If-Match (GET the item to read it); '*' is not accepted. This keeps a change made meanwhile in the console or by another client from being overwritten.",
                "Precondition required");
        }
        var (body, problem) = await ManagedBody.ReadAsync(context, contentType, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        // What the body leaves out stays as the item has it: the service fills it in from the one read of the item.
        var input = body.ToInput(contentType, id, token);
        var saved = body.Publish
            ? await services.Publishing.SaveAndPublishAsync(input, body.Omitted, cancellationToken)
            : await services.Items.SaveDraftAsync(input, body.Omitted, cancellationToken);
        return saved.TryGetValue(out var item) ? Answer(context, contentType, item) : ManagedContent.Problem(saved);
    }

    public static Task<Results<Ok<ManagedItem>, ProblemHttpResult>> PublishItemAsync(HttpContext context, string type, Guid id,
        [AsParameters] Services services, CancellationToken cancellationToken) =>
        ChangeStateAsync(context, type, id, services.Types, services.Publishing.PublishAsync, cancellationToken);

    public static Task<Results<Ok<ManagedItem>, ProblemHttpResult>> UnpublishItemAsync(HttpContext context, string type, Guid id,
        [AsParameters] Services services, CancellationToken cancellationToken) =>
        ChangeStateAsync(context, type, id, services.Types, services.Publishing.UnpublishAsync, cancellationToken);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteItemAsync(HttpContext context, string type, Guid id,
        [AsParameters] Services services, CancellationToken cancellationToken)
    {
        if (await services.Types.FindByApiIdAsync(type, cancellationToken) is not { } contentType)
        {
            return TypeNotFound(type);
        }
        var deleted = await services.Trash.DeleteAsync(new ContentItemRef(id, IfMatch(context), contentType.Id), cancellationToken);
        return deleted.Succeeded ? TypedResults.NoContent() : ManagedContent.Problem(deleted);
    }

    /// <summary>
    /// Publish and unpublish: <paramref name="change"/> applied to the item of the type (If-Match optional, checked when
    /// sent), answered with the item's new state and ETag, or with the refusal's problem.
    /// </summary>
    private static async Task<Results<Ok<ManagedItem>, ProblemHttpResult>> ChangeStateAsync(HttpContext context, string type, Guid id,
        IContentTypeService types, Func<ContentItemRef, CancellationToken, Task<Result<ContentItem>>> change, CancellationToken cancellationToken)
    {
        if (await types.FindByApiIdAsync(type, cancellationToken) is not { } contentType)
        {
            return TypeNotFound(type);
        }
        var changed = await change(new ContentItemRef(id, IfMatch(context), contentType.Id), cancellationToken);
        return changed.TryGetValue(out var item) ? Answer(context, contentType, item) : ManagedContent.Problem(changed);
    }

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

    private static Ok<ManagedItem> Answer(HttpContext context, ContentType type, ContentItem item)
    {
        var answer = ManagedItem.From(type, item);
        context.Response.Headers.ETag = answer.ETag;
        return TypedResults.Ok(answer);
    }

    private static ProblemHttpResult TypeNotFound(string type) => ApiProblems.NotFound($"There is no content type '{type}'.");
}
