using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Audit;

/// <summary>Saved audit filters, per owner; a short-lived context per call (the audit page runs in a circuit).</summary>
internal sealed class AuditSavedFilters(IDbContextFactory<KurocoDbContext> contexts, IAuditLog audit, TimeProvider clock) : IAuditSavedFilters
{
    public async Task<IReadOnlyList<AuditSavedFilter>> ListAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerId);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var filters = await db.AuditSavedFilters.AsNoTracking().Where(f => f.OwnerId == ownerId).ToListAsync(cancellationToken);
        return [.. filters.OrderBy(f => f.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    public async Task<(AuditSavedFilter? Filter, AuditSavedFilterError Error)> SaveAsync(
        string ownerId, string name, string query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerId);
        name = name?.Trim() ?? "";
        query = (query ?? "").TrimStart('?');
        var error = name.Length == 0 ? AuditSavedFilterError.NameRequired
            : name.Length > AuditSavedFilter.NameMaxLength ? AuditSavedFilterError.NameTooLong
            : query.Length > AuditSavedFilter.QueryMaxLength ? AuditSavedFilterError.QueryTooLong
            : AuditSavedFilterError.None;
        if (error != AuditSavedFilterError.None)
        {
            return (null, error);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var mine = await db.AuditSavedFilters.Where(f => f.OwnerId == ownerId).Select(f => f.Name).ToListAsync(cancellationToken);
        if (mine.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return (null, AuditSavedFilterError.NameTaken);
        }
        if (mine.Count >= AuditSavedFilter.MaxPerOwner)
        {
            return (null, AuditSavedFilterError.TooMany);
        }
        var filter = new AuditSavedFilter
        {
            Id = Guid.NewGuid(),
            OwnerId = ownerId,
            Name = name,
            Query = query,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.AuditSavedFilters.Add(filter);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.AuditFilterSaved, nameof(AuditSavedFilter), filter.Id.ToString(),
            new Dictionary<string, string?> { ["name"] = name, ["query"] = query }), cancellationToken);
        return (filter, AuditSavedFilterError.None);
    }

    public async Task<AuditSavedFilterError> DeleteAsync(string ownerId, Guid id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerId);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var filter = await db.AuditSavedFilters.FirstOrDefaultAsync(f => f.Id == id && f.OwnerId == ownerId, cancellationToken);
        if (filter is null)
        {
            return AuditSavedFilterError.NotFound;
        }
        db.AuditSavedFilters.Remove(filter);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.AuditFilterDeleted, nameof(AuditSavedFilter), filter.Id.ToString(),
            new Dictionary<string, string?> { ["name"] = filter.Name, ["query"] = filter.Query }), cancellationToken);
        return AuditSavedFilterError.None;
    }
}

internal sealed class AuditSavedFilterConfiguration : IEntityTypeConfiguration<AuditSavedFilter>
{
    public void Configure(EntityTypeBuilder<AuditSavedFilter> builder)
    {
        builder.ToTable("AuditSavedFilters");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.OwnerId).HasMaxLength(450).IsRequired();
        builder.Property(f => f.Name).HasMaxLength(AuditSavedFilter.NameMaxLength).IsRequired();
        builder.Property(f => f.Query).HasMaxLength(AuditSavedFilter.QueryMaxLength).IsRequired();
        // Owned by a staff user: removed with the account.
        builder.HasOne<Identity.StaffUser>().WithMany().HasForeignKey(f => f.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => f.OwnerId);
    }
}
