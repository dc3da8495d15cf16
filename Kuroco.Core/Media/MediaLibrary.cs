using Kuroco.Core.Common;

namespace Kuroco.Core.Media;

/// <summary>Alt text and title in both languages: what an editor may change after the upload (mutable: forms bind to it).</summary>
public sealed class MediaDetails
{
    public MediaDetails()
    {
    }

    public MediaDetails(string? altTextJa, string? altTextEn, string? titleJa, string? titleEn)
    {
        AltTextJa = altTextJa;
        AltTextEn = altTextEn;
        TitleJa = titleJa;
        TitleEn = titleEn;
    }

    public string? AltTextJa { get; set; }

    public string? AltTextEn { get; set; }

    public string? TitleJa { get; set; }

    public string? TitleEn { get; set; }

    public static MediaDetails From(MediaItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(item.AltTextJa, item.AltTextEn, item.TitleJa, item.TitleEn);
    }
}

/// <summary>A search of the library, newest first.</summary>
public sealed record MediaQuery(string? Text = null, bool ImagesOnly = false, int Page = 0, int PageSize = 24)
{
    public const int MaxPageSize = 100;
}

public sealed record MediaPage(IReadOnlyList<MediaItem> Items, int TotalCount);

/// <summary>
/// The <see cref="Result.ErrorData"/> of a delete refused because the item is referenced and the delete was not
/// confirmed: what uses it (over HTTP, the 409 problem's "usages").
/// </summary>
public sealed record MediaInUse(IReadOnlyList<MediaUsage> Usages);

/// <summary>
/// The file behind an item, for serving. <paramref name="IsThumbnail"/>: the path is the item's server-side
/// thumbnail (<see cref="MediaThumbnails.ContentType"/>) rather than the uploaded file.
/// </summary>
public sealed record MediaContent(MediaItem Item, string PhysicalPath, bool IsThumbnail = false);

/// <summary>
/// The media library. Uploads are checked (size, type from content) and stored under generated names;
/// every change is audited. On failure nothing was changed or stored.
/// </summary>
public interface IMediaLibrary
{
    /// <summary>The configured upload limit in bytes (Kuroco:Media:MaxUploadBytes).</summary>
    long MaxUploadBytes { get; }

    /// <summary>
    /// Stores <paramref name="content"/> (read once, up to the limit) as a new item. <paramref name="fileName"/>
    /// is the uploader's name for it, kept as sanitized display text only. Refused: <see cref="ErrorKind.TooLarge"/>
    /// over the limit, <see cref="ErrorKind.Validation"/> for a type that is not allowed (whatever the file's name says).
    /// </summary>
    Task<Result<MediaItem>> UploadAsync(Stream content, string? fileName, CancellationToken cancellationToken = default);

    /// <summary>A live (not deleted) item, or null.</summary>
    Task<MediaItem?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    Task<MediaPage> SearchAsync(MediaQuery query, CancellationToken cancellationToken = default);

    /// <summary>Changes alt text and titles: <see cref="ErrorKind.Validation"/> by input name, <see cref="ErrorKind.NotFound"/>.</summary>
    Task<Result<MediaItem>> UpdateDetailsAsync(Guid id, MediaDetails details, CancellationToken cancellationToken = default);

    /// <summary>What references the item, from every registered <see cref="IMediaUsageProvider"/>.</summary>
    Task<IReadOnlyList<MediaUsage>> FindUsagesAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes (soft) the item. When something references it and <paramref name="confirmedDespiteUsages"/> is false,
    /// nothing changes and the result is a <see cref="ErrorKind.Conflict"/> carrying <see cref="MediaInUse"/>.
    /// <see cref="ErrorKind.NotFound"/> for an item that does not exist or is already deleted.
    /// </summary>
    Task<Result> DeleteAsync(Guid id, bool confirmedDespiteUsages, CancellationToken cancellationToken = default);

    /// <summary>The stored file of a live item, or null.</summary>
    Task<MediaContent?> OpenAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// A live item's thumbnail (made on first request and kept on disk), or — for a file that is not an image,
    /// cannot be decoded, or announces more pixels than allowed — the stored file itself; null when there is no item.
    /// </summary>
    Task<MediaContent?> OpenThumbnailAsync(Guid id, CancellationToken cancellationToken = default);
}
