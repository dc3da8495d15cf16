using Kuroco.Core.Content;
using Markdig;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// Markdown through Markdig (CommonMark plus tables, task lists and auto-links). Raw HTML in the source is
/// rendered as text (DisableHtml), and the result still goes through the rich-text sanitizer, so a
/// <c>[link](javascript:…)</c> loses its URL too.
/// </summary>
internal sealed class MarkdownRenderer(IHtmlContentSanitizer sanitizer) : IMarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseTaskLists()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    public string ToSafeHtml(string markdown) =>
        string.IsNullOrEmpty(markdown) ? "" : sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));
}
