using System.Formats.Tar;

namespace Kuroco.Infrastructure.Backups;

/// <summary>The media folder as one tar stream (written straight into the part's pipeline) and back.</summary>
internal static class MediaArchive
{
    /// <summary>
    /// Writes every file under <paramref name="mediaRoot"/> except the upload scratch folder <c>tmp/</c>, by relative path
    /// with '/' separators, in ordinal order. Files are written by rename and never changed in place, so each one is
    /// consistent; one removed while the archive is written is left out.
    /// </summary>
    public static async Task<int> WriteAsync(string mediaRoot, Stream destination, CancellationToken cancellationToken)
    {
        var count = 0;
        await using var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var (path, name) in Files(mediaRoot))
        {
            try
            {
                await writer.WriteEntryAsync(path, name, cancellationToken);
                count++;
            }
            catch (FileNotFoundException)
            {
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
        return count;
    }

    /// <summary>
    /// <see cref="WriteAsync"/> on the calling thread (the plain local part, written on a thread of its own beside the
    /// database): the same archive, byte for byte.
    /// </summary>
    public static int Write(string mediaRoot, Stream destination, CancellationToken cancellationToken)
    {
        var count = 0;
        using var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var (path, name) in Files(mediaRoot))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                writer.WriteEntry(path, name);
                count++;
            }
            catch (FileNotFoundException)
            {
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
        return count;
    }

    /// <summary>Every media file but the upload scratch folder <c>tmp/</c>, with its archive name, in ordinal order of names.</summary>
    private static IEnumerable<(string Path, string Name)> Files(string mediaRoot) => !Directory.Exists(mediaRoot)
        ? []
        : Directory.EnumerateFiles(mediaRoot, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Name: Path.GetRelativePath(mediaRoot, path).Replace(Path.DirectorySeparatorChar, '/')))
            .Where(f => !f.Name.StartsWith("tmp/", StringComparison.Ordinal))
            .OrderBy(f => f.Name, StringComparer.Ordinal);

    /// <summary>Extracts regular files into <paramref name="target"/>; refuses any name that would leave it.</summary>
    public static async Task ExtractAsync(Stream source, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target);
        var root = Path.GetFullPath(target) + Path.DirectorySeparatorChar;
        await using var reader = new TarReader(source, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            {
                continue;
            }
            var path = SafePath(root, entry.Name) ?? throw new BackupIntegrityException("the media archive holds an unsafe name");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await entry.ExtractToFileAsync(path, overwrite: false, cancellationToken);
        }
    }

    /// <summary>The absolute path of a relative media name inside <paramref name="root"/> (ending with a separator), or null.</summary>
    public static string? SafePath(string root, string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('\\', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)
            || Path.IsPathRooted(name) || name.Split('/').Any(s => s is "" or "." or ".."))
        {
            return null;
        }
        var path = Path.GetFullPath(Path.Combine(root, name));
        return path.StartsWith(root, StringComparison.Ordinal) ? path : null;
    }
}
