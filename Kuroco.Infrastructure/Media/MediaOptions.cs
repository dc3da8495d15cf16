using Kuroco.Core.Media;

namespace Kuroco.Infrastructure.Media;

/// <summary>Settings under Kuroco:Media.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Kuroco:Media";

    public const long DefaultMaxUploadBytes = 20L * 1024 * 1024;

    /// <summary>Largest file accepted (413 beyond it). Default 20 MiB.</summary>
    public long MaxUploadBytes { get; set; } = DefaultMaxUploadBytes;

    /// <summary>Long side of server-side thumbnails in pixels (64–1024). Default 320.</summary>
    public int ThumbnailSize { get; set; } = MediaThumbnails.DefaultSize;

    /// <summary>Images announcing more pixels than this are never decoded for a thumbnail (the original is served). Default 40 million.</summary>
    public long ThumbnailMaxSourcePixels { get; set; } = MediaThumbnails.DefaultMaxSourcePixels;

    /// <summary>Days a deleted item's file (and thumbnail) is kept before the cleanup job removes it (1–3650). Default 30.</summary>
    public int DeletedFileRetentionDays { get; set; } = 30;

    public bool IsValid() => MaxUploadBytes is > 0 and <= 2L * 1024 * 1024 * 1024
        && ThumbnailSize is >= 64 and <= 1024
        && ThumbnailMaxSourcePixels is >= 1 and <= 1_000_000_000
        && DeletedFileRetentionDays is >= 1 and <= 3650;
}
