using Kuroco.Core.Media;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Kuroco.Admin.Media;

/// <summary>A stored item as <c>POST /media/upload</c> answers it (201, with its URL as Location).</summary>
public sealed record MediaItemDto(
    Guid Id, string Url, string FileName, string ContentType, long SizeBytes, int? Width, int? Height, string Sha256, DateTime UploadedAtUtc)
{
    public static MediaItemDto From(MediaItem m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.Id, m.Url, m.OriginalFileName, m.ContentType, m.SizeBytes, m.Width, m.Height, m.Sha256, m.UploadedAtUtc);
    }
}

/// <summary>
/// The body of <c>POST /media/upload</c>: multipart/form-data whose file part is named <see cref="MediaApi.FileField"/>.
/// Read as a stream, part by part, so the file is never buffered in memory.
/// </summary>
internal static class MediaUploadBody
{
    private const int MaxBoundaryLength = 200;

    /// <summary>The multipart boundary, or null when the request is not multipart/form-data.</summary>
    public static string? Boundary(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
        && contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
        && HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is { Length: > 0 and <= MaxBoundaryLength } boundary
            ? boundary
            : null;

    /// <summary>
    /// Advances to the file part and returns it with the uploader's file name; other parts are skipped (the reader
    /// drains them). Null when there is none. A malformed body throws <see cref="InvalidDataException"/>.
    /// </summary>
    public static async Task<(MultipartSection Section, string? FileName)?> NextFileAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                && disposition.IsFileDisposition()
                && string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, MediaApi.FileField, StringComparison.Ordinal))
            {
                var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                return (section, fileName);
            }
        }
        return null;
    }
}
