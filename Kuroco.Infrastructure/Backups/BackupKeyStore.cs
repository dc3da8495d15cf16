using System.Security.Cryptography;
using Kuroco.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Backups;

/// <summary>The backup encryption key and its id (first 8 hex digits of its SHA-256, written into each manifest).</summary>
internal sealed record BackupKey(byte[] Bytes, string Id)
{
    public static BackupKey From(byte[] bytes) =>
        new(bytes, Convert.ToHexStringLower(SHA256.HashData(bytes))[..8]);
}

/// <summary>
/// The key from <c>Backups:EncryptionKey</c>, else one generated once into <c>{DataPath}/keys/backup.key</c> (mode 0600).
/// Never inside the backup folder: a copied backup folder alone cannot be read.
/// </summary>
internal sealed class BackupKeyStore(IOptions<BackupOptions> options, IOptions<StorageOptions> storage)
{
    public const int KeyLength = 32;
    private static readonly Lock Gate = new();
    private BackupKey? key;

    public string KeyFilePath => Path.Combine(storage.Value.DataPath, "keys", "backup.key");

    public static bool TryDecode(string? text, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        return bytes.Length == KeyLength;
    }

    public BackupKey GetKey()
    {
        lock (Gate)
        {
            return key ??= Load();
        }
    }

    private BackupKey Load()
    {
        if (TryDecode(options.Value.EncryptionKey, out var configured))
        {
            return BackupKey.From(configured);
        }
        var path = KeyFilePath;
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, fileOptions))
            {
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyLength)));
            }
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another instance generated it first: use theirs.
                File.Delete(temporary);
            }
        }
        return TryDecode(File.ReadAllText(path), out var stored)
            ? BackupKey.From(stored)
            : throw new InvalidOperationException($"The backup key file {path} does not hold the base64 text of 32 bytes.");
    }
}
