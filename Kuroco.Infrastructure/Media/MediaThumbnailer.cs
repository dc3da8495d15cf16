using Kuroco.Core.Media;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Kuroco.Infrastructure.Media;

/// <summary>
/// Server-side thumbnails with Skia (SkiaSharp): made on first request, kept under
/// <c>media/thumbs</c> with names from the item's id, encoded as WebP. Before anything is decoded the
/// image header's dimensions are checked against <see cref="MediaOptions.ThumbnailMaxSourcePixels"/>
/// (a small file can announce gigapixels); JPEGs are decoded at a reduced scale where the codec can;
/// at most two thumbnails are made at once. The EXIF orientation is applied, as browsers do for the original.
/// </summary>
internal sealed partial class MediaThumbnailer(MediaFileStore files, IOptions<MediaOptions> options, ILogger<MediaThumbnailer> logger)
{
    private static readonly SemaphoreSlim Gate = new(2, 2);

    private const int WebpQuality = 80;

    public int Size => options.Value.ThumbnailSize;

    /// <summary>The thumbnail's path (made now if missing), or null when this item gets none (not an image, refused or undecodable).</summary>
    public async Task<string?> GetOrCreateAsync(MediaItem item, string sourcePath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!item.IsImage)
        {
            return null;
        }
        var target = files.ThumbnailPathFor(item.Id, Size);
        if (File.Exists(target))
        {
            return target;
        }
        if (item.Width is { } w && item.Height is { } h && (long)w * h > options.Value.ThumbnailMaxSourcePixels)
        {
            LogTooLarge(logger, item.Id, (long)w * h);
            return null;
        }
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(target))
            {
                return target; // made by a concurrent request
            }
            var temp = files.NewTempPath();
            try
            {
                if (!Create(item.Id, sourcePath, temp))
                {
                    return null;
                }
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(temp, target, overwrite: true);
                return target;
            }
            finally
            {
                MediaFileStore.Delete(temp);
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private bool Create(Guid id, string sourcePath, string targetPath)
    {
        try
        {
            using var stream = File.OpenRead(sourcePath);
            using var codec = SKCodec.Create(stream, out var result);
            if (codec is null)
            {
                LogUndecodable(logger, id, result.ToString());
                return false;
            }
            var info = codec.Info;
            var pixels = (long)info.Width * info.Height;
            if (info.Width <= 0 || info.Height <= 0 || pixels > options.Value.ThumbnailMaxSourcePixels)
            {
                LogTooLarge(logger, id, pixels);
                return false;
            }
            var (width, height) = Fit(info.Width, info.Height, Size);
            // Decode at about twice the target size where the codec can scale (JPEG: 1/2, 1/4, 1/8), then resample.
            var scale = Math.Min(1f, 2f * Math.Max((float)width / info.Width, (float)height / info.Height));
            var decoded = codec.GetScaledDimensions(scale);
            if (decoded.Width < width || decoded.Height < height)
            {
                decoded = new SKSizeI(info.Width, info.Height);
            }
            var decodeInfo = new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
            using var source = new SKBitmap(decodeInfo);
            var decodedResult = codec.GetPixels(decodeInfo, source.GetPixels());
            if (decodedResult is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            {
                LogUndecodable(logger, id, decodedResult.ToString());
                return false;
            }
            using var resized = source.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKCubicResampler.Mitchell));
            if (resized is null)
            {
                LogUndecodable(logger, id, "resize failed");
                return false;
            }
            using var oriented = Orient(resized, codec.EncodedOrigin);
            using var image = SKImage.FromBitmap(oriented ?? resized);
            using var data = image.Encode(SKEncodedImageFormat.Webp, WebpQuality);
            if (data is null)
            {
                LogUndecodable(logger, id, "encode failed");
                return false;
            }
            using var output = File.Create(targetPath);
            data.SaveTo(output);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            LogUndecodable(logger, id, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>The size that fits inside <paramref name="max"/> × <paramref name="max"/> keeping the aspect ratio (never enlarged).</summary>
    internal static (int Width, int Height) Fit(int width, int height, int max)
    {
        if (width <= max && height <= max)
        {
            return (width, height);
        }
        var ratio = Math.Min((double)max / width, (double)max / height);
        return (Math.Max(1, (int)Math.Round(width * ratio)), Math.Max(1, (int)Math.Round(height * ratio)));
    }

    /// <summary>The bitmap turned as its EXIF orientation says, or null when it is already upright.</summary>
    private static SKBitmap? Orient(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return null;
        }
        var (w, h) = (bitmap.Width, bitmap.Height);
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(new SKImageInfo(swap ? h : w, swap ? w : h, bitmap.ColorType, bitmap.AlphaType));
        using var canvas = new SKCanvas(result);
        var matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
            _ => SKMatrix.Identity,
        };
        canvas.SetMatrix(matrix);
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, 0, 0, SKSamplingOptions.Default);
        canvas.Flush();
        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No thumbnail for media {MediaId}: the image announces {Pixels} pixels, more than allowed; the original is served.")]
    private static partial void LogTooLarge(ILogger logger, Guid mediaId, long pixels);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No thumbnail for media {MediaId}: {Reason}; the original is served.")]
    private static partial void LogUndecodable(ILogger logger, Guid mediaId, string reason);
}
