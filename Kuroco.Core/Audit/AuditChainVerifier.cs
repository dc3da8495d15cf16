namespace Kuroco.Core.Audit;

public enum AuditChainProblem
{
    None = 0,
    /// <summary>The stored hash does not match the entry's content: the entry was edited.</summary>
    HashMismatch = 1,
    /// <summary>The entry does not point at the hash of the entry before it: an entry was removed or inserted.</summary>
    BrokenLink = 2,
    /// <summary>A sequence number is missing: an entry was deleted.</summary>
    SequenceGap = 3,
    /// <summary>The log ends before the last entry an earlier check saw: the newest entries were deleted.</summary>
    Truncated = 4,
    /// <summary>The entry an earlier check saw has another hash now: the log was rewritten from there on.</summary>
    AnchorMismatch = 5,
    /// <summary>
    /// The retention checkpoint in the database does not agree with the one kept outside it: old entries were
    /// removed (or the database copy moved) without the retention purge.
    /// </summary>
    CheckpointMismatch = 6,
}

/// <summary>
/// The newest entry a successful check saw, kept outside the database, so that deleting the newest
/// entries (which leaves a valid, shorter chain) or rewriting the chain is still detected.
/// </summary>
public sealed record AuditAnchor(long Sequence, string Hash, DateTime VerifiedAtUtc);

/// <summary>
/// The last entry removed by the retention purge: the remaining chain starts at
/// <see cref="Sequence"/> + 1 and links to <see cref="Hash"/>. Kept in the database and in the anchor
/// outside it, so a purge is not mistaken for tampering and a forged checkpoint is still detected.
/// </summary>
public sealed record AuditCheckpoint(long Sequence, string Hash, DateTime PurgedAtUtc);

/// <summary>Keeps the anchor where an attacker with only database access cannot change it.</summary>
public interface IAuditAnchorStore
{
    Task<AuditAnchor?> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Records a newer anchor; an older one than the stored anchor is ignored.</summary>
    Task WriteAsync(AuditAnchor anchor, CancellationToken cancellationToken = default);

    /// <summary>The last purged entry, or null when nothing was ever purged.</summary>
    Task<AuditCheckpoint?> ReadCheckpointAsync(CancellationToken cancellationToken = default);

    /// <summary>Records a later checkpoint; one not after the stored checkpoint is ignored.</summary>
    Task WriteCheckpointAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default);
}

/// <summary>The result of verifying the chain: intact, or the first broken entry and why.</summary>
public sealed record AuditChainVerification(long EntriesChecked, long? FirstBrokenSequence, AuditChainProblem Problem)
{
    public bool IsIntact => Problem == AuditChainProblem.None;

    /// <summary>The newest entry checked (when intact): the next anchor.</summary>
    public long? LastSequence { get; init; }

    public string? LastHash { get; init; }
}

/// <summary>Walks entries in sequence order and reports the first one that breaks the chain.</summary>
public sealed class AuditChainVerifier(AuditAnchor? anchor = null, AuditCheckpoint? checkpoint = null)
{
    private long checkedCount;
    private long expectedSequence = (checkpoint?.Sequence ?? 0) + 1;
    private string expectedPreviousHash = checkpoint?.Hash ?? AuditHasher.GenesisHash;

    public AuditChainVerification? Failure { get; private set; }

    /// <summary>Feeds the next entry; returns false once a break is found (later entries are not checked).</summary>
    public bool Check(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (Failure is not null)
        {
            return false;
        }
        checkedCount++;
        var problem = AuditChainProblem.None;
        if (entry.Sequence != expectedSequence)
        {
            problem = AuditChainProblem.SequenceGap;
        }
        else if (!string.Equals(entry.PreviousHash, expectedPreviousHash, StringComparison.Ordinal))
        {
            problem = AuditChainProblem.BrokenLink;
        }
        else if (!string.Equals(AuditHasher.Compute(entry), entry.Hash, StringComparison.Ordinal))
        {
            problem = AuditChainProblem.HashMismatch;
        }
        else if (anchor is not null && entry.Sequence == anchor.Sequence && !string.Equals(entry.Hash, anchor.Hash, StringComparison.Ordinal))
        {
            problem = AuditChainProblem.AnchorMismatch;
        }
        if (problem != AuditChainProblem.None)
        {
            Failure = new AuditChainVerification(checkedCount, entry.Sequence, problem);
            return false;
        }
        expectedSequence = entry.Sequence + 1;
        expectedPreviousHash = entry.Hash;
        return true;
    }

    public AuditChainVerification Result()
    {
        if (Failure is not null)
        {
            return Failure;
        }
        var lastSequence = expectedSequence - 1;
        var firstSequence = (checkpoint?.Sequence ?? 0) + 1;
        if (anchor is not null && lastSequence < anchor.Sequence)
        {
            return new AuditChainVerification(checkedCount, lastSequence + 1, AuditChainProblem.Truncated);
        }
        return new AuditChainVerification(checkedCount, null, AuditChainProblem.None)
        {
            LastSequence = lastSequence >= firstSequence ? lastSequence : null,
            LastHash = lastSequence >= firstSequence ? expectedPreviousHash : null,
        };
    }

    public static AuditChainVerification Verify(IEnumerable<AuditEntry> entriesInOrder, AuditAnchor? anchor = null, AuditCheckpoint? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(entriesInOrder);
        var verifier = new AuditChainVerifier(anchor, checkpoint);
        foreach (var entry in entriesInOrder)
        {
            if (!verifier.Check(entry))
            {
                break;
            }
        }
        return verifier.Result();
    }
}
