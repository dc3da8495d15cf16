using System.Text;

namespace Kuroco.Core.Common;

/// <summary>The text encodings CSV files are read and written in.</summary>
public enum CsvEncoding
{
    /// <summary>UTF-8; read with or without a byte order mark, written with one (so spreadsheets do not guess).</summary>
    Utf8 = 0,

    /// <summary>Shift_JIS as Windows writes it (code page 932, CP932): what Excel in Japan saves by default.</summary>
    ShiftJis = 1,
}

/// <summary>What <see cref="CsvEncodings.Detect"/> found: the encoding and whether the file starts with a UTF-8 byte order mark.</summary>
public sealed record CsvEncodingDetection(CsvEncoding Encoding, bool HasBom);

public static class CsvEncodings
{
    /// <summary>The code page of Shift_JIS as Windows and Excel write it (CP932: Shift_JIS with the NEC and IBM extensions).</summary>
    public const int ShiftJisCodePage = 932;

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    static CsvEncodings()
    {
        // .NET Core knows only Unicode encodings until the code-page provider is registered (idempotent).
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>How the name is written in a Content-Type header and in the console.</summary>
    public static string WebName(CsvEncoding encoding) => encoding == CsvEncoding.ShiftJis ? "shift_jis" : "utf-8";

    /// <summary>Parses "utf-8"/"utf8" or "shift_jis"/"sjis"/"cp932" (case-insensitive); anything else is null.</summary>
    public static CsvEncoding? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "utf-8" or "utf8" => CsvEncoding.Utf8,
        "shift_jis" or "shift-jis" or "sjis" or "cp932" or "windows-31j" => CsvEncoding.ShiftJis,
        _ => null,
    };

    /// <summary>The encoding to read with: invalid bytes become U+FFFD (the import refuses such rows), a BOM is skipped.</summary>
    public static Encoding ForReading(CsvEncoding encoding) => encoding == CsvEncoding.ShiftJis
        ? Encoding.GetEncoding(ShiftJisCodePage)
        : new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>
    /// The encoding to write with: UTF-8 with a byte order mark, or CP932, where a character it cannot hold (emoji, rare
    /// kanji outside JIS X 0208 and the Windows extensions) is written as "?".
    /// </summary>
    public static Encoding ForWriting(CsvEncoding encoding) => encoding == CsvEncoding.ShiftJis
        ? Encoding.GetEncoding(ShiftJisCodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback)
        : new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    /// <summary>
    /// Guesses the encoding of a file: a UTF-8 byte order mark says UTF-8; otherwise the whole stream is checked, and a
    /// stream that is valid UTF-8 (plain ASCII included) is UTF-8, anything else CP932. Reads from the current position.
    /// </summary>
    public static CsvEncodingDetection Detect(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var buffer = new byte[64 * 1024];
        var read = ReadAtLeast(content, buffer, Utf8Bom.Length);
        if (read >= Utf8Bom.Length && buffer.AsSpan(0, Utf8Bom.Length).SequenceEqual(Utf8Bom))
        {
            return new CsvEncodingDetection(CsvEncoding.Utf8, HasBom: true);
        }
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var chars = new char[buffer.Length + 4];
        try
        {
            while (read > 0)
            {
                decoder.GetChars(buffer, 0, read, chars, 0, flush: false);
                read = content.Read(buffer, 0, buffer.Length);
            }
            decoder.GetChars([], 0, 0, chars, 0, flush: true);
            return new CsvEncodingDetection(CsvEncoding.Utf8, HasBom: false);
        }
        catch (DecoderFallbackException)
        {
            return new CsvEncodingDetection(CsvEncoding.ShiftJis, HasBom: false);
        }
    }

    private static int ReadAtLeast(Stream content, byte[] buffer, int minimum)
    {
        var total = 0;
        while (total < minimum)
        {
            var read = content.Read(buffer, total, buffer.Length - total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }
}
