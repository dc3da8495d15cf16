namespace Kuroco.Core.Media;

public sealed record MediaUsage(string EntityType, string EntityId, string Title);

/// Anything that can reference media reports its references; the library asks all of them before a delete.
public interface IMediaUsageProvider { Task<IReadOnlyList<MediaUsage>> FindUsagesAsync(Guid mediaId, CancellationToken cancellationToken = default); }
