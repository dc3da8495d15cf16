using System.Globalization;
using System.Text.Json;
using Kuroco.Core.Audit.Review;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Kuroco.Admin.Audit;

/// <summary>A Japanese PDF was asked for and no font with Japanese glyphs was found.</summary>
public sealed class AuditReviewFontMissingException(string message) : Exception(message);

/// <summary>
/// Finds the TrueType font the review PDF embeds. PDFsharp has no fonts of its own on Linux: the configured file
/// (<c>Kuroco:AuditReview:PdfFontPath</c>) comes first, then common system paths. A Japanese PDF needs a CJK font
/// (Debian: <c>fonts-ipafont-gothic</c> or <c>fonts-noto-cjk</c>); an English one takes any of them, or DejaVu/Liberation.
/// PDFsharp wants one resolver for the whole process, so this is a singleton whose font files are chosen per document.
/// </summary>
internal sealed class AuditReviewFontResolver : IFontResolver
{
    public const string CjkFace = "KurocoCjk";
    public const string LatinFace = "KurocoLatin";

    public static readonly AuditReviewFontResolver Instance = new();

    private static readonly Lock Gate = new();
    private static bool installed;

    public static IReadOnlyList<string> CjkCandidates { get; } =
    [
        "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
        "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
        "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
        "/usr/share/fonts/truetype/ipafont/ipag.ttf",
        "/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf",
        "/usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf",
    ];

    public static IReadOnlyList<string> LatinCandidates { get; } =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        @"C:\Windows\Fonts\arial.ttf",
    ];

    private readonly Dictionary<string, byte[]> faces = new(StringComparer.Ordinal);

    /// <summary>
    /// Picks the font for a document: <paramref name="japanese"/> needs a CJK font (configured or system), otherwise the
    /// configured font, a CJK font or a Latin one. Returns the face name to draw with.
    /// </summary>
    public static string Prepare(string? configuredPath, bool japanese)
    {
        var configured = string.IsNullOrWhiteSpace(configuredPath) ? [] : new[] { configuredPath };
        var cjk = configured.Concat(CjkCandidates).FirstOrDefault(File.Exists);
        string face;
        string? path;
        if (japanese)
        {
            path = cjk ?? throw new AuditReviewFontMissingException(
                "No font with Japanese characters was found for the review PDF. Install Debian's fonts-ipafont-gothic (or fonts-noto-cjk), " +
                "or set Kuroco:AuditReview:PdfFontPath to a TrueType font file with Japanese glyphs. 日本語の PDF に使えるフォントがありません。" +
                "fonts-ipafont-gothic をインストールするか、Kuroco:AuditReview:PdfFontPath に日本語フォントのファイルを指定してください。");
            face = CjkFace;
        }
        else
        {
            path = cjk ?? LatinCandidates.FirstOrDefault(File.Exists) ?? throw new AuditReviewFontMissingException(
                "No TrueType font was found for the review PDF. Install fonts-dejavu-core or fonts-ipafont-gothic, or set Kuroco:AuditReview:PdfFontPath.");
            face = cjk is null ? LatinFace : CjkFace;
        }
        lock (Gate)
        {
            if (!Instance.faces.ContainsKey(face))
            {
                Instance.faces[face] = File.ReadAllBytes(path);
            }
            if (!installed)
            {
                GlobalFontSettings.FontResolver = Instance;
                installed = true;
            }
        }
        return face;
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        // Bold is simulated: one regular file per face is all the review needs.
        new(familyName, bold, false);

    public byte[]? GetFont(string faceName)
    {
        lock (Gate)
        {
            return faces.GetValueOrDefault(faceName);
        }
    }
}

/// <summary>
/// The review as a PDF for the customer's auditors (PDFsharp 6.2.4, MIT), in the viewer's language: the month, its state
/// and sign-off (with the sign-off entry's hash), each finding with its decision and comment, and the totals by area.
/// </summary>
internal static class AuditReviewPdf
{
    private const double Margin = 50;

    public static byte[] Render(AuditReview review, AuditReviewText text, AuditReviewStatus status, string? configuredFontPath, bool japanese)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(text);
        var face = AuditReviewFontResolver.Prepare(configuredFontPath, japanese);
        using var document = new PdfDocument();
        document.Info.Title = text.Format("Audit review {0}", review.Month);
        document.Info.Subject = review.Month;
        document.Info.Creator = "Kuroco";
        var writer = new Writer(document, face);

