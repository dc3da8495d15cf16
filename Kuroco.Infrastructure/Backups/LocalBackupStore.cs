using Kuroco.Core.Backups;
using Kuroco.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Backups;

/// <summary>
/// Generations in <c>{DataPath}/backups/{id}/</c> (or <c>Backups:LocalPath</c>). A run writes into <c>.tmp-{id}/</c>;
/// <see cref="IBackupUpload.CommitAsync"/> flushes every file to disk and renames the folder into place, so a crash
/// leaves only a <c>.tmp-</c> folder, which <see cref="ListAsync"/> never shows and <see cref="CleanUpIncompleteAsync"/> removes.
/// </summary>
internal sealed class LocalBackupStore(IOptions<BackupOptions> options, IOptions<StorageOptions> storage) : IBackupStore
{
    public const string ManifestName = "manifest.json";
    private const string TempPrefix = ".tmp-";

    public BackupLocation Location => BackupLocation.Local;

    public string Root => options.Value.ResolveLocalPath(storage.Value.DataPath);

    private string GenerationPath(string id) => Path.Combine(Root, BackupGenerationId.Check(id));

    private string ObjectPath(string id, string name) => Path.Combine(GenerationPath(id), BackupGenerationId.CheckObjectName(name));

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Root))
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }
        IReadOnlyList<string> ids = [.. Directory.EnumerateDirectories(Root)
            .Select(Path.GetFileName)
            .Where(name => BackupGenerationId.IsValid(name) && File.Exists(Path.Combine(Root, name!, ManifestName)))
            .Select(name => name!)];
        return Task.FromResult(ids);
    }

    public Task<IBackupUpload> BeginAsync(string generationId, CancellationToken cancellationToken)
    {
        var id = BackupGenerationId.Check(generationId);
        var temporary = Path.Combine(Root, TempPrefix + id);
        Directory.CreateDirectory(temporary);
        return Task.FromResult<IBackupUpload>(new Upload(temporary, GenerationPath(id)));
    }

    public Task<Stream> OpenReadAsync(string generationId, string objectName, CancellationToken cancellationToken)
    {
        var path = ObjectPath(generationId, objectName);
        return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BackupCodec.BufferSize, FileOptions.SequentialScan));
    }

    public async Task WriteSideObjectAsync(string generationId, string objectName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = ObjectPath(generationId, objectName);
        if (!Directory.Exists(GenerationPath(generationId)))
        {
            throw new DirectoryNotFoundException("The generation does not exist.");
        }
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, content.ToArray(), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public async Task<byte[]?> ReadSideObjectAsync(string generationId, string objectName, CancellationToken cancellationToken)
    {
        var path = ObjectPath(generationId, objectName);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    public Task DeleteAsync(string generationId, CancellationToken cancellationToken)
    {
        var path = GenerationPath(generationId);
        if (Directory.Exists(path))
        {
            // Hide it first (a rename is atomic), then delete: a crash mid-delete leaves a .tmp- leftover, never half a generation.
            var doomed = Path.Combine(Root, TempPrefix + "del-" + Path.GetFileName(path));
            Directory.Move(path, doomed);
            Directory.Delete(doomed, recursive: true);
        }
        return Task.CompletedTask;
    }

    public Task<int> CleanUpIncompleteAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Root))
        {
            return Task.FromResult(0);
        }
        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(Root, TempPrefix + "*"))
        {
            Directory.Delete(folder, recursive: true);
            removed++;
        }
        return Task.FromResult(removed);
    }

    private sealed class Upload(string temporary, string final) : IBackupUpload, ILocalBackupUpload
    {
        private bool committed;

        public string PathFor(string objectName)
        {
            var path = Path.Combine(temporary, BackupGenerationId.CheckObjectName(objectName));
            return File.Exists(path) ? throw new IOException($"{objectName} was already written in this generation.") : path;
        }

        public Task<Stream> CreateAsync(string objectName, CancellationToken cancellationToken)
        {
            var path = Path.Combine(temporary, BackupGenerationId.CheckObjectName(objectName));
            return Task.FromResult<Stream>(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BackupCodec.BufferSize));
        }

        public Task<Stream> OpenReadAsync(string objectName, CancellationToken cancellationToken)
        {
            var path = Path.Combine(temporary, BackupGenerationId.CheckObjectName(objectName));
            return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BackupCodec.BufferSize, FileOptions.SequentialScan));
        }

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            if (!File.Exists(Path.Combine(temporary, ManifestName)))
            {
                throw new InvalidOperationException("A generation is committed only after its manifest was written.");
            }
            foreach (var file in Directory.EnumerateFiles(temporary))
            {
                using var handle = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
                handle.Flush(flushToDisk: true);
            }
            Directory.Move(temporary, final);
            FlushDirectory(Path.GetDirectoryName(final)!);
            committed = true;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (!committed && Directory.Exists(temporary))
            {
                try
                {
                    Directory.Delete(temporary, recursive: true);
                }
                catch (IOException)
                {
                    // Left for CleanUpIncompleteAsync at the next run.
                }
            }
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>fsync of the folder so the rename itself survives a power loss (no-op where folders cannot be opened).</summary>
    internal static void FlushDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            RandomAccess.FlushToDisk(handle);
        }
        catch (UnauthorizedAccessException)
        {
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// A local upload can let a part be written in place (the SQLite online backup straight into the generation's temporary
/// folder) when the part is stored plain: no second copy. The file is fsynced and renamed with the rest at commit.
/// </summary>
internal interface ILocalBackupUpload
{
    /// <summary>The path an object of this upload is to be written at (it must not exist yet).</summary>
    string PathFor(string objectName);
}
