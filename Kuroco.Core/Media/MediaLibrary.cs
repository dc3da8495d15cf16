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

public enum MediaError
{
    None = 0,
    Invalid,
    TooLarge,
    NotFound,
    /// <summary>The item is referenced and the delete was not confirmed: nothing changed.</summary>
    InUse,
}

/// <summary>The outcome of an upload, edit or delete. On failure nothing was changed or stored.</summary>
public sealed record MediaResult(MediaItem? Item, MediaError Error, IReadOnlyList<string> Messages, IReadOnlyList<MediaUsage> Usages)
{
    public bool Succeeded => Error == MediaError.None;

    public static MediaResult Success(MediaItem item, IReadOnlyList<MediaUsage>? usages = null) => new(item, MediaError.None, [], usages ?? []);

    public static MediaResult Failed(MediaError error, params string[] messages) => new(null, error, messages, []);
}

/// <summary>
/// The file behind an item, for serving. <paramref name="IsThumbnail"/>: the path is the item's server-side
/// thumbnail (<see cref="MediaThumbnails.ContentType"/>) rather than the uploaded file.
/// </summary>
public sealed record MediaContent(MediaItem Item, string PhysicalPath, bool IsThumbnail = false);

/// <summary>
/// The media library. Uploads are checked (size, type from content) and stored under generated names;
/// every change is audited.
/// </summary>
public interface IMediaLibrary
{
    /// <summary>The configured upload limit in bytes (Kuroco:Media:MaxUploadBytes).</summary>
    long MaxUploadBytes { get; }

    /// <summary>
    /// Stores <paramref name="content"/> (read once, up to the limit) as a new item. <paramref name="fileName"/>
    /// is the uploader's name for it, kept as sanitized display text only.
    /// </summary>
    Task<MediaResult> UploadAsync(Stream content, string? fileName, CancellationToken cancellationToken = default);

    /// <summary>A live (not deleted) item, or null.</summary>
    Task<MediaItem?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    Task<MediaPage> SearchAsync(MediaQuery query, CancellationToken cancellationToken = default);

    Task<MediaResult> UpdateDetailsAsync(Guid id, MediaDetails details, CancellationToken cancellationToken = default);

    /// <summary>What references the item, from every registered <see cref="IMediaUsageProvider"/>.</summary>
    Task<IReadOnlyList<MediaUsage>> FindUsagesAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes (soft) the item. When something references it and <paramref name="confirmedDespiteUsages"/> is false,
    /// nothing changes and the result is <see cref="MediaError.InUse"/> with the usages.
    /// </summary>
    Task<MediaResult> DeleteAsync(Guid id, bool confirmedDespiteUsages, CancellationToken cancellationToken = default);

    /// <summary>The stored file of a live item, or null.</summary>
    Task<MediaContent?> OpenAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// A live item's thumbnail (made on first request and kept on disk), or — for a file that is not an image,
    /// cannot be decoded, or announces more pixels than allowed — the stored file itself; null when there is no item.
    /// </summary>
    Task<MediaContent?> OpenThumbnailAsync(Guid id, CancellationToken cancellationToken = default);
}
