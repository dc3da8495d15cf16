using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Kuroco.Admin.Api;
using Kuroco.Core.Api;
using Kuroco.Core.Content;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Kuroco.Admin.Content;

/// <summary>One published item as websites read it: typed field values of the active fields, in one language.</summary>
public sealed record DeliveredItem(
    Guid Id,
    string Type,
    string Slug,
    /// <summary>The language served: the requested one, or the fallback when the item has no variant in it.</summary>
    string Language,
    DateTime PublishedAt,
    DateTime UpdatedAt,
    IReadOnlyDictionary<string, object?> Fields);

/// <summary>A page of published items, newest first.</summary>
public sealed record DeliveredPage(IReadOnlyList<DeliveredItem> Items, int Page, int PageSize, int TotalCount, int TotalPages);

/// <summary>
/// The delivery API websites call: <c>GET /api/v1/content/{type}</c> and <c>GET /api/v1/content/{type}/{idOrSlug}</c>.
/// Published copies only (drafts, archived and deleted items never appear), a key that allows the type
/// (or a public type), an ETag on every answer and 304 for a matching If-None-Match.
/// </summary>
internal sealed class ContentDeliveryEndpoints : IApiEndpointContributor
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Map(RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var cache = ((IEndpointRouteBuilder)v1).ServiceProvider.GetRequiredService<ContentOutputCachePolicy>();
        var content = v1.MapGroup("/content").WithTags("Content").CacheOutput(cache);
        content.MapGet("/{type}", ListAsync)
            .AllowAnonymous()
            .RequireApiScope("type", ApiAccess.Read)
            .WithName("ListContent")
            .WithDeliveryShaping()
            .WithSummary("Published items of a content type")
            .WithDescription("Newest first. `page` starts at 1; `pageSize` is 1–100 (default 20); `lang` is `ja` or `en` (default: the primary content language; items without that variant fall back).")
            .Produces<DeliveredPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        content.MapGet("/{type}/{idOrSlug}", GetAsync)
            .AllowAnonymous()
            .RequireApiScope("type", ApiAccess.Read)
            .WithName("GetContentItem")
            .WithDeliveryShaping()
            .WithSummary("One published item, by id or slug")
            .Produces<DeliveredItem>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(HttpContext context, string type, string? page, string? pageSize, string? lang,
        IContentTypeService types, IPublishedContentReader reader, IOptions<ContentOptions> options, CancellationToken cancellationToken)
    {
        if (!TryPositive(page, 1, int.MaxValue, out var pageNumber))
        {
            return ApiProblems.BadParameter("page", "page must be a whole number from 1.");
        }
        if (!TryPositive(pageSize, DefaultPageSize, MaxPageSize, out var size))
        {
            return ApiProblems.BadParameter("pageSize", $"pageSize must be a whole number from 1 to {MaxPageSize}.");
        }
        if (Language(lang, options.Value) is not { } language)
        {
            return ApiProblems.BadParameter("lang", "lang must be 'ja' or 'en'.");
        }
        if (await types.FindByApiIdAsync(type, cancellationToken) is not { } contentType)
        {
            return ApiProblems.NotFound($"There is no content type '{type}'.");
        }
        if (DeliveryShaping.Parse(context, contentType, language) is { } badShape)
        {
            return badShape;
        }
        var (items, total) = await reader.ListAsync(contentType.ApiId, language, pageNumber - 1, size, cancellationToken);
        var body = new DeliveredPage([.. items.Select(i => Deliver(contentType, i))], pageNumber, size, total, (total + size - 1) / size);
        return await DeliveryShaping.AnswerAsync(context, contentType, body, cancellationToken);
    }

    private static async Task<IResult> GetAsync(HttpContext context, string type, string idOrSlug, string? lang,
        IContentTypeService types, IPublishedContentReader reader, IOptions<ContentOptions> options, CancellationToken cancellationToken)
    {
        if (Language(lang, options.Value) is not { } language)
        {
            return ApiProblems.BadParameter("lang", "lang must be 'ja' or 'en'.");
        }
        if (await types.FindByApiIdAsync(type, cancellationToken) is not { } contentType)
        {
            return ApiProblems.NotFound($"There is no content type '{type}'.");
        }
        if (DeliveryShaping.Parse(context, contentType, language) is { } badShape)
        {
            return badShape;
        }
        var item = await reader.FindAsync(contentType.ApiId, idOrSlug, language, cancellationToken);
        return item is null
            ? ApiProblems.NotFound($"There is no published '{type}' item '{idOrSlug}'.")
            : await DeliveryShaping.AnswerAsync(context, contentType, Deliver(contentType, item), cancellationToken);
    }

    private static DeliveredItem Deliver(ContentType type, PublishedContent item) => DeliveryShaping.Deliver(type, item);

    private static string? Language(string? requested, ContentOptions options) =>
        string.IsNullOrEmpty(requested) ? options.DefaultLanguage
        : ContentLanguages.IsSupported(requested) ? requested
        : null;

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
