using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;

namespace Kuroco.Admin.Audit;

/// <summary>
/// Writes audit entries as CSV with the app's one cell rule, <see cref="CsvCells"/> (RFC 4180, and a text cell that a
/// spreadsheet would read as a formula gets a leading apostrophe), so an entry's content can never run as a formula in
/// the auditor's spreadsheet.
/// </summary>
public static class AuditCsv
{
    public static IReadOnlyList<string> Header { get; } =
    [
        "Sequence", "OccurredAtUtc", "OccurredAtLocal", "TimeZone", "ActorId", "ActorName", "ActorRoles",
        "Action", "EntityType", "EntityId", "Summary", "Outcome", "IpAddress", "UserAgent", "CorrelationId",
        "Changes", "PreviousHash", "Hash", "FormatVersion", "Parameters",
    ];

    public static Task WriteHeaderAsync(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return writer.WriteAsync(string.Join(',', Header.Select(Text)) + "\r\n");
    }

    /// <summary>One entry; <paramref name="summary"/> is the summary rendered in the viewer's language (the stored one when null).</summary>
    public static Task WriteRowAsync(TextWriter writer, AuditEntry entry, TimeZoneInfo zone, string? summary = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(zone);
        var utc = DateTime.SpecifyKind(entry.OccurredAtUtc, DateTimeKind.Utc);
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        string[] cells =
        [
            entry.Sequence.ToString(CultureInfo.InvariantCulture),
            utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            Text(zone.Id),
            Text(entry.ActorId),
            Text(entry.ActorName),
            Text(entry.ActorRoles),
            Text(entry.Action),
            Text(entry.EntityType),
            Text(entry.EntityId),
            Text(summary ?? entry.Summary),
            Text(entry.Outcome.ToString()),
            Text(entry.IpAddress),
            Text(entry.UserAgent),
            Text(entry.CorrelationId),
            Text(entry.Changes),
            Text(entry.PreviousHash),
            Text(entry.Hash),
            entry.FormatVersion.ToString(CultureInfo.InvariantCulture),
            Text(entry.Parameters),
        ];
        return writer.WriteAsync(string.Join(',', cells) + "\r\n");
    }

    /// <summary>One text cell: formula-guarded, then quoted if it needs to be (<see cref="CsvCells.Text"/>).</summary>
    public static string Text(string? value) => CsvCells.Text(value);
}
