using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Content;

internal sealed class ContentTypeService(
    IDbContextFactory<KurocoDbContext> contexts,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock,
    ContentIndexer indexer,
    ContentTypeChangeNotifier typeChanges) : IContentTypeService
{
    private static readonly ContentTypeValidator Validator = new();

    /// <summary>The audit before/after name of a type's restriction to member groups.</summary>
    internal const string MembersOnlyChange = "Members only";

    public async Task<IReadOnlyList<ContentTypeSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var types = await db.ContentTypes.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
        var counts = await db.ContentItems.AsNoTracking().Where(i => i.DeletedAtUtc == null)
            .GroupBy(i => i.TypeId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return [.. types.Select(t => new ContentTypeSummary(t.Id, t.Name, t.ApiId, t.Description, t.ActiveFields.Count(),
            counts.GetValueOrDefault(t.Id), t.UpdatedAtUtc))];
    }

    public async Task<ContentType?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ContentTypes.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
    }

    public async Task<ContentType?> FindByApiIdAsync(string apiId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ContentTypes.AsNoTracking().FirstOrDefaultAsync(t => t.ApiId == apiId, cancellationToken);
    }

    public async Task<Result<ContentType>> SaveAsync(ContentType type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        var candidate = new ContentType
        {
            Id = type.Id,
            Name = (type.Name ?? "").Trim(),
            ApiId = (type.ApiId ?? "").Trim(),
            Description = string.IsNullOrWhiteSpace(type.Description) ? null : type.Description.Trim(),
            Fields = [.. type.Fields.Select(Clean)],
            ConcurrencyToken = type.ConcurrencyToken,
            RequiresApproval = type.RequiresApproval,
            ReviewerRole = string.IsNullOrWhiteSpace(type.ReviewerRole) ? null : type.ReviewerRole.Trim(),
            ReviewerEmails = type.ReviewerEmailList.Count == 0 ? null : string.Join('\n', type.ReviewerEmailList),
            IsPublic = type.IsPublic,
            CacheMaxAgeSeconds = type.CacheMaxAgeSeconds,
            CacheStaleWhileRevalidateSeconds = type.CacheStaleWhileRevalidateSeconds,
            CacheStaleIfErrorSeconds = type.CacheStaleIfErrorSeconds,
            RestrictedToGroups = [.. type.RestrictedToGroups ?? []],
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var actor = await auditContext.GetActorAsync();
        var now = clock.GetUtcNow().UtcDateTime;
        ContentType? stored = null;
        if (candidate.Id != Guid.Empty)
        {
            stored = await db.ContentTypes.FirstOrDefaultAsync(t => t.Id == candidate.Id, cancellationToken);
            if (stored is null)
            {
                return Result<ContentType>.NotFound(ContentMessages.Get("Content.Type.NotFound"));
            }
            if (stored.ConcurrencyToken != candidate.ConcurrencyToken)
            {
                return Result<ContentType>.PreconditionFailed(ContentMessages.Get("Content.Type.Conflict"));
            }
            // Fields the editor no longer lists are archived (their values stay in every item).
            var edited = candidate.Fields.Where(f => !f.IsArchived).ToList();
            var (changeErrors, merged) = ContentTypeChanges.Merge(stored.Fields, edited);
            if (changeErrors.Count > 0)
            {
                return Result.Failure(ErrorKind.Conflict, changeErrors).As<ContentType>();
            }
            candidate.Fields = merged;
        }
        var validation = await Validator.ValidateAsync(candidate, cancellationToken);
        if (!validation.IsValid)
        {
            // One message per rule broken (a rule about several fields would repeat itself), keyed by the first property it names.
            return Result<ContentType>.Invalid([.. validation.Errors.DistinctBy(e => e.ErrorMessage, StringComparer.Ordinal).Select(e => new FieldError(e.PropertyName, e.ErrorMessage))]);
        }
        if (await db.ContentTypes.AnyAsync(t => t.ApiId == candidate.ApiId && t.Id != candidate.Id, cancellationToken))
        {
            return Result<ContentType>.Invalid([new FieldError(nameof(ContentType.ApiId), ContentMessages.Get("Content.Type.ApiIdTaken"))]);
        }
        if (await ContentMemberAccessChecks.UnknownGroupAsync(db, candidate.RestrictedToGroups, stored?.RestrictedToGroups, nameof(ContentType.RestrictedToGroups), cancellationToken) is { } unknownGroup)
        {
            return Result<ContentType>.Invalid([unknownGroup]);
        }
        var groupNames = await ContentMemberAccessChecks.NamesAsync(db, candidate.RestrictedToGroups.Concat(stored?.RestrictedToGroups ?? []), cancellationToken);

        if (stored is null)
        {
            candidate.Id = Guid.NewGuid();
            candidate.CreatedAtUtc = candidate.UpdatedAtUtc = now;
            candidate.ConcurrencyToken = Guid.NewGuid();
            db.ContentTypes.Add(candidate);
            await db.SaveChangesAsync(cancellationToken);
            await audit.WriteAsync(new AuditRecord(AuditActions.ContentTypeCreated, AuditEntityTypes.ContentType, candidate.Id.ToString(),
                ContentAudit.Type(candidate), AuditOutcome.Success,
                [new FieldChange("Name", null, candidate.Name), new FieldChange("ApiId", null, candidate.ApiId),
                 new FieldChange("Fields", null, DescribeFields(candidate.Fields)),
                 new FieldChange("Approval", null, DescribeApproval(candidate)),
                 new FieldChange("Delivery", null, ContentDelivery.Describe(candidate)),
                 new FieldChange(MembersOnlyChange, null, ContentMemberAccess.Describe(candidate.RestrictedToGroups, groupNames))]), cancellationToken);
            await typeChanges.NotifyAsync(candidate.ApiId, cancellationToken);
            return Result.Ok(candidate);
        }

        if (stored.ApiId != candidate.ApiId && await db.ContentItems.AnyAsync(i => i.TypeId == stored.Id, cancellationToken))
        {
            return Result<ContentType>.Conflict(ContentMessages.Get("Content.Type.ApiIdChange"));
        }
        var changes = new List<FieldChange>();
        void Track(string name, string? before, string? after)
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(name, before, after));
            }
        }
        Track("Name", stored.Name, candidate.Name);
        Track("ApiId", stored.ApiId, candidate.ApiId);
        Track("Description", stored.Description, candidate.Description);
        Track("Fields", DescribeFields(stored.Fields), DescribeFields(candidate.Fields));
        Track("Field rules", DescribeRules(stored.Fields), DescribeRules(candidate.Fields));
        Track("Approval", DescribeApproval(stored), DescribeApproval(candidate));
        Track("Delivery", ContentDelivery.Describe(stored), ContentDelivery.Describe(candidate));
        Track(MembersOnlyChange, ContentMemberAccess.Describe(stored.RestrictedToGroups, groupNames), ContentMemberAccess.Describe(candidate.RestrictedToGroups, groupNames));
        if (changes.Count == 0)
        {
            return Result.Ok(stored);
        }
        // The delivery index holds the active fields by key and kind, and which items are member-only: a change there rebuilds the type's rows.
        // The stored delivery answers hold the active fields in their order too (DeliveredJson): a reorder rebuilds them.
        var reindex = IndexSignature(stored.Fields) != IndexSignature(candidate.Fields) || stored.ApiId != candidate.ApiId
            || DeliverySignature(stored.Fields) != DeliverySignature(candidate.Fields)
            || !ContentMemberAccess.SameGroups(stored.RestrictedToGroups, candidate.RestrictedToGroups);
        var previousApiId = stored.ApiId;
        stored.Name = candidate.Name;
        stored.ApiId = candidate.ApiId;
        stored.Description = candidate.Description;
        stored.Fields = candidate.Fields;
        stored.RequiresApproval = candidate.RequiresApproval;
        stored.ReviewerRole = candidate.ReviewerRole;
        stored.ReviewerEmails = candidate.ReviewerEmails;
        stored.IsPublic = candidate.IsPublic;
        stored.CacheMaxAgeSeconds = candidate.CacheMaxAgeSeconds;
        stored.CacheStaleWhileRevalidateSeconds = candidate.CacheStaleWhileRevalidateSeconds;
        stored.CacheStaleIfErrorSeconds = candidate.CacheStaleIfErrorSeconds;
        stored.RestrictedToGroups = candidate.RestrictedToGroups;
        stored.UpdatedAtUtc = now;
        stored.ConcurrencyToken = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result<ContentType>.PreconditionFailed(ContentMessages.Get("Content.Type.Conflict"));
        }
        if (reindex)
        {
            await indexer.ReindexTypeAsync(stored.ApiId, cancellationToken);
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.ContentTypeUpdated, AuditEntityTypes.ContentType, stored.Id.ToString(),
            ContentAudit.Type(stored), AuditOutcome.Success, changes), cancellationToken);
        // Delivery answers depend on the type (fields, public flag, cache headers): cached ones go at once.
        await typeChanges.NotifyAsync(stored.ApiId, cancellationToken);
        if (previousApiId != stored.ApiId)
        {
            await typeChanges.NotifyAsync(previousApiId, cancellationToken);
        }
        return Result.Ok(stored);
    }

    public async Task<Result> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await db.ContentTypes.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (stored is null)
        {
            return Result.NotFound(ContentMessages.Get("Content.Type.NotFound"));
        }
        // Items in the trash count: they can be restored, and restoring one must find its type.
        var items = await db.ContentItems.CountAsync(i => i.TypeId == id, cancellationToken);
        if (items > 0)
        {
            return Result.Conflict(ContentMessages.Format("Content.Type.DeleteHasItems", items));
        }
        // Reference fields name their target by API identifier (no foreign key): look through the other types.
        var others = await db.ContentTypes.AsNoTracking().Where(t => t.Id != id).ToListAsync(cancellationToken);
        var referencing = others
            .Where(t => t.ActiveFields.Any(f => f.Kind == FieldKind.Reference && string.Equals(f.ReferenceTypeApiId, stored.ApiId, StringComparison.Ordinal)))
            .Select(t => $"{t.Name} ({t.ApiId})").Order(StringComparer.Ordinal).ToList();
        if (referencing.Count > 0)
        {
            return Result.Conflict(ContentMessages.Format("Content.Type.DeleteReferenced", string.Join(", ", referencing)));
        }
        db.ContentTypes.Remove(stored);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // An item was created between the count and the delete: the foreign key refused it.
            var now = await db.ContentItems.CountAsync(i => i.TypeId == id, cancellationToken);
            return Result.Conflict(ContentMessages.Format("Content.Type.DeleteHasItems", now));
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.ContentTypeDeleted, AuditEntityTypes.ContentType, stored.Id.ToString(),
            ContentAudit.Type(stored), AuditOutcome.Success,
            [new FieldChange("Name", stored.Name, null), new FieldChange("ApiId", stored.ApiId, null),
             new FieldChange("Fields", DescribeFields(stored.Fields), null)]), cancellationToken);
        await typeChanges.NotifyAsync(stored.ApiId, cancellationToken);
        return Result.Success;
    }

    private static FieldDefinition Clean(FieldDefinition field)
    {
        var copy = field.Clone();
        copy.Key = (copy.Key ?? "").Trim();
        copy.LabelEn = (copy.LabelEn ?? "").Trim();
        copy.LabelJa = (copy.LabelJa ?? "").Trim();
        copy.Pattern = string.IsNullOrWhiteSpace(copy.Pattern) ? null : copy.Pattern;
        copy.Choices = [.. copy.Choices.Select(c => (c ?? "").Trim()).Where(c => c.Length > 0)];
        if (copy.Kind != FieldKind.Reference)
        {
            copy.ReferenceTypeApiId = null;
        }
        return copy;
    }

    private static string DescribeApproval(ContentType type) => type.RequiresApproval
        ? $"required; reviewers: {string.Join(", ", new[] { type.ReviewerRole is null ? null : "role " + type.ReviewerRole }.OfType<string>().Concat(type.ReviewerEmailList))}"
        : "off";

    private static string IndexSignature(IEnumerable<FieldDefinition> fields) =>
        string.Join(";", fields.Where(f => !f.IsArchived).Select(f => $"{f.Key}:{f.Kind}").Order(StringComparer.Ordinal));

    private static string DeliverySignature(IEnumerable<FieldDefinition> fields) =>
        string.Join(";", fields.Where(f => !f.IsArchived).Select(f => $"{f.Key}:{f.Kind}"));

    internal static string DescribeFields(IEnumerable<FieldDefinition> fields) =>
        string.Join("; ", fields.Select(f => $"{f.Key}:{f.Kind} \"{f.LabelEn}\"/\"{f.LabelJa}\"{(f.Required ? " required" : "")}{(f.Unique ? " unique" : "")}{(f.IsArchived ? " (archived)" : "")}"));

    /// <summary>Lengths, ranges, patterns, choices and reference targets: a change to one alone is a change to save.</summary>
    private static string DescribeRules(IEnumerable<FieldDefinition> fields) => string.Join("; ", fields
        .Where(f => f.MinLength is not null || f.MaxLength is not null || f.MinValue is not null || f.MaxValue is not null || f.Pattern is not null || f.Choices.Count > 0 || f.ReferenceTypeApiId is not null)
        .Select(f => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{f.Key}: length {f.MinLength}..{f.MaxLength}, value {f.MinValue}..{f.MaxValue}, pattern {f.Pattern}, choices [{string.Join("|", f.Choices)}], refers to {f.ReferenceTypeApiId}")));
}
