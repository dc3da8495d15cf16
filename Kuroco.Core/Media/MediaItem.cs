namespace Kuroco.Core.Media;

/// <summary>
/// One uploaded file. The stored file's name and folder come from <see cref="Id"/> only;
/// <see cref="OriginalFileName"/> is display text (sanitized) and never part of a path.
/// </summary>
public sealed class MediaItem
{
    public const int FileNameMaxLength = 255;
    public const int ContentTypeMaxLength = 100;
    public const int AltTextMaxLength = 500;
    public const int TitleMaxLength = 200;
    public const int Sha256Length = 64;
    public const int UploadedByNameMaxLength = 256;

    public Guid Id { get; set; }

    /// <summary>The name the file had on the uploader's computer, sanitized by <see cref="MediaFileName.Sanitize"/>. Display only.</summary>
    public string OriginalFileName { get; set; } = "";

    /// <summary>The type detected from the content (magic bytes), never the client's Content-Type.</summary>
    public string ContentType { get; set; } = "";

    public long SizeBytes { get; set; }

    /// <summary>Lowercase hex SHA-256 of the content; also the HTTP entity tag.</summary>
    public string Sha256 { get; set; } = "";

    public int? Width { get; set; }

    public int? Height { get; set; }

    public string? AltTextJa { get; set; }

    public string? AltTextEn { get; set; }

    public string? TitleJa { get; set; }

    public string? TitleEn { get; set; }

    public string? UploadedByUserId { get; set; }

    public string UploadedByName { get; set; } = "";

    public DateTime UploadedAtUtc { get; set; }

    public DateTime? UpdatedAtUtc { get; set; }

    /// <summary>Set when deleted: the item is no longer listed or served.</summary>
    public DateTime? DeletedAtUtc { get; set; }

    public string? DeletedByUserId { get; set; }

    public bool IsImage => MediaFormats.IsImageType(ContentType);

    /// <summary>The URL the item is served at (signed-in staff only for now).</summary>
    public string Url => MediaPaths.UrlFor(Id);

    /// <summary>A small preview (images: scaled on the server; anything else: the file itself).</summary>
    public string ThumbnailUrl => MediaPaths.ThumbnailUrlFor(Id);
}

public static class MediaPaths
{
    public static string UrlFor(Guid id) => "/media/" + id.ToString("D");

    public static string ThumbnailUrlFor(Guid id) => UrlFor(id) + "/thumbnail";
}

/// <summary>Server-side thumbnails: WebP (keeps transparency, small), at most <see cref="DefaultSize"/> pixels on the long side.</summary>
public static class MediaThumbnails
{
    public const string ContentType = "image/webp";

    public const int DefaultSize = 320;

    /// <summary>Images whose header announces more pixels than this are not decoded (decode bombs); the original is served instead.</summary>
    public const long DefaultMaxSourcePixels = 40_000_000;
}
