namespace Kuroco.Core.Media;

/// <summary>
/// One place that references a media item. <paramref name="InTrash"/>: the referencing entity is deleted but still
/// restorable (a content item in the trash); screens say so in the user's language.
/// </summary>
public sealed record MediaUsage(string EntityType, string EntityId, string Title, bool InTrash = false);

/// Anything that can reference media reports its references; the library asks all of them before a delete.
public interface IMediaUsageProvider { Task<IReadOnlyList<MediaUsage>> FindUsagesAsync(Guid mediaId, CancellationToken cancellationToken = default); }
