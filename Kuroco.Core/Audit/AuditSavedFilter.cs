namespace Kuroco.Core.Audit;

/// <summary>A named audit search of one staff user: the /audit query string, to apply again with one click.</summary>
public sealed class AuditSavedFilter
{
    public const int NameMaxLength = 100;
    public const int QueryMaxLength = 2000;

    /// <summary>How many filters one user may keep.</summary>
    public const int MaxPerOwner = 50;

    public Guid Id { get; set; }

    /// <summary>The staff user who saved it; only they see it.</summary>
    public string OwnerId { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The audit page's query string without the leading '?' (e.g. <c>preset=last7&amp;outcome=Failure</c>).</summary>
    public string Query { get; set; } = "";

    public DateTime CreatedAtUtc { get; set; }
}

public enum AuditSavedFilterError
{
    None = 0,
    NameRequired = 1,
    NameTooLong = 2,
    QueryTooLong = 3,
    NameTaken = 4,
    TooMany = 5,
    NotFound = 6,
}

/// <summary>The current user's saved audit filters. Saving and deleting are audited.</summary>
public interface IAuditSavedFilters
{
    Task<IReadOnlyList<AuditSavedFilter>> ListAsync(string ownerId, CancellationToken cancellationToken = default);

    Task<(AuditSavedFilter? Filter, AuditSavedFilterError Error)> SaveAsync(string ownerId, string name, string query, CancellationToken cancellationToken = default);

    /// <summary>Deletes one of the owner's filters; another user's id is <see cref="AuditSavedFilterError.NotFound"/>.</summary>
    Task<AuditSavedFilterError> DeleteAsync(string ownerId, Guid id, CancellationToken cancellationToken = default);
}
