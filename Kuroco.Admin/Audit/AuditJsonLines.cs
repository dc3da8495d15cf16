using System.Globalization;
using System.Text.Json;
using Kuroco.Core.Audit;

namespace Kuroco.Admin.Audit;

/// <summary>
/// One audit entry as one JSON Lines object: every stored field (the hash covers them), the local time in the viewer's
/// zone, and the changes as a JSON array (secrets masked again on the way out).
/// </summary>
public static class AuditJsonLines
{
    /// <summary>One entry; <paramref name="summary"/> is the summary rendered in the viewer's language (the stored one when null).</summary>
    public static void Write(Utf8JsonWriter json, AuditEntry entry, TimeZoneInfo zone, string? summary = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(zone);
        var utc = DateTime.SpecifyKind(entry.OccurredAtUtc, DateTimeKind.Utc);
        json.WriteStartObject();
        json.WriteNumber("sequence", entry.Sequence);
        json.WriteString("occurredAtUtc", utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("occurredAtLocal", TimeZoneInfo.ConvertTimeFromUtc(utc, zone).ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture));
        json.WriteString("timeZone", zone.Id);
        json.WriteString("actorId", entry.ActorId);
        json.WriteString("actorName", entry.ActorName);
        json.WriteStartArray("actorRoles");
        foreach (var role in entry.ActorRoles.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            json.WriteStringValue(role);
        }
        json.WriteEndArray();
        json.WriteString("action", entry.Action);
        json.WriteString("entityType", entry.EntityType);
        json.WriteString("entityId", entry.EntityId);
        json.WriteString("summary", summary ?? entry.Summary);
        json.WriteNumber("formatVersion", entry.FormatVersion);
        if (entry.Parameters is { Length: > 0 } parameters)
        {
            // Stored as a JSON object (keys sorted): written as one, not as a string.
            json.WritePropertyName("parameters");
            try
            {
                using var document = JsonDocument.Parse(parameters);
                document.RootElement.WriteTo(json);
            }
            catch (JsonException)
            {
                json.WriteStringValue(parameters);
            }
        }
        else
        {
            json.WriteNull("parameters");
        }
        json.WriteString("outcome", entry.Outcome.ToString());
        json.WriteString("ipAddress", entry.IpAddress);
        json.WriteString("userAgent", entry.UserAgent);
        json.WriteString("correlationId", entry.CorrelationId);
        json.WriteStartArray("changes");
        foreach (var change in ReadChanges(entry.Changes))
        {
            json.WriteStartObject();
            json.WriteString("field", change.Field);
            json.WriteString("before", change.Before);
            json.WriteString("after", change.After);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteString("previousHash", entry.PreviousHash);
        json.WriteString("hash", entry.Hash);
        json.WriteEndObject();
    }

    private static IEnumerable<FieldChange> ReadChanges(string? changes)
    {
        try
        {
            return AuditChanges.Deserialize(changes).Select(AuditChanges.Mask);
        }
        catch (JsonException)
        {
            // Unreadable changes are exported as they are stored, as one pseudo-field, rather than dropped.
            return [new FieldChange("(unreadable)", null, changes)];
        }
    }
}
