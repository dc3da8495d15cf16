using Kuroco.Core.Media;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Media;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Kuroco.Admin.Media;

/// <summary>
/// HTTP side of the media library:
/// <c>POST /media/upload</c> (multipart field "file", antiforgery token in the RequestVerificationToken header),
/// <c>GET /media/{id}</c> (the file, signed-in staff only for now),
/// <c>GET /media/{id}/thumbnail</c> (a small WebP for images, same access and headers; the file itself otherwise) and
/// <c>DELETE /media/{id}?confirm=true</c>.
/// </summary>
public static class MediaEndpoints
{
    public const string UploadPath = "/media/upload";
    public const string FileField = "file";
    public const string AntiforgeryHeader = "RequestVerificationToken";

    /// <summary>Room for the multipart boundaries and part headers around the file.</summary>
    public const long MultipartOverheadBytes = 64 * 1024;

    /// <summary>How long a browser may reuse a served file before revalidating it with its ETag.</summary>
    public const string CacheControl = "private, max-age=300";

    public sealed record MediaItemDto(
        Guid Id, string Url, string FileName, string ContentType, long SizeBytes, int? Width, int? Height, string Sha256, DateTime UploadedAtUtc)
    {
        public static MediaItemDto From(MediaItem m) =>
            new(m.Id, m.Url, m.OriginalFileName, m.ContentType, m.SizeBytes, m.Width, m.Height, m.Sha256, m.UploadedAtUtc);
    }

    /// <summary>The upload endpoint's own request body limit (the rest of the app keeps the global 4 MiB).</summary>
    private sealed class UploadSizeLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize { get; } = bytes;
    }

    public static IEndpointRouteBuilder MapMediaEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var maxUpload = endpoints.ServiceProvider.GetRequiredService<IOptions<MediaOptions>>().Value.MaxUploadBytes;
        endpoints.MapPost(UploadPath, UploadAsync)
            .RequireAuthorization(AreaPolicies.Content)
            .WithMetadata(new UploadSizeLimit(maxUpload + MultipartOverheadBytes))
            .WithName("UploadMedia")
            .ExcludeFromDescription();
        endpoints.MapGet("/media/{id:guid}", ServeAsync)
            .RequireAuthorization()
            .WithName("ServeMedia")
            .ExcludeFromDescription();
        endpoints.MapGet("/media/{id:guid}/thumbnail", ServeThumbnailAsync)
            .RequireAuthorization()
            .WithName("ServeMediaThumbnail")
            .ExcludeFromDescription();
        endpoints.MapDelete("/media/{id:guid}", DeleteAsync)
            .RequireAuthorization(AreaPolicies.Content)
            .WithName("DeleteMedia")
            .ExcludeFromDescription();
        return endpoints;
    }

    internal static async Task<IResult> UploadAsync(HttpContext context, [FromServices] IMediaLibrary library, [FromServices] IAntiforgery antiforgery)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!await IsAntiforgeryValidAsync(context, antiforgery))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: MediaMessages.Get("Media.AntiforgeryInvalid"));
        }
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return NoFile();
        }
        try
        {
            var reader = new MultipartReader(boundary, context.Request.Body) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 16 };
            while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.IsFileDisposition()
                    || !string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, FileField, StringComparison.Ordinal))
                {
                    continue; // other parts are skipped (the reader drains them)
                }
                var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                var result = await library.UploadAsync(section.Body, fileName, context.RequestAborted);
                return result.Error switch
                {
                    MediaError.None => TypedResults.Created(result.Item!.Url, MediaItemDto.From(result.Item)),
                    MediaError.TooLarge => Refused(StatusCodes.Status413PayloadTooLarge, result.Messages),
                    _ => Refused(StatusCodes.Status400BadRequest, result.Messages),
                };
            }
            return NoFile();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Refused(StatusCodes.Status413PayloadTooLarge, [MediaMessages.For(MediaRejection.TooLarge, library.MaxUploadBytes)]);
        }
        catch (InvalidDataException)
        {
            return NoFile();
        }
    }

    internal static async Task<IResult> ServeAsync(HttpContext context, Guid id, [FromServices] IMediaLibrary library) =>
        Serve(context, await library.OpenAsync(id, context.RequestAborted));

    /// <summary>The thumbnail (WebP, its own ETag), or the file itself where there is none (not an image, too large, undecodable).</summary>
    internal static async Task<IResult> ServeThumbnailAsync(HttpContext context, Guid id, [FromServices] IMediaLibrary library) =>
        Serve(context, await library.OpenThumbnailAsync(id, context.RequestAborted));

    private static IResult Serve(HttpContext context, MediaContent? content)
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

    internal static async Task<IResult> DeleteAsync(HttpContext context, Guid id, [FromQuery] bool? confirm, [FromServices] IMediaLibrary library, [FromServices] IAntiforgery antiforgery)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!await IsAntiforgeryValidAsync(context, antiforgery))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: MediaMessages.Get("Media.AntiforgeryInvalid"));
        }
        var result = await library.DeleteAsync(id, confirm == true, context.RequestAborted);
        return result.Error switch
        {
            MediaError.None => TypedResults.NoContent(),
            MediaError.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: MediaMessages.Get("Media.NotFound")),
            MediaError.InUse => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: MediaMessages.Get("Media.InUse"),
                extensions: new Dictionary<string, object?> { ["usages"] = result.Usages }),
            _ => Refused(StatusCodes.Status400BadRequest, result.Messages),
        };
    }

    /// <summary>Only the header token is accepted, so the body is never read (and buffered) to find a form field.</summary>
    private static async Task<bool> IsAntiforgeryValidAsync(HttpContext context, IAntiforgery antiforgery) =>
        context.Request.Headers.ContainsKey(AntiforgeryHeader) && await antiforgery.IsRequestValidAsync(context);

    private static IResult NoFile() =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: MediaMessages.Get("Media.UploadRefused"), detail: MediaMessages.Get("Media.NoFile"));

    private static IResult Refused(int status, IReadOnlyList<string> messages) =>
        TypedResults.Problem(
            statusCode: status,
            title: MediaMessages.Get("Media.UploadRefused"),
            detail: string.Join(" ", messages),
            extensions: new Dictionary<string, object?> { ["errors"] = messages });
}
