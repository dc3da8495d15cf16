using System.Globalization;
using System.Text;
using Kuroco.Admin.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Security.SelfAssessment;
using PdfSharp.Pdf;

namespace Kuroco.Admin.Security.SelfAssessment;

/// <summary>
/// The self-assessment for customers' security check sheets: a CSV (UTF-8 with a byte order mark so Excel reads the
/// Japanese, every cell through <see cref="CsvCells"/> so nothing runs as a formula) and a PDF (PDFsharp with the audit
/// review's font resolver, so Japanese has a CJK font).
/// </summary>
internal static class SelfAssessmentExports
{
    public static byte[] Csv(SelfAssessmentReport report, SelfAssessmentText text)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder();
        builder.Append(CsvCells.Line([CsvCells.Text(text["Group"]), CsvCells.Text(text["Item"]), CsvCells.Text(text["Status"]),
            CsvCells.Text(text["Check"]), CsvCells.Text(text["How the product addresses it"]), CsvCells.Text(text["Evidence"]), CsvCells.Text(text["Generated"])]));
        var generated = text.Time(report.GeneratedAtUtc) + " (" + text.Zone.Id + ")";
        foreach (var item in report.Items)
        {
            builder.Append(CsvCells.Line([CsvCells.Text(text.Group(item.Group)), CsvCells.Text(text.Title(item.Code)), CsvCells.Text(text.Status(item.Status)),
                CsvCells.Text(text.Check(item)), CsvCells.Text(text.How(item.Code)), CsvCells.Text(text.Evidence(item, "\n")), CsvCells.Text(generated)]));
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(builder.ToString())];
    }

    public static byte[] Pdf(SelfAssessmentReport report, SelfAssessmentText text, string? configuredFontPath, bool japanese)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(text);
        var face = AuditReviewFontResolver.Prepare(configuredFontPath, japanese);
        using var document = new PdfDocument();
        document.Info.Title = text["Kuroco security self-assessment"];
        document.Info.Creator = "Kuroco";
        var writer = new AuditReviewPdf.Writer(document, face);
        writer.Line(text["Kuroco security self-assessment"], 18, bold: true);
        writer.Line(text.Format("Checked {0} ({1}).", text.Time(report.GeneratedAtUtc), text.Zone.Id), 10);
        writer.Line(text.Format("Pass {0} · Warn {1} · Fail {2} · Info {3}",
            Count(report, SelfAssessmentStatus.Pass), Count(report, SelfAssessmentStatus.Warn),
            Count(report, SelfAssessmentStatus.Fail), Count(report, SelfAssessmentStatus.Info)), 10);
        foreach (var group in report.Items.GroupBy(i => i.Group))
        {
            writer.Space(10);
            writer.Line(text.Group(group.Key), 14, bold: true);
            foreach (var item in group)
            {
                writer.Space(4);
                writer.Line("[" + text.Status(item.Status) + "] " + text.Title(item.Code) + " — " + text.Check(item), 11, bold: true);
                writer.Line(text.How(item.Code), 9);
                foreach (var evidence in item.Evidence)
                {
                    writer.Line("・" + text.Evidence(evidence), 9);
                }
            }
        }
        writer.Dispose();
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private static string Count(SelfAssessmentReport report, SelfAssessmentStatus status) =>
        report.Count(status).ToString(CultureInfo.CurrentCulture);
}
