using Kuroco.Admin.Audit;
using Kuroco.Tests.Integration.Audit;
using PdfSharp.Pdf;

namespace Kuroco.Tests.Unit.Sla;

/// <summary>The PDF writer's bar chart (the SLA report's days): one bar per value, red below the mark, the scale beside it.</summary>
public sealed class SlaChartTests
{
    [Fact]
    public void Each_value_is_a_bar_green_at_or_above_the_mark_and_red_below_it_with_the_scale_and_every_nth_label()
    {
        var face = AuditReviewFontResolver.Prepare(null, japanese: false);
        using var document = new PdfDocument();
        var writer = new AuditReviewPdf.Writer(document, face);
        writer.Bars([100, 99.5, 99.9, 0, 99.95], ["1", "2", "3", "4", "5"], floor: 99, ceiling: 100, mark: 99.9,
            axis: v => v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " %", labelEvery: 2);
        var pdf = writer.Save();

        var met = string.Join(",", new[] { AuditReviewPdf.Writer.Met.R, AuditReviewPdf.Writer.Met.G, AuditReviewPdf.Writer.Met.B });
        var missed = string.Join(",", new[] { AuditReviewPdf.Writer.Missed.R, AuditReviewPdf.Writer.Missed.G, AuditReviewPdf.Writer.Missed.B });
        Assert.Equal([met, missed, met, missed, met], PdfText.FilledRectangles(pdf));
        var text = PdfText.Extract(pdf);
        Assert.Contains("1\n3\n5\n", text, StringComparison.Ordinal);
        Assert.Contains("99.0 %\n99.9 %\n100.0 %\n", text, StringComparison.Ordinal);
    }
}
