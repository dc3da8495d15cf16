using Kuroco.Core.Audit;
using Microsoft.AspNetCore.Mvc;

namespace Kuroco.Admin.Audit;

/// <summary>
/// The query string of the audit exports (<c>GET /audit/export.csv</c>, <c>/audit/export.jsonl</c>): the audit page's own
/// filter (<see cref="AuditFilter.ToQueryString"/>), so a download holds exactly what the page shows. A bad value is a 400
/// with the validation errors.
/// </summary>
public sealed record AuditExportQuery(
    [FromQuery(Name = "q")] string? Text,
    [FromQuery(Name = "preset")] string? Preset,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To,
    [FromQuery(Name = "user")] string? User,
    [FromQuery(Name = "role")] string? Role,
    [FromQuery(Name = "action")] string[]? Actions,
    [FromQuery(Name = "entity")] string? EntityType,
    [FromQuery(Name = "entityId")] string? EntityId,
    [FromQuery(Name = "ip")] string? Ip,
    [FromQuery(Name = "outcome")] string? Outcome)
{
    public AuditFilterInput ToInput() => new()
    {
        Text = Text,
        Preset = Preset,
        From = From,
        To = To,
        User = User,
        Role = Role,
        Actions = Actions,
        EntityType = EntityType,
        EntityId = EntityId,
        Ip = Ip,
        Outcome = Outcome,
    };
}
