namespace Kuroco.Core.Media;

/// <summary>A file type the library accepts.</summary>
public sealed record MediaFormat(string ContentType, string Extension, bool IsImage);

/// <summary>The allowlist. Anything else is refused.</summary>
public static class MediaFormats
{
    public static readonly MediaFormat Png = new("image/png", ".png", true);
    public static readonly MediaFormat Jpeg = new("image/jpeg", ".jpg", true);
    public static readonly MediaFormat Gif = new("image/gif", ".gif", true);
    public static readonly MediaFormat WebP = new("image/webp", ".webp", true);
    public static readonly MediaFormat Pdf = new("application/pdf", ".pdf", false);
    public static readonly MediaFormat PlainText = new("text/plain; charset=utf-8", ".txt", false);
    public static readonly MediaFormat Csv = new("text/csv; charset=utf-8", ".csv", false);

    public static IReadOnlyList<MediaFormat> All { get; } = [Png, Jpeg, Gif, WebP, Pdf, PlainText, Csv];

    /// <summary>Images are shown inline; everything else is served as an attachment.</summary>
    public static bool IsImageType(string? contentType) =>
        All.Any(f => f.IsImage && string.Equals(f.ContentType, contentType, StringComparison.Ordinal));

    /// <summary>The HTML accept attribute for file pickers (a hint only: the server decides from the content).</summary>
    public const string AcceptAttribute = "image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/csv,.png,.jpg,.jpeg,.gif,.webp,.pdf,.txt,.csv";

    public const string ImagesAcceptAttribute = "image/png,image/jpeg,image/gif,image/webp,.png,.jpg,.jpeg,.gif,.webp";
}
