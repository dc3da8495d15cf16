using Microsoft.AspNetCore.Mvc;

namespace Kuroco.Admin.Audit;

/// <summary>
/// The query string of <c>GET /audit/export.csv</c>: the audit page's own filter (<see cref="AuditFilter.ToQueryString"/>),
/// so the download holds exactly what the page shows. Unreadable values are ignored, as on the page.
/// </summary>
public sealed record AuditExportQuery(
    [FromQuery(Name = "q")] string? Text,
    [FromQuery(Name = "action")] string? Action,
    [FromQuery(Name = "outcome")] string? Outcome,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To)
{
    public AuditFilter ToFilter() => AuditFilter.Parse(Text, Action, Outcome, From, To);
}
