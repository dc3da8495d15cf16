using System.Text.Json;
using System.Text.Json.Serialization;
using Kuroco.Core.Backups;

namespace Kuroco.Infrastructure.Backups;

/// <summary>The manifest's and side objects' JSON shape (camelCase, enums as names).</summary>
internal static class BackupJson
{
    public const int FormatVersion = 1;

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static BackupManifest ReadManifest(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<BackupManifest>(json, Options) ?? throw new BackupIntegrityException("the manifest is empty");
}
