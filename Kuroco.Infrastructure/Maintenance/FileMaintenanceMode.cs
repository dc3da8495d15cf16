using System.Text.Json;
using Kuroco.Core.Backups;
using Kuroco.Infrastructure.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Maintenance;

/// <summary>
/// Maintenance mode kept in <c>{DataPath}/maintenance.json</c>: outside the database (a restore overwrites that), shared by
/// every instance using the data folder, and still there after a restart in the middle of a restore. Written atomically
/// (temporary file, then rename). Requests ask <see cref="Current"/> all the time, so the state is cached and the file's
/// time looked at again at most every <see cref="RecheckInterval"/>: another instance's change shows within a second.
/// </summary>
internal sealed partial class FileMaintenanceMode(IOptions<StorageOptions> storage, ILogger<FileMaintenanceMode> logger) : IMaintenanceMode
{
    public const string FileName = "maintenance.json";

    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private MaintenanceState cached = MaintenanceState.Off;
    private DateTime cachedWriteTimeUtc = DateTime.MinValue;
    private long checkedAtTicks = long.MinValue;

    public string FilePath => Path.Combine(storage.Value.DataPath, FileName);

    public MaintenanceState Current
    {
        get
        {
            var now = Environment.TickCount64;
            lock (gate)
            {
                if (now - checkedAtTicks < RecheckInterval.TotalMilliseconds)
                {
                    return cached;
                }
                checkedAtTicks = now;
                Refresh();
                return cached;
            }
        }
    }

    /// <summary>Writes the state for every instance (off removes the file) and caches it here at once.</summary>
    public void Write(MaintenanceState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (gate)
        {
            if (state.IsOn)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
                var temporary = FilePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
                File.WriteAllText(temporary, JsonSerializer.Serialize(state, JsonSerializerOptions.Web));
                File.Move(temporary, FilePath, overwrite: true);
            }
            else if (File.Exists(FilePath))
            {
                File.Delete(FilePath);
            }
            cached = state.IsOn ? state : MaintenanceState.Off;
            cachedWriteTimeUtc = File.Exists(FilePath) ? File.GetLastWriteTimeUtc(FilePath) : DateTime.MinValue;
            checkedAtTicks = Environment.TickCount64;
        }
    }

    private void Refresh()
    {
        try
        {
            if (!File.Exists(FilePath))
            {
                cached = MaintenanceState.Off;
                cachedWriteTimeUtc = DateTime.MinValue;
                return;
            }
            var written = File.GetLastWriteTimeUtc(FilePath);
            if (written == cachedWriteTimeUtc && cached.IsOn)
            {
                return;
            }
            var state = JsonSerializer.Deserialize<MaintenanceState>(File.ReadAllText(FilePath), JsonSerializerOptions.Web);
            cached = state is { IsOn: true } ? state : MaintenanceState.Off;
            cachedWriteTimeUtc = written;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            // Replaced while being read (rename is atomic, so the next look sees a whole file): keep what was known.
            LogUnreadable(logger, FilePath, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The maintenance mode file {Path} could not be read; keeping the last known state.")]
    private static partial void LogUnreadable(ILogger logger, string path, Exception exception);
}
