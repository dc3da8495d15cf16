using System.Buffers.Binary;
using System.Text;

namespace Kuroco.Core.Media;

/// <summary>Why a file was refused; each code has a localized message (<see cref="MediaMessages"/>).</summary>
public enum MediaRejection
{
    None = 0,
    Empty,
    TypeNotAllowed,
    SvgNotAllowed,
    MarkupNotAllowed,
    TextNotUtf8,
    DamagedImage,
    TooLarge,
}

/// <summary>What the content is: an allowed format (with an image's size), or why it was refused.</summary>
public sealed record MediaDetection(MediaFormat? Format, MediaRejection Rejection, int? Width = null, int? Height = null)
{
    public bool IsAllowed => Format is not null && Rejection == MediaRejection.None;

    public static MediaDetection Refused(MediaRejection reason) => new(null, reason);
}

/// <summary>
/// Detects a file's type from its content (magic bytes) against the allowlist in <see cref="MediaFormats"/>,
/// never from its name or the client's Content-Type, and reads an image's width and height from its header.
/// Pure: reads the given seekable stream only.
/// </summary>
public static class MediaDetector
{
    /// <summary>Largest side accepted for an image (a header claiming more is treated as damaged).</summary>
    public const int MaxImageSide = 65_535 * 4;

    /// <summary>How much of a text file is searched for markup.</summary>
    private const int MarkupScanBytes = 4096;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly string[] MarkupMarkers =
        ["<script", "<html", "<!doctype", "<svg", "<iframe", "<body", "<head", "<?xml", "<object", "<embed", "javascript:", "<meta", "<img", "<a ", "<div", "<style", "<link", "<form"];

    /// <param name="content">Seekable; read from its start.</param>
    /// <param name="fileName">Used only to tell CSV from plain text once the content is known to be safe text.</param>
    public static MediaDetection Detect(Stream content, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanSeek)
        {
            throw new ArgumentException("The content must be seekable.", nameof(content));
        }
        if (content.Length == 0)
        {
            return MediaDetection.Refused(MediaRejection.Empty);
        }
        content.Position = 0;
        var head = new byte[64];
        var read = ReadAtLeast(content, head);
        var span = head.AsSpan(0, read);

        if (span.StartsWith(PngSignature))
        {
            return Image(MediaFormats.Png, ImageHeaders.TryReadPng(span));
        }
        if (span.Length >= 3 && span[0] == 0xFF && span[1] == 0xD8 && span[2] == 0xFF)
        {
            content.Position = 0;
            return Image(MediaFormats.Jpeg, ImageHeaders.TryReadJpeg(content));
        }
        if (span.StartsWith("GIF87a"u8) || span.StartsWith("GIF89a"u8))
        {
            return Image(MediaFormats.Gif, ImageHeaders.TryReadGif(span));
        }
        if (span.Length >= 12 && span.StartsWith("RIFF"u8) && span[8..12].SequenceEqual("WEBP"u8))
        {
            return Image(MediaFormats.WebP, ImageHeaders.TryReadWebP(span));
        }
        if (span.StartsWith("%PDF-"u8))
        {
            return new MediaDetection(MediaFormats.Pdf, MediaRejection.None);
        }
        content.Position = 0;
        return DetectText(content, fileName);
    }

    private static MediaDetection Image(MediaFormat format, (int Width, int Height)? size) =>
        size is { } s && s.Width > 0 && s.Height > 0 && s.Width <= MaxImageSide && s.Height <= MaxImageSide
            ? new MediaDetection(format, MediaRejection.None, s.Width, s.Height)
            : MediaDetection.Refused(MediaRejection.DamagedImage);

    /// <summary>
    /// Plain text or CSV: valid UTF-8 throughout, no NUL or other control characters than tab, CR, LF
    /// and form feed, and no markup (HTML, SVG, XML, script) that a browser could be talked into running.
    /// </summary>
    private static MediaDetection DetectText(Stream content, string? fileName)
    {
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[16 * 1024];
        var chars = new char[bytes.Length + 4];
        var start = new StringBuilder();
        int n;
        try
        {
            while ((n = content.Read(bytes, 0, bytes.Length)) > 0)
            {
                var count = decoder.GetChars(bytes, 0, n, chars, 0, flush: false);
                for (var i = 0; i < count; i++)
                {
                    var c = chars[i];
                    if (c < 0x20 && c is not ('\t' or '\r' or '\n' or '\f'))
                    {
                        return MediaDetection.Refused(MediaRejection.TypeNotAllowed);
                    }
                    if (c == '\u007F')
                    {
                        return MediaDetection.Refused(MediaRejection.TypeNotAllowed);
                    }
                }
                if (start.Length < MarkupScanBytes)
                {
                    start.Append(chars, 0, Math.Min(count, MarkupScanBytes - start.Length));
                }
            }
            var tail = decoder.GetChars([], 0, 0, chars, 0, flush: true);
            if (tail > 0 && start.Length < MarkupScanBytes)
            {
                start.Append(chars, 0, tail);
            }
        }
        catch (DecoderFallbackException)
        {
            // Only the message depends on the name: a text file in another encoding, or some binary type.
            return MediaDetection.Refused(IsTextName(fileName) ? MediaRejection.TextNotUtf8 : MediaRejection.TypeNotAllowed);
        }

        var text = start.ToString().TrimStart('\uFEFF', ' ', '\t', '\r', '\n', '\f');
        var lower = text.ToLowerInvariant();
        if (lower.Contains("<svg", StringComparison.Ordinal))
        {
            return MediaDetection.Refused(MediaRejection.SvgNotAllowed);
        }
        if (text.StartsWith('<') || MarkupMarkers.Any(m => lower.Contains(m, StringComparison.Ordinal)))
        {
            return MediaDetection.Refused(MediaRejection.MarkupNotAllowed);
        }
        var isCsv = fileName is not null && fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        return new MediaDetection(isCsv ? MediaFormats.Csv : MediaFormats.PlainText, MediaRejection.None);
    }

    private static bool IsTextName(string? fileName) =>
        fileName is not null && (fileName.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase));

    private static int ReadAtLeast(Stream stream, byte[] buffer)
    {
        var total = 0;
        int n;
        while (total < buffer.Length && (n = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += n;
        }
        return total;
    }
}

