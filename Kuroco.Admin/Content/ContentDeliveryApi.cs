using System.ComponentModel;
using System.Globalization;
using Kuroco.Admin.Api;
using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using DeliveryAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult,
    Microsoft.AspNetCore.Http.HttpResults.StatusCodeHttpResult,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Kuroco.Admin.Content;

/// <summary>
/// The delivery API websites call: <c>GET /api/v1/content/{type}</c> and <c>GET /api/v1/content/{type}/{idOrSlug}</c>.
/// Published copies only (drafts, archived and deleted items never appear), a key that allows the type
/// (or a public type), an ETag on every answer and 304 for a matching If-None-Match; answers are kept by the
/// server-side output cache (<see cref="ContentOutputCachePolicy"/>) until a change evicts them. Member-only items are served
/// only to a member of one of their groups (<see cref="Members.MemberContentAudience"/>); such requests bypass the output cache.
/// Contracts: ContentDeliveryContracts.cs.
/// </summary>
internal static class ContentDeliveryApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>The services a delivery handler needs, bound from DI ([AsParameters]); <see cref="DeliveryShaping"/> expands references with them.</summary>
    internal sealed record Services(
        IDeliveryContentTypes Types,
        IPublishedContentReader Reader,
        IOptions<ContentOptions> Options,
        DeliveryCursor Cursors,
        IPublicContentTypes PublicTypes,
        IPublishedReferenceReader References,
        IPublishedJsonReader Json);

    public static RouteGroupBuilder MapContentDeliveryApi(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var content = v1.MapGroup("/content").WithTags("Content").CacheOutput(ContentOutputCachePolicy.Name);
        content.MapGet("/{type}", ListItemsAsync)
            .AllowAnonymous()
            .RequireApiScope("type", ApiAccess.Read)
            .WithName("ListContent")
            .WithDeliveryShaping()
            .WithSummary("Published items of a content type")
            .WithDescription(ListDescription)
            .Produces<DeliveredPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        content.MapGet("/{type}/{idOrSlug}", GetItemAsync)
            .AllowAnonymous()
            .RequireApiScope("type", ApiAccess.Read)
            .WithName("GetContentItem")
            .WithDeliveryShaping()
            .WithSummary("One published item, by id or slug")
            .Produces<DeliveredItem>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    private const string ListDescription = """
        Published items only. Query parameters:

        - `page` (from 1) and `pageSize` (1–100, default 20); or `cursor` = the `nextCursor` of the previous answer (not with `page`).
        - `lang`: `ja` or `en` (default: the primary content language; items without that variant fall back, filters apply to the values served).
        - `filter[<field>][<op>]=<value>` (several are ANDed; `filter[<field>]=v` means `eq`). `<field>` is an active field key or `publishedAt`, `updatedAt`, `slug`.
          Ops: `eq`, `ne`, `lt`, `gt`, `in` (comma-separated), `contains` (substring, case-insensitive, `%` and `_` literal, for text kinds; membership for multiple choice and tags).
          Short text, single choice, slug: eq ne in contains. Long/rich text, markdown: contains. Number, date/time, publishedAt, updatedAt: eq ne lt gt in.
          Boolean: eq ne. Media, reference: eq ne in (GUID). Multiple choice, tags: contains in.
        - `tag=<tag>`: items whose tags field(s) hold the tag; repeat for "all of these".
        - `publishedFrom` (inclusive) / `publishedTo` (exclusive): ISO-8601 date or date-time, UTC unless an offset is given.
        - `sort`: up to 3 comma-separated keys, `-` for descending: `publishedAt`, `updatedAt`, `slug` or a short text, number, boolean, date/time or single choice field. Default `-publishedAt`; ties by id.
        - `includeTotal`: `true` (default) or `false`. With `false` the matches are not counted: `totalCount` and `totalPages` are null (the rest of the answer is the same), which makes a list cheaper; page with `nextCursor`.

        A bad parameter answers 400 with `parameter` = the query key as sent (e.g. `filter[price][lt]`).
        """;

    // sort, tag, publishedFrom, publishedTo and cursor are declared for the OpenAPI document; the parser reads them
    // (and every filter[...] key) from the query itself.
    public static async Task<DeliveryAnswer> ListItemsAsync(HttpContext context, string type,
        [Description("Page number from 1 (not with cursor).")] string? page,
        [Description("Items per page, 1–100 (default 20).")] string? pageSize,
        [Description("ja or en (default: the primary content language).")] string? lang,
        [Description("Up to 3 comma-separated keys, '-' for descending: publishedAt, updatedAt, slug or a sortable field. Default -publishedAt.")] string? sort,
        [Description("Items whose tags field(s) hold the tag; repeat for all of several.")] string[]? tag,
        [Description("Published at or after (ISO-8601, UTC unless an offset is given).")] string? publishedFrom,
        [Description("Published before (ISO-8601, UTC unless an offset is given).")] string? publishedTo,
        [Description("The nextCursor of the previous answer (keyset paging).")] string? cursor,
        [Description("true (default) or false: false skips counting the matches (totalCount and totalPages are null).")] string? includeTotal,
        [AsParameters] Services services)
    {
        // Not the request's abort token: with output-cache locking, requests for the same answer wait on this
        // one and receive its result, so one client's disconnect must not fail theirs. The reads take milliseconds.
        var cancellationToken = CancellationToken.None;
        _ = (sort, tag, publishedFrom, publishedTo, cursor);
        if (!TryPositive(page, 1, int.MaxValue, out var pageNumber))
        {
            return BadParameter("page", "page must be a whole number from 1.");
        }
        if (!TryPositive(pageSize, DefaultPageSize, MaxPageSize, out var size))
        {
            return BadParameter("pageSize", $"pageSize must be a whole number from 1 to {MaxPageSize}.");
        }
        if (!TryFlag(includeTotal, out var counted))
        {
            return BadParameter("includeTotal", "includeTotal must be true or false.");
        }
        var (target, problem) = await TargetAsync(context, type, lang, services, cancellationToken);
        if (target is null)
        {
            return problem!;
        }
        var (contentType, language) = target;
        var (query, error) = DeliveryQueryParser.Parse(contentType, context.Request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToArray())));
        if (error is not null)
        {
            return BadParameter(error.Parameter, error.Detail);
        }
        DeliveryPosition? after = null;
        if (query!.Cursor is { } token)
        {
            if (page is not null)
            {
                return BadParameter("cursor", "Use either cursor or page, not both.");
            }
            after = services.Cursors.Decode(token, contentType.ApiId, language, query.SortSignature, query.Sorts.Count);
            if (after is null)
            {
                return BadParameter("cursor", "cursor is not a nextCursor issued for this type, language and sort.");
            }
        }
        // Member-only items are left out in SQL unless the request's member may read them (totals and cursors alike).
        var audience = await Members.MemberContentAudience.ResolveAsync(context);
        query = query with { IncludeTotal = counted };
        if (DeliveryShaping.IsIdentity(context))
        {
            // Every field, nothing expanded: the items' stored answers are copied into the page as they are.
            var stored = await services.Json.QueryJsonAsync(contentType, language, query, after, pageNumber - 1, size, audience, cancellationToken);
            return DeliveryShaping.AnswerJson(context, contentType, stored.Items, after is null ? pageNumber : 0, size, stored.TotalCount, TotalPages(stored.TotalCount, size),
                stored.Next is null ? null : services.Cursors.Encode(contentType.ApiId, language, query.SortSignature, stored.Next));
        }
        var result = await services.Reader.QueryAsync(contentType.ApiId, language, query, after, pageNumber - 1, size, audience, cancellationToken);
        var next = result.Next is null ? null : services.Cursors.Encode(contentType.ApiId, language, query.SortSignature, result.Next);
        var body = new DeliveredPage([.. result.Items.Select(i => DeliveryShaping.Deliver(contentType, i))], after is null ? pageNumber : 0, size,
            result.TotalCount, TotalPages(result.TotalCount, size), next);
        return await DeliveryShaping.AnswerAsync(context, contentType, body, services, cancellationToken);
    }

    public static async Task<DeliveryAnswer> GetItemAsync(HttpContext context, string type, string idOrSlug, string? lang, [AsParameters] Services services)
    {
        // Not the request's abort token: with output-cache locking, requests for the same answer wait on this
        // one and receive its result, so one client's disconnect must not fail theirs. The reads take milliseconds.
        var cancellationToken = CancellationToken.None;
        var (target, problem) = await TargetAsync(context, type, lang, services, cancellationToken);
        if (target is null)
        {
            return problem!;
        }
        var (contentType, language) = target;
        // A member-only item the request's member may not read is answered like an unknown one.
        var audience = await Members.MemberContentAudience.ResolveAsync(context);
        if (DeliveryShaping.IsIdentity(context))
        {
            // Every field, nothing expanded: the item's stored answer is the body.
            var stored = await services.Json.FindJsonAsync(contentType, idOrSlug, language, audience, cancellationToken);
            return stored is null
                ? ApiProblems.NotFound($"There is no published '{type}' item '{idOrSlug}'.")
                : DeliveryShaping.AnswerJson(context, contentType, stored);
        }
        var item = await services.Reader.FindAsync(contentType.ApiId, idOrSlug, language, audience, cancellationToken);
        return item is null
            ? ApiProblems.NotFound($"There is no published '{type}' item '{idOrSlug}'.")
            : await DeliveryShaping.AnswerAsync(context, contentType, DeliveryShaping.Deliver(contentType, item), services, cancellationToken);
    }

    /// <summary>The content type and language a delivery request is for, once both are known to be fine.</summary>
    private sealed record DeliveryTarget(ContentType Type, string Language);

    /// <summary>
    /// What both endpoints check, in this order: <c>lang</c> (400), the type (404), then <c>fields</c> and <c>expand</c>
    /// against it (400, see <see cref="DeliveryShaping.Parse"/>). The target, or else the problem to answer.
    /// </summary>
    private static async Task<(DeliveryTarget? Target, ProblemHttpResult? Problem)> TargetAsync(HttpContext context, string type, string? lang,
        Services services, CancellationToken cancellationToken)
    {
        if (Language(lang, services.Options.Value) is not { } language)
        {
            return (null, BadParameter("lang", "lang must be 'ja' or 'en'."));
        }
        if (await services.Types.FindAsync(type, cancellationToken) is not { } contentType)
        {
            return (null, TypeNotFound(type));
        }
        if (DeliveryShaping.Parse(context, contentType, language) is { } badShape)
        {
            return (null, badShape);
        }
        return (new DeliveryTarget(contentType, language), null);
    }

    private static ProblemHttpResult BadParameter(string parameter, string detail) => ApiProblems.BadParameter(parameter, detail);

    private static ProblemHttpResult TypeNotFound(string type) => ApiProblems.NotFound($"There is no content type '{type}'.");

    private static string? Language(string? requested, ContentOptions options) =>
        string.IsNullOrEmpty(requested) ? options.DefaultLanguage
        : ContentLanguages.IsSupported(requested) ? requested
        : null;

    private static int? TotalPages(int? total, int size) => total is { } count ? (count + size - 1) / size : null;

    /// <summary>true or false (any case); absent or empty means true.</summary>
    private static bool TryFlag(string? text, out bool value)
    {
        value = true;
        return string.IsNullOrEmpty(text) || bool.TryParse(text, out value);
    }

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
