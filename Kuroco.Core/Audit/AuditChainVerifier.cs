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
}

/// <summary>The result of verifying the chain: intact, or the first broken entry and why.</summary>
public sealed record AuditChainVerification(long EntriesChecked, long? FirstBrokenSequence, AuditChainProblem Problem)
{
    public bool IsIntact => Problem == AuditChainProblem.None;
}

/// <summary>Walks entries in sequence order and reports the first one that breaks the chain.</summary>
public sealed class AuditChainVerifier
{
    private long checkedCount;
    private long expectedSequence = 1;
    private string expectedPreviousHash = AuditHasher.GenesisHash;

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
        if (problem != AuditChainProblem.None)
        {
            Failure = new AuditChainVerification(checkedCount, entry.Sequence, problem);
            return false;
        }
        expectedSequence = entry.Sequence + 1;
        expectedPreviousHash = entry.Hash;
        return true;
    }

    public AuditChainVerification Result() =>
        Failure ?? new AuditChainVerification(checkedCount, null, AuditChainProblem.None);

    public static AuditChainVerification Verify(IEnumerable<AuditEntry> entriesInOrder)
    {
        ArgumentNullException.ThrowIfNull(entriesInOrder);
        var verifier = new AuditChainVerifier();
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
