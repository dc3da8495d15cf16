namespace Kuroco.Core.Audit;

/// <summary>One entry by its position in the chain: the detail drawer opened from a shared link (<c>/audit?entry=123</c>).</summary>
public interface IAuditEntryLookup
{
    /// <summary>The entry with this <see cref="AuditEntry.Sequence"/>, or null when there is none (never written, or purged).</summary>
    Task<AuditEntry?> FindAsync(long sequence, CancellationToken cancellationToken = default);
}
