using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Kuroco.Tests.Support;

/// <summary>Small files of each format, built byte by byte so the tests say exactly what they contain.</summary>
public static class MediaSamples
{
    /// <summary>A real, decodable PNG (RGB, one colour) of the given size.</summary>
    public static byte[] Png(int width, int height, byte red = 0x33, byte green = 0x99, byte blue = 0xCC)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0, 4), width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4, 4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        WriteChunk(output, "IHDR", header);
        var raw = new byte[height * (1 + (width * 3))];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + (width * 3));
            for (var x = 0; x < width; x++)
            {
                raw[row + 1 + (x * 3)] = red;
                raw[row + 2 + (x * 3)] = green;
                raw[row + 3 + (x * 3)] = blue;
            }
        }
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write(raw);
            }
            WriteChunk(output, "IDAT", compressed.ToArray());
        }
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>
    /// A PNG whose header announces <paramref name="width"/> × <paramref name="height"/> but whose image data is a few
    /// bytes (a decode bomb when large, an undecodable image when small): valid signature, IHDR and CRCs.
    /// </summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0, 4), width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4, 4), height);
        header[8] = 8;
        header[9] = 2;
        WriteChunk(output, "IHDR", header);
        WriteChunk(output, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>A JPEG's markers up to its frame header (APP0 JFIF, an APP1 padding segment, SOF0), then EOI.</summary>
    public static byte[] Jpeg(int width, int height, int app1Padding = 100)
    {
        using var output = new MemoryStream();
        output.Write([0xFF, 0xD8]);
        output.Write([0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
        var app1 = new byte[app1Padding + 4];
        app1[0] = 0xFF;
        app1[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(app1.AsSpan(2, 2), (ushort)(app1Padding + 2));
        output.Write(app1);
        output.Write([0xFF, 0xFF]); // a fill byte before the next marker is allowed
        var sof = new byte[] { 0xC0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01 };
        BinaryPrimitives.WriteUInt16BigEndian(sof.AsSpan(4, 2), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(sof.AsSpan(6, 2), (ushort)width);
        output.Write(sof);
        output.Write([0xFF, 0xD9]);
        return output.ToArray();
    }

    public static byte[] Gif(int width, int height)
    {
        var bytes = new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a', 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x3B };
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6, 2), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8, 2), (ushort)height);
        return bytes;
    }

    /// <summary>Lossy WebP ("VP8 " chunk): frame tag, start code, 14-bit sizes.</summary>
    public static byte[] WebPLossy(int width, int height)
    {
        var data = new byte[10];
        data[3] = 0x9D;
        data[4] = 0x01;
        data[5] = 0x2A;
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(6, 2), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(8, 2), (ushort)height);
        return Riff("VP8 ", data);
    }

    /// <summary>Lossless WebP ("VP8L"): signature 0x2F and 14-bit width-1 / height-1.</summary>
    public static byte[] WebPLossless(int width, int height)
    {
        var data = new byte[10];
        data[0] = 0x2F;
        var bits = (uint)(width - 1) | ((uint)(height - 1) << 14);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(1, 4), bits);
        return Riff("VP8L", data);
    }

    /// <summary>Extended WebP ("VP8X"): 24-bit canvas width-1 / height-1.</summary>
    public static byte[] WebPExtended(int width, int height)
    {
        var data = new byte[10];
        data[4] = (byte)((width - 1) & 0xFF);
        data[5] = (byte)(((width - 1) >> 8) & 0xFF);
        data[6] = (byte)(((width - 1) >> 16) & 0xFF);
        data[7] = (byte)((height - 1) & 0xFF);
        data[8] = (byte)(((height - 1) >> 8) & 0xFF);
        data[9] = (byte)(((height - 1) >> 16) & 0xFF);
        return Riff("VP8X", data);
    }

    public static byte[] Pdf() => Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Riff(string chunk, byte[] data)
    {
        using var output = new MemoryStream();
        output.Write("RIFF"u8);
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)(4 + 8 + data.Length));
        output.Write(size);
        output.Write("WEBP"u8);
        output.Write(Encoding.ASCII.GetBytes(chunk));
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)data.Length);
        output.Write(size);
        output.Write(data);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32([.. typeBytes, .. data]));
        output.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }
}
