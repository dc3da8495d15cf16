using System.Security.Cryptography;
using Kuroco.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Media;

/// <summary>A file received in the temporary folder: its size, hash, and whether it went past the limit.</summary>
internal sealed record ReceivedFile(string TempPath, long SizeBytes, string Sha256, bool TooLarge);

/// <summary>
/// Files under <c>{DataPath}/media/ab/cd/{id}</c>, where ab and cd are the first hex digits of the
/// generated id: no user input ever reaches a path. Uploads land in <c>media/tmp</c> first and are
/// moved into place only once accepted, so a failed or refused upload leaves nothing behind.
/// </summary>
internal sealed class MediaFileStore(IOptions<StorageOptions> storage)
{
    private string Root => Path.Combine(storage.Value.DataPath, "media");

    private string TempFolder => Path.Combine(Root, "tmp");

    public string PathFor(Guid id)
    {
        var name = id.ToString("N");
        return Path.Combine(Root, name[..2], name[2..4], name);
    }

    /// <summary>Copies at most <paramref name="maxBytes"/> to a new temporary file; stops reading one byte past the limit.</summary>
    public async Task<ReceivedFile> ReceiveAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(TempFolder);
        var tempPath = Path.Combine(TempFolder, Guid.NewGuid().ToString("N") + ".upload");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            var tooLarge = false;
            await using (var target = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        tooLarge = true;
                        break;
                    }
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            if (tooLarge)
            {
                Delete(tempPath);
                return new ReceivedFile(tempPath, total, "", TooLarge: true);
            }
            return new ReceivedFile(tempPath, total, Convert.ToHexStringLower(hash.GetHashAndReset()), TooLarge: false);
        }
        catch
        {
            Delete(tempPath);
            throw;
        }
    }

    /// <summary>Moves an accepted temporary file to its final place (same volume: an atomic rename).</summary>
    public string Commit(string tempPath, Guid id)
    {
        var target = PathFor(id);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(tempPath, target, overwrite: false);
        return target;
    }

    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file holds no reference and is never served.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
