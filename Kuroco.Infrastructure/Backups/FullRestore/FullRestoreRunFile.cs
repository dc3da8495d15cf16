using System.Text.Json;
using System.Text.Json.Serialization;
using Kuroco.Core.Backups;
using Kuroco.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Backups.FullRestore;

/// <summary>
/// The current (or last) full restore in <c>{DataPath}/full-restore.json</c>: outside the database, which the restore
/// overwrites, and readable by every instance (the page polls it for live progress). Written atomically.
/// </summary>
internal sealed class FullRestoreRunFile(IOptions<StorageOptions> storage)
{
    public const string FileName = "full-restore.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly Lock gate = new();

    private string FilePath => Path.Combine(storage.Value.DataPath, FileName);

    public FullRestoreRun? Read()
    {
        lock (gate)
        {
            return ReadUnlocked();
        }
    }

    public void Write(FullRestoreRun run)
    {
        lock (gate)
        {
            WriteUnlocked(run);
        }
    }

    /// <summary>Changes the run <paramref name="id"/> when it is still the current one; returns the new state (null: not current).</summary>
    public FullRestoreRun? Update(string id, Func<FullRestoreRun, FullRestoreRun> change)
    {
        lock (gate)
        {
            var run = ReadUnlocked();
            if (run is null || run.Id != id)
            {
                return null;
            }
            var changed = change(run);
            WriteUnlocked(changed);
            return changed;
        }
    }

    /// <summary>Writes <paramref name="run"/> unless <paramref name="blocks"/> says the current run is in the way; returns what was in the way.</summary>
    public FullRestoreRun? WriteUnless(FullRestoreRun run, Func<FullRestoreRun, bool> blocks)
    {
        lock (gate)
        {
            var current = ReadUnlocked();
            if (current is not null && blocks(current))
            {
                return current;
            }
            WriteUnlocked(run);
            return null;
        }
    }

    private FullRestoreRun? ReadUnlocked()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return File.Exists(FilePath) ? JsonSerializer.Deserialize<FullRestoreRun>(File.ReadAllText(FilePath), Json) : null;
            }
            catch (IOException) when (attempt < 5)
            {
                // Another instance renamed a new version into place while this one read: read again.
                Thread.Sleep(20);
            }
        }
    }

    private void WriteUnlocked(FullRestoreRun run)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var temporary = FilePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(run, Json));
        File.Move(temporary, FilePath, overwrite: true);
    }
}
