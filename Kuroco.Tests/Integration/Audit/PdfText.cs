using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Content;
using PdfSharp.Pdf.Content.Objects;
using PdfSharp.Pdf.IO;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>
/// The text of a PDF written by PDFsharp, read back with PDFsharp's own reader: each shown string's glyph ids (Identity-H) mapped to Unicode through the fonts' ToUnicode maps. One line per text-showing operator.
/// </summary>
internal static partial class PdfText
{
    public static string Extract(byte[] pdf)
    {
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        var text = new StringBuilder();
        foreach (var page in document.Pages)
        {
            // Per font resource: its glyph-to-Unicode map (Type0, Identity-H), or null for a simple WinAnsi font.
            var maps = new Dictionary<string, Dictionary<int, string>?>(StringComparer.Ordinal);
            var fonts = page.Elements.GetDictionary("/Resources")?.Elements.GetDictionary("/Font");
            foreach (var key in fonts?.Elements.Keys ?? [])
            {
                var font = fonts!.Elements.GetDictionary(key);
                if (font?.Elements.GetDictionary("/ToUnicode")?.Stream is { } stream)
                {
                    var map = new Dictionary<int, string>();
                    ReadCMap(Encoding.ASCII.GetString(stream.UnfilteredValue), map);
                    maps[key] = map;
                }
                else
                {
                    maps[key] = null;
                }
            }
            var current = (Dictionary<int, string>?)null;
            Walk(ContentReader.ReadContent(page), maps, ref current, text);
        }
        return text.ToString();
    }

    private static void Walk(CSequence sequence, Dictionary<string, Dictionary<int, string>?> maps, ref Dictionary<int, string>? current, StringBuilder text)
    {
        foreach (var item in sequence)
        {
            switch (item)
            {
                case COperator { OpCode.Name: "Tf" } tf when tf.Operands.Count > 0 && tf.Operands[0] is CName name:
                    current = maps.GetValueOrDefault(name.Name);
                    break;
                case COperator op when op.OpCode.Name is "Tj" or "TJ" or "'" or "\"":
                    foreach (var operand in op.Operands)
                    {
                        Show(operand, current, text);
                    }
                    text.Append('\n');
                    break;
                case CSequence inner:
                    Walk(inner, maps, ref current, text);
                    break;
            }
        }
    }

    /// <summary>The fill colour (0–255 RGB, "r,g,b") of every filled rectangle the pages draw (<c>re</c> then <c>f</c>), in order.</summary>
    public static List<string> FilledRectangles(byte[] pdf)
    {
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        var found = new List<string>();
        foreach (var page in document.Pages)
        {
            var fill = "0,0,0";
            var pending = 0;
            WalkOperators(ContentReader.ReadContent(page), op =>
            {
                switch (op.OpCode.Name)
                {
                    case "rg" when op.Operands.Count == 3:
                        fill = string.Join(",", op.Operands.Select(o => ((int)Math.Round(Number(o) * 255)).ToString(CultureInfo.InvariantCulture)));
                        break;
                    case "re":
                        pending++;
                        break;
                    case "f" or "f*" or "F":
                        found.AddRange(Enumerable.Repeat(fill, pending));
                        pending = 0;
                        break;
                    case "S" or "s" or "n" or "B" or "b":
                        pending = 0;
                        break;
                }
            });
        }
        return found;
    }

    private static void WalkOperators(CSequence sequence, Action<COperator> visit)
    {
        foreach (var item in sequence)
        {
            if (item is COperator op)
            {
                visit(op);
            }
            else if (item is CSequence inner)
            {
                WalkOperators(inner, visit);
            }
        }
    }

    private static double Number(CObject operand) => operand switch
    {
        CInteger i => i.Value,
        CReal r => r.Value,
        _ => 0,
    };

    private static void Show(CObject operand, Dictionary<int, string>? map, StringBuilder text)
    {
        if (operand is CString s)
        {
            // A simple font's codes are the characters (WinAnsi); a Type0 font's are two-byte glyph ids, one byte per
            // character of the string PDFsharp's reader gives.
            var value = s.Value;
            if (map is null)
            {
                text.Append(value);
                return;
            }
            for (var i = 0; i + 1 < value.Length; i += 2)
            {
                text.Append(map.TryGetValue((value[i] << 8) | value[i + 1], out var unicode) ? unicode : "?");
            }
        }
        else if (operand is CArray array)
        {
            foreach (var part in array)
            {
                Show(part, map, text);
            }
        }
    }

    private static void ReadCMap(string cmap, Dictionary<int, string> map)
    {
        foreach (Match block in BfChar().Matches(cmap))
        {
            foreach (Match pair in Pair().Matches(block.Groups[1].Value))
            {
                map[Hex(pair.Groups[1].Value)] = Utf16(pair.Groups[2].Value);
            }
        }
        foreach (Match block in BfRange().Matches(cmap))
        {
            foreach (Match range in Range().Matches(block.Groups[1].Value))
            {
                var (from, to, first) = (Hex(range.Groups[1].Value), Hex(range.Groups[2].Value), Hex(range.Groups[3].Value));
                for (var g = from; g <= to; g++)
                {
                    map[g] = char.ConvertFromUtf32(first + g - from);
                }
            }
        }
    }

    private static int Hex(string hex) => int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static string Utf16(string hex)
    {
        var builder = new StringBuilder();
        for (var i = 0; i + 3 < hex.Length; i += 4)
        {
            builder.Append((char)Hex(hex.Substring(i, 4)));
        }
        return builder.ToString();
    }

    [GeneratedRegex(@"beginbfchar(.*?)endbfchar", RegexOptions.Singleline)]
    private static partial Regex BfChar();

    [GeneratedRegex(@"beginbfrange(.*?)endbfrange", RegexOptions.Singleline)]
    private static partial Regex BfRange();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex Pair();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex Range();
}
