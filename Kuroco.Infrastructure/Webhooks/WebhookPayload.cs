using System.Text;
using System.Text.Json;
using Kuroco.Core.Webhooks;

namespace Kuroco.Infrastructure.Webhooks;

/// <summary>The JSON body: <c>{id, type, occurredAt, contentType, item: {id, slug, restricted}, data}</c> (restricted: the item is member-only).</summary>
public static class WebhookPayload
{
    private static readonly JsonSerializerOptions DataOptions = new(JsonSerializerDefaults.Web);

    public static string Build(Guid eventId, WebhookEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", eventId);
            writer.WriteString("type", e.EventType);
            writer.WriteString("occurredAt", e.OccurredAtUtc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("contentType", e.TypeApiId);
            writer.WriteStartObject("item");
            writer.WriteString("id", e.ItemId);
            if (e.Slug is null)
            {
                writer.WriteNull("slug");
            }
            else
            {
                writer.WriteString("slug", e.Slug);
            }
            writer.WriteBoolean("restricted", e.Restricted);
            writer.WriteEndObject();
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, e.Data, DataOptions);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
