using Kuroco.Core.Audit;

namespace Kuroco.Tests.Unit.Audit;

public sealed class AuditChainVerifierTests
{
    [Fact]
    public void An_intact_chain_verifies_and_counts_every_entry()
    {
        var result = AuditChainVerifier.Verify(AuditChainBuilder.Chain(5));
        Assert.True(result.IsIntact);
        Assert.Equal(AuditChainProblem.None, result.Problem);
        Assert.Null(result.FirstBrokenSequence);
        Assert.Equal(5, result.EntriesChecked);
    }

    [Fact]
    public void An_empty_chain_is_intact()
    {
        var result = AuditChainVerifier.Verify([]);
        Assert.True(result.IsIntact);
        Assert.Equal(0, result.EntriesChecked);
        Assert.Null(result.FirstBrokenSequence);
    }

    [Fact]
    public void An_edited_entry_is_a_hash_mismatch_at_that_sequence()
    {
        var chain = AuditChainBuilder.Chain(5);
        chain[2].Summary = "nothing to see here";

        var result = AuditChainVerifier.Verify(chain);

        Assert.False(result.IsIntact);
        Assert.Equal(AuditChainProblem.HashMismatch, result.Problem);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Equal(3, result.EntriesChecked);
    }

    [Fact]
    public void A_deleted_entry_is_a_sequence_gap_at_the_entry_after_it()
    {
        var chain = AuditChainBuilder.Chain(5);
        chain.RemoveAt(2);

        var result = AuditChainVerifier.Verify(chain);

        Assert.Equal(AuditChainProblem.SequenceGap, result.Problem);
        Assert.Equal(4, result.FirstBrokenSequence);
    }

    [Fact]
    public void A_deleted_last_entry_is_caught_by_the_anchor_of_an_earlier_check()
    {
        var chain = AuditChainBuilder.Chain(5);
        var anchor = new AuditAnchor(5, chain[4].Hash, DateTime.UtcNow);
        chain.RemoveAt(4);
        var result = AuditChainVerifier.Verify(chain, anchor);
        Assert.Equal(AuditChainProblem.Truncated, result.Problem);
        Assert.Equal(5, result.FirstBrokenSequence);
    }

    [Fact]
    public void A_chain_rewritten_consistently_is_caught_by_the_anchor()
    {
        var original = AuditChainBuilder.Chain(4);
        var anchor = new AuditAnchor(3, original[2].Hash, DateTime.UtcNow);
        // Rebuilt from entry 2 on with new content and fresh hashes: the chain alone is valid.
        var rewritten = original.Take(1).ToList();
        foreach (var entry in original.Skip(1))
        {
            entry.Summary += " (rewritten)";
            entry.PreviousHash = rewritten[^1].Hash;
            entry.Hash = AuditHasher.Compute(entry);
            rewritten.Add(entry);
        }
        Assert.True(AuditChainVerifier.Verify(rewritten).IsIntact);
        var result = AuditChainVerifier.Verify(rewritten, anchor);
        Assert.Equal(AuditChainProblem.AnchorMismatch, result.Problem);
        Assert.Equal(3, result.FirstBrokenSequence);
    }

    [Fact]
    public void An_intact_chain_reports_its_newest_entry_as_the_next_anchor()
    {
        var chain = AuditChainBuilder.Chain(3);
        var result = AuditChainVerifier.Verify(chain, new AuditAnchor(2, chain[1].Hash, DateTime.UtcNow));
        Assert.True(result.IsIntact);
        Assert.Equal(3, result.LastSequence);
        Assert.Equal(chain[2].Hash, result.LastHash);
    }

    [Fact]
    public void A_deleted_last_entry_cannot_be_seen_by_the_chain_alone()
    {
        // Documented limit: truncating the tail leaves a valid shorter chain (the count tells).
        var chain = AuditChainBuilder.Chain(5);
        chain.RemoveAt(4);
        var result = AuditChainVerifier.Verify(chain);
        Assert.True(result.IsIntact);
        Assert.Equal(4, result.EntriesChecked);
    }

    [Fact]
    public void An_edited_and_rehashed_entry_breaks_the_link_of_the_next_one()
    {
        var chain = AuditChainBuilder.Chain(5);
        chain[1].Summary = "rewritten";
        chain[1].Hash = AuditHasher.Compute(chain[1]);

        var result = AuditChainVerifier.Verify(chain);

        Assert.Equal(AuditChainProblem.BrokenLink, result.Problem);
        Assert.Equal(3, result.FirstBrokenSequence);
    }

