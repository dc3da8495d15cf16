using System.Text.Json;
using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Audit;

/// <summary>
/// Keeps the audit anchor in the data folder (<c>audit/anchor.json</c>, or <c>Storage:AuditAnchorPath</c>) and the retention
/// checkpoint beside it (<c>checkpoint.json</c>), outside the database: someone
/// who can only edit the database cannot hide the deletion of the newest entries. Written atomically
/// (temporary file, then rename) and only ever forward.
/// </summary>
internal sealed class FileAuditAnchorStore(IOptions<StorageOptions> storage) : IAuditAnchorStore
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    private string FilePath => Path.Combine(storage.Value.ResolveAuditAnchorPath(), "anchor.json");

    private string CheckpointPath => Path.Combine(storage.Value.ResolveAuditAnchorPath(), "checkpoint.json");

    public async Task<AuditCheckpoint?> ReadCheckpointAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(CheckpointPath))
        {
            return null;
        }
        await using var stream = File.OpenRead(CheckpointPath);
        return await JsonSerializer.DeserializeAsync<AuditCheckpoint>(stream, cancellationToken: cancellationToken);
    }

    public async Task WriteCheckpointAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var current = await ReadCheckpointAsync(cancellationToken);
            if (current is not null && current.Sequence >= checkpoint.Sequence)
            {
                return;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(CheckpointPath)!);
            var temporary = CheckpointPath + ".tmp";
            await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(checkpoint), cancellationToken);
            File.Move(temporary, CheckpointPath, overwrite: true);
        }
        finally
        {
            Gate.Release();
        }
    }

    public async Task<AuditAnchor?> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }
        await using var stream = File.OpenRead(FilePath);
        return await JsonSerializer.DeserializeAsync<AuditAnchor>(stream, cancellationToken: cancellationToken);
    }

    public async Task WriteAsync(AuditAnchor anchor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var current = await ReadAsync(cancellationToken);
            if (current is not null && current.Sequence >= anchor.Sequence)
            {
                return;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            var temporary = FilePath + ".tmp";
            await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(anchor), cancellationToken);
            File.Move(temporary, FilePath, overwrite: true);
        }
        finally
        {
            Gate.Release();
        }
    }
}
