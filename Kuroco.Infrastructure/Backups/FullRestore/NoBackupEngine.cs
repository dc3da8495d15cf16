using Kuroco.Core.Backups;
using Kuroco.Core.Common;

namespace Kuroco.Infrastructure.Backups.FullRestore;

/// <summary>Stands in until the backup engine is registered (TryAdd): no generations, every backup refused.</summary>
internal sealed class NoBackupEngine : IBackupService, IBackupSnapshotOpener
{
    public Task<Result<BackupManifest>> BackUpAsync(BackupTrigger trigger, IProgress<BackupProgress>? progress, CancellationToken cancellationToken) =>
        Task.FromResult(Result<BackupManifest>.Failure(ErrorKind.Conflict, "No backup engine is configured."));

    public Task<IReadOnlyList<BackupGeneration>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BackupGeneration>>([]);

    public Task<Result> VerifyAsync(string generationId, CancellationToken cancellationToken) =>
        Task.FromResult(Result.NotFound(generationId));

    public Task<Result<IBackupSnapshot>> OpenAsync(string generationId, CancellationToken cancellationToken) =>
        Task.FromResult(Result<IBackupSnapshot>.Failure(ErrorKind.NotFound, generationId));
}
