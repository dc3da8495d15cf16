using Kuroco.Core.Backups;

namespace Kuroco.Infrastructure.Backups;

/// <summary>Object names of a generation.</summary>
internal static class BackupObjects
{
    public const string Manifest = LocalBackupStore.ManifestName;
    public const string SqliteDatabase = "database.db";
    public const string SqlServerDatabase = "database.bak";
    public const string JobStore = "jobs.db";
    public const string Media = "media.tar";
    public const string AuditAnchor = "audit-anchor.json";
    public const string Drill = "drill.json";
    public const string Verification = "verify.json";
}

/// <summary>The key in the manifest does not match the configured key.</summary>
internal sealed class BackupKeyMismatchException(string generationKeyId, string configuredKeyId)
    : Exception($"The generation was encrypted with key {generationKeyId}; the configured key is {configuredKeyId}.")
{
    public string GenerationKeyId { get; } = generationKeyId;
    public string ConfiguredKeyId { get; } = configuredKeyId;
}

/// <summary>Decodes parts and checks them against the manifest (used before commit, by VerifyAsync and by the opener).</summary>
internal sealed class BackupPartReader(BackupKeyStore keys)
{
    /// <summary>The codec a generation was written with; throws <see cref="BackupKeyMismatchException"/> for another key.</summary>
    public BackupCodecSettings SettingsFor(BackupManifest manifest)
    {
        var compression = BackupCodecSettings.ParseCompression(manifest.Compression);
        if (!manifest.Encrypted)
        {
            return new BackupCodecSettings(compression, null);
        }
        var key = keys.GetKey();
        if (!string.Equals(key.Id, manifest.KeyId, StringComparison.Ordinal))
        {
            throw new BackupKeyMismatchException(manifest.KeyId ?? "-", key.Id);
        }
        return new BackupCodecSettings(compression, key);
    }

    /// <summary>
    /// Reads one stored part to its end into <paramref name="destination"/> and compares sizes and SHA-256 (plain and stored)
    /// with the manifest. <paramref name="settings"/> are the generation's; a part written with its own compression (the
    /// database with <c>Backups:DatabaseCompression</c>) says so in <see cref="BackupPart.Compression"/>.
    /// <paramref name="pipelined"/>: decode on up to three threads (a restore; see <see cref="BackupCodec.DecodeAsync"/>).
    /// </summary>
    public static async Task ReadAsync(
        Stream stored, BackupPart part, BackupCodecSettings settings, Stream destination, CancellationToken cancellationToken, bool pipelined = false)
    {
        EncodedPart read;
        try
        {
            read = await BackupCodec.DecodeAsync(stored, destination, settings.ForPart(part), cancellationToken, pipelined);
        }
        catch (BackupIntegrityException ex)
        {
            throw new BackupIntegrityException($"{part.Name}: {ex.Message}", ex);
        }
        // The stored SHA-256 is compared when it was taken (unencrypted parts); an encrypted part's stored bytes are
        // authenticated chunk by chunk by AES-GCM instead (BackupCodec.DecodeAsync).
        if (read.StoredLength != part.StoredLength
            || (read.StoredSha256 is not null && !string.Equals(read.StoredSha256, part.StoredSha256, StringComparison.Ordinal)))
        {
            throw new BackupIntegrityException($"{part.Name}: the stored object's size or SHA-256 differs from the manifest");
        }
        if (read.Length != part.Length || !string.Equals(read.Sha256, part.Sha256, StringComparison.Ordinal))
        {
            throw new BackupIntegrityException($"{part.Name}: the content's size or SHA-256 differs from the manifest");
        }
    }

    public static async Task<BackupManifest> ReadManifestAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        try
        {
            return BackupJson.ReadManifest(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new BackupIntegrityException("manifest.json is not a valid manifest", ex);
        }
    }
}