    [Fact]
    public void An_entry_relinked_to_another_predecessor_is_a_broken_link()
    {
        // Entry 3 is removed and entry 4 renumbered and re-linked to entry 1, rehashed: the gap is hidden
        // but 3 no longer points at entry 2's hash.
        var chain = AuditChainBuilder.Chain(5);
        var relinked = chain[3];
        chain.RemoveAt(2);
        relinked.Sequence = 3;
        relinked.PreviousHash = chain[0].Hash;
        relinked.Hash = AuditHasher.Compute(relinked);

        var result = AuditChainVerifier.Verify(chain);

        Assert.Equal(AuditChainProblem.BrokenLink, result.Problem);
        Assert.Equal(3, result.FirstBrokenSequence);
    }

    [Fact]
    public void A_first_entry_that_does_not_start_from_genesis_is_a_broken_link()
    {
        var entry = AuditChainBuilder.Entry(1, new string('f', AuditEntry.HashLength));
        entry.Hash = AuditHasher.Compute(entry);

        var result = AuditChainVerifier.Verify([entry]);

        Assert.Equal(AuditChainProblem.BrokenLink, result.Problem);
        Assert.Equal(1, result.FirstBrokenSequence);
    }

    [Fact]
    public void A_chain_that_does_not_start_at_one_is_a_sequence_gap()
    {
        var chain = AuditChainBuilder.Chain(3);
        chain.RemoveAt(0);
        var result = AuditChainVerifier.Verify(chain);
        Assert.Equal(AuditChainProblem.SequenceGap, result.Problem);
        Assert.Equal(2, result.FirstBrokenSequence);
    }

    [Fact]
    public void After_the_first_break_later_entries_are_refused_and_the_first_break_is_kept()
    {
        var chain = AuditChainBuilder.Chain(5);
        chain[1].Summary = "edited";
        chain[3].Summary = "edited too";
        var verifier = new AuditChainVerifier();

        Assert.True(verifier.Check(chain[0]));
        Assert.False(verifier.Check(chain[1]));
        Assert.False(verifier.Check(chain[2]));
        Assert.False(verifier.Check(chain[3]));

        var result = verifier.Result();
        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.Equal(AuditChainProblem.HashMismatch, result.Problem);
        Assert.Equal(2, result.EntriesChecked);
    }

    [Fact]
    public void A_chain_purged_up_to_a_checkpoint_verifies_from_the_checkpoint()
    {
        var chain = AuditChainBuilder.Chain(6);
        var checkpoint = new AuditCheckpoint(3, chain[2].Hash, DateTime.UtcNow);
        chain.RemoveRange(0, 3);

        Assert.Equal(AuditChainProblem.SequenceGap, AuditChainVerifier.Verify(chain).Problem);
        var result = AuditChainVerifier.Verify(chain, checkpoint: checkpoint);

        Assert.True(result.IsIntact);
        Assert.Equal(3, result.EntriesChecked);
        Assert.Equal(6, result.LastSequence);
    }

    [Fact]
    public void An_edited_entry_after_the_checkpoint_is_still_a_hash_mismatch()
    {
        var chain = AuditChainBuilder.Chain(6);
        var checkpoint = new AuditCheckpoint(3, chain[2].Hash, DateTime.UtcNow);
        chain.RemoveRange(0, 3);
        chain[1].Summary = "nothing to see here";

        var result = AuditChainVerifier.Verify(chain, checkpoint: checkpoint);

        Assert.Equal(AuditChainProblem.HashMismatch, result.Problem);
        Assert.Equal(5, result.FirstBrokenSequence);
    }

    [Fact]
    public void A_checkpoint_with_a_forged_hash_breaks_the_link_of_the_first_remaining_entry()
    {
        var chain = AuditChainBuilder.Chain(6);
        var checkpoint = new AuditCheckpoint(3, new string('0', AuditEntry.HashLength), DateTime.UtcNow);
        chain.RemoveRange(0, 3);

        var result = AuditChainVerifier.Verify(chain, checkpoint: checkpoint);

        Assert.Equal(AuditChainProblem.BrokenLink, result.Problem);
        Assert.Equal(4, result.FirstBrokenSequence);
    }
}