/// <summary>Width and height from image headers: PNG IHDR, GIF logical screen, WebP VP8/VP8L/VP8X, JPEG SOFn.</summary>
public static class ImageHeaders
{
    public static (int Width, int Height)? TryReadPng(ReadOnlySpan<byte> head)
    {
        // Signature (8), then the first chunk must be IHDR: length (4), type (4), width (4, BE), height (4, BE).
        if (head.Length < 24 || !head[12..16].SequenceEqual("IHDR"u8))
        {
            return null;
        }
        var width = BinaryPrimitives.ReadUInt32BigEndian(head[16..20]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(head[20..24]);
        return width > int.MaxValue || height > int.MaxValue ? null : ((int)width, (int)height);
    }

    public static (int Width, int Height)? TryReadGif(ReadOnlySpan<byte> head)
    {
        if (head.Length < 10)
        {
            return null;
        }
        return (BinaryPrimitives.ReadUInt16LittleEndian(head[6..8]), BinaryPrimitives.ReadUInt16LittleEndian(head[8..10]));
    }

    public static (int Width, int Height)? TryReadWebP(ReadOnlySpan<byte> head)
    {
        if (head.Length < 30)
        {
            return null;
        }
        var chunk = head[12..16];
        var data = head[20..];
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height (little-endian).
            if (data[3] != 0x9D || data[4] != 0x01 || data[5] != 0x2A)
            {
                return null;
            }
            return (BinaryPrimitives.ReadUInt16LittleEndian(data[6..8]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(data[8..10]) & 0x3FFF);
        }
        if (chunk.SequenceEqual("VP8L"u8))
        {
            // Signature 0x2F, then 14 bits width-1 and 14 bits height-1.
            if (data[0] != 0x2F)
            {
                return null;
            }
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[1..5]);
            return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }
        if (chunk.SequenceEqual("VP8X"u8))
        {
            // Flags (4 bytes), then 24-bit canvas width-1 and height-1.
            var width = data[4] | (data[5] << 8) | (data[6] << 16);
            var height = data[7] | (data[8] << 8) | (data[9] << 16);
            return (width + 1, height + 1);
        }
        return null;
    }

    /// <summary>Walks the JPEG's marker segments to the first start-of-frame (SOF0–SOF15 but DHT, JPG, DAC).</summary>
    public static (int Width, int Height)? TryReadJpeg(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.ReadByte() != 0xFF || stream.ReadByte() != 0xD8)
        {
            return null;
        }
        Span<byte> buffer = stackalloc byte[7];
        for (var segments = 0; segments < 10_000; segments++)
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                return null;
            }
            if (b != 0xFF)
            {
                return null;
            }
            var marker = stream.ReadByte();
            while (marker == 0xFF)
            {
                marker = stream.ReadByte(); // fill bytes
            }
            if (marker < 0)
            {
                return null;
            }
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue; // standalone markers have no length
            }
            if (marker is 0xD9 or 0xDA)
            {
                return null; // end of image or start of scan before any frame header
            }
            if (stream.ReadAtLeast(buffer[..2], 2, throwOnEndOfStream: false) < 2)
            {
                return null;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(buffer[..2]);
            if (length < 2)
            {
                return null;
            }
            var isFrame = marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC);
            if (isFrame)
            {
                if (length < 7 || stream.ReadAtLeast(buffer[..5], 5, throwOnEndOfStream: false) < 5)
                {
                    return null;
                }
                var height = BinaryPrimitives.ReadUInt16BigEndian(buffer[1..3]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(buffer[3..5]);
                return (width, height);
            }
            var skip = length - 2;
            if (stream.Position + skip > stream.Length)
            {
                return null;
            }
            stream.Seek(skip, SeekOrigin.Current);
        }
        return null;
    }
}
