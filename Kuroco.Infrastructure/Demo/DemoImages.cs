using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Kuroco.Infrastructure.Demo;

/// <summary>
/// Small, valid PNG pictures drawn in code for the demo (no files shipped, no network): a diagonal
/// gradient between two colours with a soft disc, like a stylised sunrise. RGB, 8 bits, zlib-compressed.
/// </summary>
internal static class DemoImages
{
    public const int Width = 480;
    public const int Height = 270;

    private static readonly uint[] CrcTable = BuildCrcTable();

    public static byte[] Gradient((byte R, byte G, byte B) from, (byte R, byte G, byte B) to, int discX, int discY)
    {
        var stride = 1 + (Width * 3);
        var raw = new byte[Height * stride];
        var radius = Height / 4.0;
        for (var y = 0; y < Height; y++)
        {
            raw[y * stride] = 0; // filter: none
            for (var x = 0; x < Width; x++)
            {
                var t = (x + y) / (double)(Width + Height - 2);
                var r = Mix(from.R, to.R, t);
                var g = Mix(from.G, to.G, t);
                var b = Mix(from.B, to.B, t);
                var distance = Math.Sqrt(((x - discX) * (x - discX)) + ((y - discY) * (y - discY)));
                if (distance < radius)
                {
                    // A light disc with a soft edge.
                    var glow = Math.Clamp((radius - distance) / 8.0, 0, 1) * 0.55;
                    r += (255 - r) * glow;
                    g += (255 - g) * glow;
                    b += (255 - b) * glow;
                }
                var at = (y * stride) + 1 + (x * 3);
                raw[at] = (byte)Math.Round(r);
                raw[at + 1] = (byte)Math.Round(g);
                raw[at + 2] = (byte)Math.Round(b);
            }
        }

        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0, 4), Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4, 4), Height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        WriteChunk(output, "IHDR", header);
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

    private static double Mix(byte a, byte b, double t) => a + ((b - a) * t);

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        output.Write(number);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = 0xFFFFFFFFu;
        crc = Update(crc, typeBytes);
        crc = Update(crc, data);
        BinaryPrimitives.WriteUInt32BigEndian(number, crc ^ 0xFFFFFFFFu);
        output.Write(number);
    }

    private static uint Update(uint crc, byte[] data)
    {
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
