using Kuroco.Core.Media;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Media;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Kuroco.Tests.Unit.Media;

/// <summary>The thumbnailer on real files in a temporary data folder: size fitting, EXIF orientation, the pixel guard.</summary>
public sealed class MediaThumbnailerTests : IDisposable
{
    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "kuroco-thumbs", Guid.NewGuid().ToString("N"));

    public MediaThumbnailerTests() => Directory.CreateDirectory(dataPath);

    public void Dispose() => Directory.Delete(dataPath, recursive: true);

    private MediaThumbnailer Thumbnailer(long maxPixels = MediaThumbnails.DefaultMaxSourcePixels) => new(
        new MediaFileStore(Options.Create(new StorageOptions { DataPath = dataPath })),
        Options.Create(new MediaOptions { ThumbnailMaxSourcePixels = maxPixels }),
        NullLogger<MediaThumbnailer>.Instance);

    private string Write(byte[] bytes)
    {
        var path = Path.Combine(dataPath, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A JPEG whose left half is red and right half blue.</summary>
    private static byte[] HalfRedHalfBlueJpeg(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var red = new SKPaint { Color = SKColors.Red };
            using var blue = new SKPaint { Color = SKColors.Blue };
            canvas.DrawRect(0, 0, width / 2f, height, red);
            canvas.DrawRect(width / 2f, 0, width / 2f, height, blue);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    /// <summary>The JPEG with an EXIF APP1 segment (big-endian TIFF, one IFD entry: Orientation) right after SOI.</summary>
    private static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] exif =
        [
            0xFF, 0xE1, 0x00, 0x22, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
            0x00, 0x01,
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, (byte)(orientation >> 8), (byte)orientation, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ];
        return [.. jpeg[..2], .. exif, .. jpeg[2..]];
    }

    private static MediaItem Item(string contentType, int? width = null, int? height = null) =>
        new() { Id = Guid.NewGuid(), ContentType = contentType, Width = width, Height = height };

    [Theory]
    [InlineData(1000, 500, 320, 160)]
    [InlineData(500, 1000, 160, 320)]
    [InlineData(320, 320, 320, 320)]
    [InlineData(100, 40, 100, 40)]
    [InlineData(5000, 3, 320, 1)]
    public void Fit_keeps_the_aspect_inside_the_size_and_never_enlarges(int width, int height, int expectedWidth, int expectedHeight) =>
        Assert.Equal((expectedWidth, expectedHeight), MediaThumbnailer.Fit(width, height, 320));

    [Fact]
    public async Task A_photo_taken_sideways_is_turned_as_its_exif_orientation_says()
    {
        // Orientation 6: the camera was turned clockwise; shown upright, the stored left edge is at the top.
        var source = Write(WithExifOrientation(HalfRedHalfBlueJpeg(640, 320), 6));

        var path = await Thumbnailer().GetOrCreateAsync(Item("image/jpeg"), source, CancellationToken.None);

        using var thumb = SKBitmap.Decode(path);
        Assert.Equal((160, 320), (thumb.Width, thumb.Height));
        var top = thumb.GetPixel(80, 40);
        var bottom = thumb.GetPixel(80, 280);
        Assert.True(top.Red > 200 && top.Blue < 60, $"top is {top}");
        Assert.True(bottom.Blue > 200 && bottom.Red < 60, $"bottom is {bottom}");
    }

    [Fact]
    public async Task An_upright_jpeg_keeps_its_orientation_and_is_decoded_at_a_reduced_scale()
    {
        var source = Write(HalfRedHalfBlueJpeg(2400, 1200));

        var path = await Thumbnailer().GetOrCreateAsync(Item("image/jpeg"), source, CancellationToken.None);

        using var thumb = SKBitmap.Decode(path);
        Assert.Equal((320, 160), (thumb.Width, thumb.Height));
        Assert.True(thumb.GetPixel(40, 80).Red > 200);
        Assert.True(thumb.GetPixel(280, 80).Blue > 200);
        Assert.EndsWith(".webp", path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pixel_guard_reads_the_file_header_too_when_the_item_has_no_recorded_size()
    {
        var source = Write(HalfRedHalfBlueJpeg(400, 300));

        var refused = await Thumbnailer(maxPixels: 100_000).GetOrCreateAsync(Item("image/jpeg"), source, CancellationToken.None);
        var refusedByRecord = await Thumbnailer(maxPixels: 100_000).GetOrCreateAsync(Item("image/jpeg", 400, 300), source, CancellationToken.None);
        var allowed = await Thumbnailer(maxPixels: 120_000).GetOrCreateAsync(Item("image/jpeg"), source, CancellationToken.None);

        Assert.Null(refused);
        Assert.Null(refusedByRecord);
        Assert.NotNull(allowed);
    }

    [Fact]
    public async Task Files_that_are_not_images_get_no_thumbnail()
    {
        var source = Write("%PDF-1.4\n"u8.ToArray());
        Assert.Null(await Thumbnailer().GetOrCreateAsync(Item("application/pdf"), source, CancellationToken.None));
    }
}
