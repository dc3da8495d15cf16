namespace Kuroco.Admin.Components.Pages.Webhooks.Components;

/// <summary>One editable row of the webhook host allowlist (kept by the page, so edits survive switching tabs).</summary>
public sealed class AllowedHostRow
{
    public string Host { get; set; } = "";

    public string? Comment { get; set; }

    public static List<AllowedHostRow> From(IEnumerable<Kuroco.Core.Webhooks.WebhookAllowedHostEntry> hosts) =>
        [.. hosts.Select(h => new AllowedHostRow { Host = h.Host, Comment = h.Comment })];
}
