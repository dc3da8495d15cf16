using Kuroco.Admin.Api;
using Kuroco.Core.Common;
using Kuroco.Core.Media;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Media;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Kuroco.Admin.Media;

/// <summary>
/// HTTP side of the media library (console endpoints: the staff cookie, not in the OpenAPI document):
/// <c>POST /media/upload</c> (multipart field "file", antiforgery token in the RequestVerificationToken header),
/// <c>GET /media/{id}</c> (the file, signed-in staff only for now),
/// <c>GET /media/{id}/thumbnail</c> (a small WebP for images, same access and headers; the file itself otherwise) and
/// <c>DELETE /media/{id}?confirm=true</c>. Body and answer shapes are in MediaApiContracts.cs.
/// </summary>
public static class MediaApi
{
    public const string UploadPath = "/media/upload";
    public const string FileField = "file";
    public const string AntiforgeryHeader = "RequestVerificationToken";

    /// <summary>Room for the multipart boundaries and part headers around the file.</summary>
    public const long MultipartOverheadBytes = 64 * 1024;

    /// <summary>How long a browser may reuse a served file before revalidating it with its ETag.</summary>
    public const string CacheControl = "private, max-age=300";

    public static IEndpointRouteBuilder MapMediaApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var media = endpoints.MapGroup("/media").ExcludeFromDescription();
        media.MapPost("/upload", UploadAsync)
            .RequireAuthorization(AreaPolicies.Content)
            .WithUploadSizeLimit()
            .WithName("UploadMedia");
        media.MapGet("/{id:guid}", ServeAsync)
            .RequireAuthorization()
            .WithName("ServeMedia");
        media.MapGet("/{id:guid}/thumbnail", ServeThumbnailAsync)
            .RequireAuthorization()
            .WithName("ServeMediaThumbnail");
        media.MapDelete("/{id:guid}", DeleteAsync)
            .RequireAuthorization(AreaPolicies.Content)
            .WithName("DeleteMedia");
        return endpoints;
    }

    public static async Task<Results<Created<MediaItemDto>, ProblemHttpResult>> UploadAsync(HttpContext context, [AsParameters] MediaServices services)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.CacheControl = "no-store";
        if (!await IsAntiforgeryValidAsync(context, services.Antiforgery))
        {
            return AntiforgeryRefused();
        }
        if (MediaUploadBody.Boundary(context.Request) is not { } boundary)
        {
            return NoFile();
        }
        var refusedTitle = MediaMessages.Get("Media.UploadRefused");
        try
        {
            var reader = new MultipartReader(boundary, context.Request.Body) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 16 };
            if (await MediaUploadBody.NextFileAsync(reader, context.RequestAborted) is not { } file)
            {
                return NoFile();
            }
            var result = await services.Library.UploadAsync(file.Section.Body, file.FileName, context.RequestAborted);
            return result.TryGetValue(out var item)
                ? TypedResults.Created(item.Url, MediaItemDto.From(item))
                : result.ToProblem(refusedTitle);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's own limit (the body is larger than the file limit and the multipart overhead).
            return Result.TooLarge(MediaMessages.For(MediaRejection.TooLarge, services.Library.MaxUploadBytes)).ToProblem(refusedTitle);
        }
        catch (InvalidDataException)
        {
            return NoFile();
        }
    }

    public static async Task<Results<PhysicalFileHttpResult, NotFound>> ServeAsync(HttpContext context, Guid id, [FromServices] IMediaLibrary library)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(library);
        return Serve(context, await library.OpenAsync(id, context.RequestAborted));
    }

    /// <summary>The thumbnail (WebP, its own ETag), or the file itself where there is none (not an image, too large, undecodable).</summary>
    public static async Task<Results<PhysicalFileHttpResult, NotFound>> ServeThumbnailAsync(HttpContext context, Guid id, [FromServices] IMediaLibrary library)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(library);
        return Serve(context, await library.OpenThumbnailAsync(id, context.RequestAborted));
    }

    /// <summary>Deletes an item: 404 when there is none, 409 with its <c>usages</c> when it is used and <c>confirm=true</c> is missing.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpContext context, Guid id, [FromQuery] bool? confirm, [AsParameters] MediaServices services)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.CacheControl = "no-store";
        if (!await IsAntiforgeryValidAsync(context, services.Antiforgery))
        {
            return AntiforgeryRefused();
        }
        var result = await services.Library.DeleteAsync(id, confirm == true, context.RequestAborted);
        return result.Succeeded ? TypedResults.NoContent() : result.ToProblem();
    }

    private static Results<PhysicalFileHttpResult, NotFound> Serve(HttpContext context, MediaContent? content)
    {
        if (content is null)
        {
            return TypedResults.NotFound();
        }
        var item = content.Item;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = CacheControl;
        var lastModified = new DateTimeOffset(item.UploadedAtUtc, TimeSpan.Zero);
        if (content.IsThumbnail)
        {
            // The original's hash and the thumbnail's size (the end of its file name), so another size is another tag.
            var name = Path.GetFileNameWithoutExtension(content.PhysicalPath);
            var thumbnailTag = new EntityTagHeaderValue("\"" + item.Sha256 + "-t" + name[(name.LastIndexOf('-') + 1)..] + "\"");
            headers.ContentDisposition = "inline";
            return TypedResults.PhysicalFile(content.PhysicalPath, MediaThumbnails.ContentType, fileDownloadName: null, lastModified, thumbnailTag, enableRangeProcessing: false);
        }
        var etag = new EntityTagHeaderValue("\"" + item.Sha256 + "\"");
        if (item.IsImage)
        {
            headers.ContentDisposition = "inline";
            return TypedResults.PhysicalFile(content.PhysicalPath, item.ContentType, fileDownloadName: null, lastModified, etag, enableRangeProcessing: true);
        }
        // Anything but an image is a download: the browser never renders it in the console's origin.
        return TypedResults.PhysicalFile(content.PhysicalPath, item.ContentType, fileDownloadName: item.OriginalFileName, lastModified, etag, enableRangeProcessing: true);
    }

    /// <summary>Only the header token is accepted, so the body is never read (and buffered) to find a form field.</summary>
    private static async Task<bool> IsAntiforgeryValidAsync(HttpContext context, IAntiforgery antiforgery) =>
        context.Request.Headers.ContainsKey(AntiforgeryHeader) && await antiforgery.IsRequestValidAsync(context);

    private static ProblemHttpResult AntiforgeryRefused() =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: MediaMessages.Get("Media.AntiforgeryInvalid"));

    private static ProblemHttpResult NoFile() =>
        Result.Invalid(MediaMessages.Get("Media.NoFile")).ToProblem(MediaMessages.Get("Media.UploadRefused"));

    /// <summary>
    /// The upload endpoint's own request body limit, the file limit (Kuroco:Media:MaxUploadBytes) plus the multipart
    /// overhead; the rest of the app keeps the global 4 MiB. Endpoint metadata is built by the framework with only the
    /// application's service provider at hand, so the options are read from it there, once, when the endpoint is built.
    /// </summary>
    private static RouteHandlerBuilder WithUploadSizeLimit(this RouteHandlerBuilder builder)
    {
        builder.Add(endpoint => endpoint.Metadata.Add(new UploadSizeLimit(
            endpoint.ApplicationServices.GetRequiredService<IOptions<MediaOptions>>().Value.MaxUploadBytes + MultipartOverheadBytes)));
        return builder;
    }

    private sealed class UploadSizeLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize { get; } = bytes;
    }
}

/// <summary>The services the media handlers share (bound with [AsParameters]).</summary>
public sealed record MediaServices([FromServices] IMediaLibrary Library, [FromServices] IAntiforgery Antiforgery);
