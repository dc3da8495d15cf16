using System.Globalization;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kuroco.Infrastructure.Content;

/// <summary>
/// An item's working copy against its type and the other items: the input cleaned as it is stored (rich text
/// sanitized, text trimmed, dates in UTC), and the rules — the type's field rules, then what needs the database (a
/// free slug, references to existing items, unique values). Errors are keyed "Slug", "ja.KEY", "en.KEY".
/// </summary>
internal sealed class ContentItemChecks(IHtmlContentSanitizer sanitizer, IOptions<ContentOptions> options)
{
    public string Primary => options.Value.Primary;

    /// <summary>
    /// The input as it will be stored: the slug trimmed and the values of the active fields cleaned. A part named in
    /// <paramref name="keep"/> is the item's own (a create has none: empty).
    /// </summary>
    public ContentItemInput Clean(ContentType type, ContentItemInput input, ContentItem? item, ContentItemParts keep) => new()
    {
        Id = item?.Id,
        TypeId = type.Id,
        Slug = keep.HasFlag(ContentItemParts.Slug) && item is not null ? item.Slug : (input.Slug ?? "").Trim(),
        Ja = CleanValues(type, keep.HasFlag(ContentItemParts.Ja) ? ContentValues.Parse(item?.ValuesJa) : input.Ja),
        En = CleanValues(type, keep.HasFlag(ContentItemParts.En) ? ContentValues.Parse(item?.ValuesEn) : input.En),
        // Not given: the item's own restriction stays (a create has none).
        RestrictedToGroups = input.RestrictedToGroups is { } groups ? [.. groups] : [.. item?.RestrictedToGroups ?? []],
    };

    /// <summary>The stored working copy of <paramref name="item"/> against today's rules (the type may have changed since it was saved).</summary>
    public Task<List<FieldError>> ValidateWorkingCopyAsync(KurocoDbContext db, ContentType type, ContentItem item, CancellationToken cancellationToken) =>
        ValidateAsync(db, type, new ContentItemInput
        {
            Id = item.Id,
            TypeId = type.Id,
            Slug = item.Slug,
            Ja = ContentValues.Parse(item.ValuesJa),
            En = ContentValues.Parse(item.ValuesEn),
        }, item.Id, cancellationToken);

    /// <summary>The errors with the input each is about: "Slug", "ja.KEY" or "en.KEY" (the validator's names).</summary>
    public async Task<List<FieldError>> ValidateAsync(KurocoDbContext db, ContentType type, ContentItemInput input, Guid? itemId, CancellationToken cancellationToken)
    {
        var validation = await ContentItemValidator.Instance.ValidateAsync(new ContentItemCandidate(type, Primary, input), cancellationToken);
        var errors = validation.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage)).ToList();
        if (errors.Count == 0 && await db.ContentItems.AnyAsync(i => i.TypeId == type.Id && i.Slug == input.Slug && i.Id != itemId, cancellationToken))
        {
            errors.Add(ContentItemStore.SlugTakenError());
        }
        if (errors.Count > 0)
        {
            return errors;
        }
        // A reference must point at an existing item of the field's target type.
        foreach (var field in type.ActiveFields.Where(f => f.Kind == FieldKind.Reference))
        {
            foreach (var language in ContentLanguages.All)
            {
                if (input.ValuesFor(language).TryGetValue(field.Key, out var value) && Guid.TryParse(value, out var target)
                    && !await db.ContentItems.AnyAsync(i => i.Id == target && i.TypeApiId == field.ReferenceTypeApiId && i.DeletedAtUtc == null, cancellationToken))
                {
                    errors.Add(new(language + "." + field.Key, ContentMessages.Format("Content.Field.ReferenceMissing",
                        ContentMessages.FieldName(field, language), field.ReferenceTypeApiId)));
                }
            }
        }
        foreach (var field in type.ActiveFields.Where(f => f.Unique))
        {
            foreach (var language in ContentLanguages.All)
            {
                if (!input.ValuesFor(language).TryGetValue(field.Key, out var value) || string.IsNullOrEmpty(value))
                {
                    continue;
                }
                if (await IsTakenAsync(db, type.Id, itemId, language, field.Key, value, cancellationToken))
                {
                    errors.Add(new(language + "." + field.Key, ContentMessages.Format("Content.Field.Unique",
                        ContentMessages.FieldName(field, language))));
                }
            }
        }
        return errors;
    }

    /// <summary>The edited values with the values of archived or unknown fields kept as they were: a type change never loses data.</summary>
    public static Dictionary<string, string?> Keep(Dictionary<string, string?> before, ContentType type, Dictionary<string, string?> edited)
    {
        var active = type.ActiveFields.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, string?>(edited, StringComparer.Ordinal);
        foreach (var (key, value) in before.Where(b => !active.Contains(b.Key)))
        {
            result[key] = value;
        }
        return result;
    }

    private static async Task<bool> IsTakenAsync(KurocoDbContext db, Guid typeId, Guid? itemId, string language, string key, string value, CancellationToken cancellationToken)
    {
        // A parameterized substring search narrows the candidates; the parsed values decide.
        var fragment = ContentValues.JsonFragment(key, value);
        var others = db.ContentItems.AsNoTracking().Where(i => i.TypeId == typeId && i.Id != itemId && i.DeletedAtUtc == null);
        var candidates = language == ContentLanguages.English
            ? await others.Where(i => i.ValuesEn.Contains(fragment)).Select(i => i.ValuesEn).Take(50).ToListAsync(cancellationToken)
            : await others.Where(i => i.ValuesJa.Contains(fragment)).Select(i => i.ValuesJa).Take(50).ToListAsync(cancellationToken);
        return candidates.Any(c => ContentValues.Parse(c).TryGetValue(key, out var other) && string.Equals(other, value, StringComparison.Ordinal));
    }

    private Dictionary<string, string?> CleanValues(ContentType type, IReadOnlyDictionary<string, string?>? values)
    {
        var clean = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (values is null)
        {
            return clean;
        }
        foreach (var field in type.ActiveFields)
        {
            if (!values.TryGetValue(field.Key, out var value) || string.IsNullOrEmpty(value))
            {
                continue;
            }
            clean[field.Key] = field.Kind switch
            {
                FieldKind.RichText => sanitizer.Sanitize(value),
                FieldKind.ShortText or FieldKind.SingleChoice or FieldKind.Media or FieldKind.Reference or FieldKind.Number => value.Trim(),
                FieldKind.MultipleChoice or FieldKind.Tags => ContentValues.JoinList(ContentValues.SplitList(value).Distinct(StringComparer.Ordinal)),
                FieldKind.DateTime => NormalizeDate(value),
                FieldKind.LongText or FieldKind.Markdown => value.Replace("\r\n", "\n", StringComparison.Ordinal),
                _ => value,
            };
        }
        return clean;
    }

    private static string NormalizeDate(string value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture)
            : value;
}
