using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kuroco.Core.Audit;

/// <summary>
/// The stored form of an entry's parameters: a JSON object with its keys in ordinal order, so the same
/// parameters always store (and hash) alike.
/// </summary>
public static class AuditParameters
{
    // Stored in the database and read by people there: keep Japanese and e-mail addresses readable.
    // Output encoding happens where the text is shown.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Builds parameters from name/value pairs (values in invariant culture).</summary>
    public static IReadOnlyDictionary<string, string?> Of(params ReadOnlySpan<(string Name, string? Value)> pairs)
    {
        var parameters = new Dictionary<string, string?>(pairs.Length, StringComparer.Ordinal);
        foreach (var (name, value) in pairs)
        {
            parameters[name] = value;
        }
        return parameters;
    }

    public static string Serialize(IReadOnlyDictionary<string, string?> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The parameters of a stored entry; empty when there are none or they cannot be read.</summary>
    public static IReadOnlyDictionary<string, string?> Deserialize(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return new Dictionary<string, string?>(StringComparer.Ordinal);
        }
        try
        {
            var parsed = JsonSerializer.Deserialize<Dictionary<string, string?>>(json);
            return parsed is null
                ? new Dictionary<string, string?>(StringComparer.Ordinal)
                : new Dictionary<string, string?>(parsed, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return new Dictionary<string, string?>(StringComparer.Ordinal);
        }
    }
}
