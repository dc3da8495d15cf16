using Kuroco.Core.Media;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// Content items that reference a media item, for the library's delete confirmation. Values are stored
/// as JSON per language, so the id is looked for in the working and the published copies of both
/// languages (a parameterized LIKE; a GUID's text cannot occur by accident). Items in the trash count
/// too (flagged <see cref="MediaUsage.InTrash"/>, which screens show in the user's language): restoring one would
/// otherwise bring back a broken image.
/// </summary>
internal sealed class ContentMediaUsageProvider(IDbContextFactory<KurocoDbContext> contexts) : IMediaUsageProvider
{
    public const string EntityType = "ContentItem";
    private const int MaxReported = 100;

    public async Task<IReadOnlyList<MediaUsage>> FindUsagesAsync(Guid mediaId, CancellationToken cancellationToken = default)
    {
        var text = mediaId.ToString("D");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.ContentItems.AsNoTracking()
            .Where(i => i.ValuesJa.Contains(text) || i.ValuesEn.Contains(text)
                || (i.PublishedJa != null && i.PublishedJa.Contains(text)) || (i.PublishedEn != null && i.PublishedEn.Contains(text)))
            .OrderBy(i => i.TypeApiId).ThenBy(i => i.Slug)
            .Select(i => new { i.Id, i.TypeApiId, i.Slug, i.Title, InTrash = i.DeletedAtUtc != null })
            .Take(MaxReported)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new MediaUsage(EntityType, r.Id.ToString(), $"{r.TypeApiId}/{r.Slug}: {r.Title}", r.InTrash))];
    }
}
