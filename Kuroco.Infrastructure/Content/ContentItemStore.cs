using System.Linq.Expressions;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// What the item services share about storing an item: loading it once for a change, saving it (a concurrent change
/// or a slug race becomes the right refusal), versions, list rows and the before/after of audit entries.
/// </summary>
internal static class ContentItemStore
{
    public const int AuditValueMaxLength = 300;

    public static readonly Expression<Func<ContentItem, ContentItemSummary>> Summary = i =>
        new ContentItemSummary(i.Id, i.TypeId, i.TypeApiId, i.Slug, i.Title, i.Status, i.HasUnpublishedChanges, i.HasJa, i.HasEn,
            i.PublishAtUtc, i.UnpublishAtUtc, i.PublishedAtUtc, i.UpdatedAtUtc, i.UpdatedBy, i.DeletedAtUtc, i.RestrictedToGroups);

    /// <summary>
    /// The item (tracked, to be changed) and its type: one read of the item. NotFound when there is no such item or it is
    /// not of <see cref="ContentItemRef.TypeId"/>. The rules of the change (trash, token, …) are the item's own.
    /// </summary>
    public static async Task<Result<(ContentItem Item, ContentType Type)>> LoadAsync(KurocoDbContext db, ContentItemRef target, CancellationToken cancellationToken)
    {
        var item = await db.ContentItems.FirstOrDefaultAsync(i => i.Id == target.Id, cancellationToken);
        if (item is null || (target.TypeId is { } typeId && item.TypeId != typeId))
        {
            return NotFound().As<(ContentItem, ContentType)>();
        }
        var type = await db.ContentTypes.AsNoTracking().FirstAsync(t => t.Id == item.TypeId, cancellationToken);
        return Result.Ok((item, type));
    }

    /// <summary>
    /// Saves the context's changes. Another change committed since the item was read is PreconditionFailed (naming who
    /// made it); two saves racing for one slug, decided by the unique index, is the same Validation error on "Slug" as the check's.
    /// </summary>
    public static async Task<Result> SaveAsync(KurocoDbContext db, ContentItem item, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return Result.Success;
        }
        catch (DbUpdateConcurrencyException)
        {
            var current = await db.ContentItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == item.Id, cancellationToken);
            return current is null ? NotFound() : current.StaleRefusal();
        }
        catch (DbUpdateException)
        {
            if (await db.ContentItems.AsNoTracking().AnyAsync(i => i.TypeId == item.TypeId && i.Slug == item.Slug && i.Id != item.Id, cancellationToken))
            {
                return SlugTaken();
            }
            throw;
        }
    }

    public static void AddVersion(KurocoDbContext db, ContentItem item, string note, DateTime now) =>
        db.ContentVersions.Add(item.NewVersion(note, now));

    public static Result NotFound() => Result.NotFound(ContentMessages.Get("Content.Item.NotFound"));

    public static FieldError SlugTakenError() => new("Slug", ContentMessages.Get("Content.Item.SlugTaken"));

    public static Result SlugTaken() => Result.Invalid([SlugTakenError()]);

    /// <summary>The values that differ, as audit changes named "ja.KEY" (long values cut).</summary>
    public static IEnumerable<FieldChange> Diff(string language, IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> after)
    {
        foreach (var key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var b = before.GetValueOrDefault(key);
            var a = after.GetValueOrDefault(key);
            if (!string.Equals(b, a, StringComparison.Ordinal))
            {
                yield return new FieldChange(language + "." + key, Short(b), Short(a));
            }
        }
    }

    private static string? Short(string? value) => value is null || value.Length <= AuditValueMaxLength ? value : value[..AuditValueMaxLength] + "…";
}
