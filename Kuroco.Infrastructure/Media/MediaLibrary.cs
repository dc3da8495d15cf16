using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Media;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Media;

/// <summary>
/// The media library over the database and <see cref="MediaFileStore"/>. Contexts come from the factory,
/// so components of one circuit may call it concurrently.
/// </summary>
internal sealed partial class MediaLibrary(
    IDbContextFactory<KurocoDbContext> contexts,
    MediaFileStore files,
    MediaThumbnailer thumbnails,
    IEnumerable<IMediaUsageProvider> usageProviders,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock,
    IOptions<MediaOptions> options,
    ILogger<MediaLibrary> logger) : IMediaLibrary
{
    private const string EntityType = AuditEntityTypes.MediaItem;
    private const string LikeEscape = "\\";
    private static readonly MediaDetailsValidator DetailsValidator = new();
    private static readonly MediaQueryValidator QueryValidator = new();
    private static readonly MediaUploadValidator UploadValidator = new();

    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    public async Task<Result<MediaItem>> UploadAsync(Stream content, string? fileName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var displayName = MediaFileName.Sanitize(fileName);
        var received = await files.ReceiveAsync(content, MaxUploadBytes, cancellationToken);
        var committed = false;
        try
        {
            MediaDetection detection;
            if (received.TooLarge)
            {
                detection = MediaDetection.Refused(MediaRejection.TooLarge);
            }
            else
            {
                await using var stored = new FileStream(received.TempPath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: false);
                detection = MediaDetector.Detect(stored, displayName);
            }
            var check = await UploadValidator.ValidateAsync(new MediaUploadCheck(received.SizeBytes, MaxUploadBytes, detection), cancellationToken);
            if (!check.IsValid)
            {
                var reason = received.TooLarge ? MediaRejection.TooLarge : detection.Rejection;
                await audit.WriteAsync(new AuditRecord(AuditActions.MediaUploadRefused, EntityType, null,
                    AuditParameters.Of(("fileName", displayName), ("reason", reason.ToString()),
                        ("size", received.TooLarge ? null : received.SizeBytes.ToString(CultureInfo.InvariantCulture)),
                        ("maxBytes", MaxUploadBytes.ToString(CultureInfo.InvariantCulture)),
                        ("variant", received.TooLarge ? "too-large" : "refused")),
                    AuditOutcome.Denied), cancellationToken);
                string[] messages = [.. check.Errors.Select(e => e.ErrorMessage).Distinct(StringComparer.Ordinal)];
                return received.TooLarge
                    ? Result<MediaItem>.Failure(ErrorKind.TooLarge, messages)
                    : Result<MediaItem>.Invalid(messages);
            }

            var actor = await auditContext.GetActorAsync();
            var item = new MediaItem
            {
                Id = Guid.NewGuid(),
                OriginalFileName = displayName,
                ContentType = detection.Format!.ContentType,
                SizeBytes = received.SizeBytes,
                Sha256 = received.Sha256,
                Width = detection.Width,
                Height = detection.Height,
                UploadedByUserId = actor.UserId,
                UploadedByName = Truncate(actor.Name, MediaItem.UploadedByNameMaxLength),
                UploadedAtUtc = clock.GetUtcNow().UtcDateTime,
            };
            var finalPath = files.Commit(received.TempPath, item.Id);
            committed = true;
            try
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                db.Set<MediaItem>().Add(item);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch
            {
                MediaFileStore.Delete(finalPath);
                throw;
            }
            await audit.WriteAsync(new AuditRecord(AuditActions.MediaUploaded, EntityType, item.Id.ToString("D"),
                AuditParameters.Of(("fileName", item.OriginalFileName), ("contentType", item.ContentType),
                    ("size", item.SizeBytes.ToString(CultureInfo.InvariantCulture)), ("sha256", item.Sha256),
                    ("width", item.Width?.ToString(CultureInfo.InvariantCulture)), ("height", item.Height?.ToString(CultureInfo.InvariantCulture)),
                    ("variant", item.Width is not null && item.Height is not null ? "image" : "file")),
                AuditOutcome.Success,
                [new FieldChange("OriginalFileName", null, item.OriginalFileName), new FieldChange("ContentType", null, item.ContentType), new FieldChange("SizeBytes", null, item.SizeBytes.ToString(CultureInfo.InvariantCulture))]),
                cancellationToken);
            LogUploaded(logger, item.Id, item.ContentType, item.SizeBytes);
            return Result.Ok(item);
        }
        finally
        {
            if (!committed)
            {
                MediaFileStore.Delete(received.TempPath);
            }
        }
    }

    public async Task<MediaItem?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<MediaItem>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == id && m.DeletedAtUtc == null, cancellationToken);
    }

    public async Task<MediaPage> SearchAsync(MediaQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var validation = await QueryValidator.ValidateAsync(query, cancellationToken);
        if (!validation.IsValid)
        {
            throw new ArgumentException(string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)), nameof(query));
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var q = db.Set<MediaItem>().AsNoTracking().Where(m => m.DeletedAtUtc == null);
        if (query.ImagesOnly)
        {
            string[] images = [.. MediaFormats.All.Where(f => f.IsImage).Select(f => f.ContentType)];
            q = q.Where(m => images.Contains(m.ContentType));
        }
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            // LIKE rather than Contains: SQLite's instr() is case-sensitive.
            var pattern = "%" + EscapeLike(query.Text.Trim()) + "%";
            q = q.Where(m => EF.Functions.Like(m.OriginalFileName, pattern, LikeEscape)
                || (m.TitleEn != null && EF.Functions.Like(m.TitleEn, pattern, LikeEscape))
                || (m.TitleJa != null && EF.Functions.Like(m.TitleJa, pattern, LikeEscape))
                || (m.AltTextEn != null && EF.Functions.Like(m.AltTextEn, pattern, LikeEscape))
                || (m.AltTextJa != null && EF.Functions.Like(m.AltTextJa, pattern, LikeEscape)));
        }
        var total = await q.CountAsync(cancellationToken);
        var items = await q.OrderByDescending(m => m.UploadedAtUtc).ThenBy(m => m.Id)
            .Skip(query.Page * query.PageSize).Take(query.PageSize).ToListAsync(cancellationToken);
        return new MediaPage(items, total);
    }

    public async Task<Result<MediaItem>> UpdateDetailsAsync(Guid id, MediaDetails details, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        var cleaned = new MediaDetails(Clean(details.AltTextJa), Clean(details.AltTextEn), Clean(details.TitleJa), Clean(details.TitleEn));
        var validation = await DetailsValidator.ValidateAsync(cleaned, cancellationToken);
        if (!validation.IsValid)
        {
            return Result<MediaItem>.Invalid(validation);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var item = await db.Set<MediaItem>().FirstOrDefaultAsync(m => m.Id == id && m.DeletedAtUtc == null, cancellationToken);
        if (item is null)
        {
            return Result<MediaItem>.NotFound(MediaMessages.Get("Media.NotFound"));
        }
        var changes = new List<FieldChange>();
        Change(changes, "AltTextJa", item.AltTextJa, cleaned.AltTextJa, v => item.AltTextJa = v);
        Change(changes, "AltTextEn", item.AltTextEn, cleaned.AltTextEn, v => item.AltTextEn = v);
        Change(changes, "TitleJa", item.TitleJa, cleaned.TitleJa, v => item.TitleJa = v);
        Change(changes, "TitleEn", item.TitleEn, cleaned.TitleEn, v => item.TitleEn = v);
        if (changes.Count == 0)
        {
            return Result.Ok(item);
        }
        item.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.MediaUpdated, EntityType, item.Id.ToString("D"),
            AuditParameters.Of(("fileName", item.OriginalFileName), ("fields", string.Join(",", changes.Select(c => c.Field)))),
            AuditOutcome.Success, changes), cancellationToken);
        return Result.Ok(item);
    }

    public async Task<IReadOnlyList<MediaUsage>> FindUsagesAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var usages = new List<MediaUsage>();
        foreach (var provider in usageProviders)
        {
            usages.AddRange(await provider.FindUsagesAsync(id, cancellationToken));
        }
        return usages;
    }

    public async Task<Result> DeleteAsync(Guid id, bool confirmedDespiteUsages, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var item = await db.Set<MediaItem>().FirstOrDefaultAsync(m => m.Id == id && m.DeletedAtUtc == null, cancellationToken);
        if (item is null)
        {
            return Result.NotFound(MediaMessages.Get("Media.NotFound"));
        }
        var usages = await FindUsagesAsync(id, cancellationToken);
        if (usages.Count > 0 && !confirmedDespiteUsages)
        {
            return Result.Conflict(MediaMessages.Get("Media.InUse"), new MediaInUse(usages));
        }
        var actor = await auditContext.GetActorAsync();
        item.DeletedAtUtc = clock.GetUtcNow().UtcDateTime;
        item.DeletedByUserId = actor.UserId;
        await db.SaveChangesAsync(cancellationToken);
        // Who used it, as data (entity type code, id, title): up to 20, the trash ones counted apart.
        var usedBy = usages.Count == 0
            ? null
            : string.Join("; ", usages.Take(20).Select(u => $"{u.EntityType} {u.EntityId} \"{u.Title}\""));
        await audit.WriteAsync(new AuditRecord(AuditActions.MediaDeleted, EntityType, item.Id.ToString("D"),
            AuditParameters.Of(("fileName", item.OriginalFileName), ("usages", usages.Count.ToString(CultureInfo.InvariantCulture)),
                ("inTrash", usages.Count(u => u.InTrash).ToString(CultureInfo.InvariantCulture)), ("usedBy", usedBy),
                ("variant", usages.Count == 0 ? "unused" : "in-use")), AuditOutcome.Success,
            [new FieldChange("DeletedAtUtc", null, item.DeletedAtUtc.Value.ToString("O", CultureInfo.InvariantCulture))]), cancellationToken);
        return Result.Success;
    }

    public async Task<MediaContent?> OpenAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var item = await FindAsync(id, cancellationToken);
        if (item is null)
        {
            return null;
        }
        var path = files.PathFor(item.Id);
        return File.Exists(path) ? new MediaContent(item, path) : null;
    }

    public async Task<MediaContent?> OpenThumbnailAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var original = await OpenAsync(id, cancellationToken);
        if (original is null)
        {
            return null;
        }
        var thumbnail = await thumbnails.GetOrCreateAsync(original.Item, original.PhysicalPath, cancellationToken);
        return thumbnail is null ? original : new MediaContent(original.Item, thumbnail, IsThumbnail: true);
    }

    private static void Change(List<FieldChange> changes, string field, string? before, string? after, Action<string?> set)
    {
        if (!string.Equals(before, after, StringComparison.Ordinal))
        {
            changes.Add(new FieldChange(field, before, after));
            set(after);
        }
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private static string EscapeLike(string text) => text
        .Replace(LikeEscape, LikeEscape + LikeEscape, StringComparison.Ordinal)
        .Replace("%", LikeEscape + "%", StringComparison.Ordinal)
        .Replace("_", LikeEscape + "_", StringComparison.Ordinal)
        .Replace("[", LikeEscape + "[", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media {MediaId} uploaded ({ContentType}, {SizeBytes} bytes).")]
    private static partial void LogUploaded(ILogger logger, Guid mediaId, string contentType, long sizeBytes);
}