        writer.Line(text.Format("Audit review {0}", review.Month), 18, bold: true);
        writer.Line(text.Format("Version {0}", review.Version) + " · " + text.Status(status), 11);
        writer.Line(text.Format("Period: {0} to {1} ({2}). {3} entries (sequence {4} to {5}). Prepared {6}.",
            text.Time(review.PeriodStartUtc), text.Time(review.PeriodEndUtc), review.TimeZoneId,
            review.EntryCount.ToString("N0", CultureInfo.CurrentCulture), review.FirstSequence?.ToString(CultureInfo.InvariantCulture) ?? "—",
            review.LastSequence?.ToString(CultureInfo.InvariantCulture) ?? "—", text.Time(review.PreparedAtUtc)), 10);
        if (review.State == AuditReviewState.Signed)
        {
            writer.Line(text.Format("Signed off by {0} on {1}. This review is read-only.", review.SignedByName ?? "", text.Time(review.SignedAtUtc)), 10, bold: true);
            writer.Line(text.Format("Sign-off entry #{0}, hash {1}", review.SignOffSequence ?? 0, review.SignOffHash ?? ""), 9);
        }
        writer.Space(10);
        writer.Line(text.Format("Findings ({0})", review.Findings.Count), 14, bold: true);
        if (review.Findings.Count == 0)
        {
            writer.Line(text["Nothing in this month needs a closer look."], 10);
        }
        foreach (var finding in review.Findings)
        {
            writer.Space(4);
            writer.Line(text.KindName(finding.Kind) + " — " + text.Decision(finding.Decision), 11, bold: true);
            writer.Line(text.Describe(finding), 10);
            writer.Line(text.Format("Entries: {0}", string.Join(", ", finding.SequenceList.Take(20).Select(s => "#" + s.ToString(CultureInfo.InvariantCulture)))
                + (finding.EntryCount > 20 ? ", …" : "")), 9);
            if (finding.Decision != AuditFindingDecision.Open)
            {
                writer.Line(text.Format("{0} by {1} on {2}: {3}", text.Decision(finding.Decision), finding.DecidedByName ?? "",
                    text.Time(finding.DecidedAtUtc), finding.Comment ?? ""), 10);
            }
        }
        writer.Space(10);
        writer.Line(text["Totals by area"], 14, bold: true);
        var totals = JsonSerializer.Deserialize<List<AuditReviewTotal>>(review.Totals, new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? [];
        foreach (var area in totals.GroupBy(t => t.Area))
        {
            writer.Line(area.Key + ": " + area.Sum(t => t.Count).ToString("N0", CultureInfo.CurrentCulture), 10, bold: true);
            foreach (var total in area)
            {
                writer.Line("    " + text.Action(total.Action) + " (" + text.Outcome(total.Outcome) + "): " + total.Count.ToString("N0", CultureInfo.CurrentCulture), 9);
            }
        }
        writer.Dispose();
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    /// <summary>Writes lines top to bottom, wrapping by width (character by character, so Japanese without spaces wraps too) and adding pages.</summary>
    internal sealed class Writer(PdfDocument document, string face) : IDisposable
    {
        private PdfPage? page;
        private XGraphics? graphics;
        private double y;

        public void Space(double points) => y += points;

        public void Line(string value, double size, bool bold = false)
        {
            var font = new XFont(face, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
            foreach (var line in Wrap(value, font))
            {
                var gfx = Graphics(size * 1.4);
                gfx.DrawString(line, font, XBrushes.Black, new XPoint(Margin, y + size));
                y += size * 1.4;
            }
        }

        /// <summary>
        /// One table row on one line: each cell drawn at its column's offset from the left margin (cells are not wrapped;
        /// keep them short). A row that does not fit on the page starts a new one.
        /// </summary>
        public void Row(IReadOnlyList<string> cells, IReadOnlyList<double> columns, double size, bool bold = false)
        {
            ArgumentNullException.ThrowIfNull(cells);
            ArgumentNullException.ThrowIfNull(columns);
            var font = new XFont(face, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
            var gfx = Graphics(size * 1.4);
            for (var i = 0; i < cells.Count && i < columns.Count; i++)
            {
                gfx.DrawString(cells[i], font, XBrushes.Black, new XPoint(Margin + columns[i], y + size));
            }
            y += size * 1.4;
        }

        /// <summary>The colour of a bar at or above the chart's mark (the target).</summary>
        public static readonly XColor Met = XColor.FromArgb(46, 125, 50);

        /// <summary>The colour of a bar below the chart's mark.</summary>
        public static readonly XColor Missed = XColor.FromArgb(198, 40, 40);

        /// <summary>
        /// A bar chart across the page: one bar per value, scaled from <paramref name="floor"/> to <paramref name="ceiling"/>, in
        /// <see cref="Met"/> at or above <paramref name="mark"/> and <see cref="Missed"/> below it, a dashed line at the mark, the
        /// floor, mark and ceiling written on the left (through <paramref name="axis"/>) and every <paramref name="labelEvery"/>th label
        /// under its bar. Starts a new page when it does not fit.
        /// </summary>
        public void Bars(IReadOnlyList<double> values, IReadOnlyList<string> labels, double floor, double ceiling, double mark,
            Func<double, string> axis, int labelEvery, double height = 100)
        {
            ArgumentNullException.ThrowIfNull(values);
            ArgumentNullException.ThrowIfNull(labels);
            ArgumentNullException.ThrowIfNull(axis);
            if (values.Count == 0 || ceiling <= floor)
            {
                return;
            }
            const double AxisWidth = 48;
            const double Size = 7;
            var gfx = Graphics(height + (Size * 3));
            var font = new XFont(face, Size, XFontStyleEx.Regular);
            var left = Margin + AxisWidth;
            var width = page!.Width.Point - (2 * Margin) - AxisWidth;
            var top = y + (Size / 2);
            var bottom = top + height;
            double Y(double value) => bottom - ((Math.Clamp(value, floor, ceiling) - floor) / (ceiling - floor) * height);

            var slot = width / values.Count;
            for (var i = 0; i < values.Count; i++)
            {
                var barTop = Y(values[i]);
                var brush = new XSolidBrush(values[i] >= mark ? Met : Missed);
                gfx.DrawRectangle(brush, left + (i * slot) + (slot * 0.15), barTop, slot * 0.7, Math.Max(bottom - barTop, 0.5));
                if (i % Math.Max(1, labelEvery) == 0 && i < labels.Count)
                {
                    gfx.DrawString(labels[i], font, XBrushes.Black, new XPoint(left + (i * slot), bottom + Size + 2));
                }
            }
            gfx.DrawLine(XPens.Black, left, bottom, left + width, bottom);
            gfx.DrawLine(new XPen(XColors.Black, 0.6) { DashStyle = XDashStyle.Dash }, left, Y(mark), left + width, Y(mark));
            foreach (var value in new[] { floor, mark, ceiling }.Distinct())
            {
                gfx.DrawString(axis(value), font, XBrushes.Black, new XPoint(Margin, Y(value) + (Size / 2)));
            }
            y = bottom + (Size * 2.5);
        }

        /// <summary>Closes the last page and returns the document's bytes.</summary>
        public byte[] Save()
        {
            Dispose();
            graphics = null;
            using var stream = new MemoryStream();
            document.Save(stream, closeStream: false);
            return stream.ToArray();
        }

        private XGraphics Graphics(double needed)
        {
            if (graphics is null || page is null || y + needed > page.Height.Point - Margin)
            {
                graphics?.Dispose();
                page = document.AddPage();
                page.Size = PdfSharp.PageSize.A4;
                graphics = XGraphics.FromPdfPage(page);
                y = Margin;
            }
            return graphics;
        }

        private IEnumerable<string> Wrap(string value, XFont font)
        {
            var width = (page?.Width.Point ?? 595) - (2 * Margin);
            var gfx = Graphics(0);
            var start = 0;
            var lastBreak = -1;
            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] == ' ')
                {
                    lastBreak = i;
                }
                if (gfx.MeasureString(value[start..(i + 1)], font).Width > width && i > start)
                {
                    var end = lastBreak > start ? lastBreak : i;
                    yield return value[start..end];
                    start = lastBreak > start ? end + 1 : end;
                    lastBreak = -1;
                }
            }
            if (start < value.Length)
            {
                yield return value[start..];
            }
        }

        public void Dispose() => graphics?.Dispose();
    }
}
