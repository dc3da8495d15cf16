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

    /// <summary><c>{DataPath}/media/thumbs/ab/cd/{id}-{size}.webp</c>: from the id and a number only.</summary>
    public string ThumbnailPathFor(Guid id, int size)
    {
        var name = id.ToString("N");
        return Path.Combine(Root, "thumbs", name[..2], name[2..4], string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}-{size}.webp"));
    }

    /// <summary>A new temporary path next to the thumbnails (same volume, so the final move is a rename).</summary>
    public string NewTempPath()
    {
        Directory.CreateDirectory(TempFolder);
        return Path.Combine(TempFolder, Guid.NewGuid().ToString("N") + ".thumb");
    }

    /// <summary>Removes the item's file and every thumbnail of it; true when nothing of it is left. Missing files are fine (idempotent).</summary>
    public bool DeleteAllFor(Guid id)
    {
        var paths = new List<string> { PathFor(id) };
        var thumbs = Path.GetDirectoryName(ThumbnailPathFor(id, 0))!;
        if (Directory.Exists(thumbs))
        {
            paths.AddRange(Directory.EnumerateFiles(thumbs, id.ToString("N") + "-*.webp"));
        }
        foreach (var path in paths)
        {
            Delete(path);
        }
        return paths.TrueForAll(p => !File.Exists(p));
    }

    /// <summary>Removes temporary files older than <paramref name="cutoffUtc"/> (interrupted uploads); returns how many.</summary>
    public int DeleteTempFilesOlderThan(DateTime cutoffUtc)
    {
        if (!Directory.Exists(TempFolder))
        {
            return 0;
        }
        var removed = 0;
        foreach (var path in Directory.EnumerateFiles(TempFolder))
        {
            if (File.GetLastWriteTimeUtc(path) < cutoffUtc)
            {
                Delete(path);
                removed += File.Exists(path) ? 0 : 1;
            }
        }
        return removed;
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
