using Kuroco.Core.Audit;

namespace Kuroco.Tests.Unit.Audit;

public sealed class AuditHasherTests
{
    [Fact]
    public void The_same_entry_always_hashes_to_the_same_lowercase_sha256_hex()
    {
        var entry = AuditChainBuilder.Entry(7, AuditHasher.GenesisHash);
        var first = AuditHasher.Compute(entry);
        var second = AuditHasher.Compute(AuditChainBuilder.Entry(7, AuditHasher.GenesisHash));

        Assert.Equal(first, second);
        Assert.Equal(AuditEntry.HashLength, first.Length);
        Assert.Matches("^[0-9a-f]{64}$", first);
    }

    [Fact]
    public void The_stored_hash_itself_is_not_part_of_the_input()
    {
        var entry = AuditChainBuilder.Entry(1, AuditHasher.GenesisHash);
        var before = AuditHasher.Compute(entry);
        entry.Hash = "anything";
        Assert.Equal(before, AuditHasher.Compute(entry));
    }

    public static TheoryData<string, Action<AuditEntry>> FieldChanges() => new()
    {
        { nameof(AuditEntry.Sequence), e => e.Sequence++ },
        { nameof(AuditEntry.OccurredAtUtc), e => e.OccurredAtUtc = e.OccurredAtUtc.AddTicks(1) },
        { nameof(AuditEntry.ActorId), e => e.ActorId = "user-9" },
        { nameof(AuditEntry.ActorName), e => e.ActorName = "mallory@test.local" },
        { nameof(AuditEntry.ActorRoles), e => e.ActorRoles = "Administrator,Operator" },
        { nameof(AuditEntry.Action), e => e.Action = AuditActions.StaffDisabled },
        { nameof(AuditEntry.EntityType), e => e.EntityType = "Mail" },
        { nameof(AuditEntry.EntityId), e => e.EntityId = "user-3" },
        { nameof(AuditEntry.Summary), e => e.Summary += "." },
        { nameof(AuditEntry.Changes), e => e.Changes = "[]" },
        { nameof(AuditEntry.Outcome), e => e.Outcome = AuditOutcome.Denied },
        { nameof(AuditEntry.IpAddress), e => e.IpAddress = "10.0.0.1" },
        { nameof(AuditEntry.UserAgent), e => e.UserAgent = "curl" },
        { nameof(AuditEntry.CorrelationId), e => e.CorrelationId = "other" },
        { nameof(AuditEntry.PreviousHash), e => e.PreviousHash = new string('1', AuditEntry.HashLength) },
        { nameof(AuditEntry.FormatVersion), e => e.FormatVersion = AuditEntry.ParametersFormat },
        // Format 1 shows its stored summary and never reads parameters; from format 2 on they are hashed
        // (AuditParametersFormatTests edits one of a format-2 entry).
        { nameof(AuditEntry.Parameters), e => (e.FormatVersion, e.Parameters) = (AuditEntry.ParametersFormat, "{}") },
    };

    [Theory]
    [MemberData(nameof(FieldChanges))]
    public void Changing_any_field_changes_the_hash(string field, Action<AuditEntry> change)
    {
        var entry = AuditChainBuilder.Entry(3, AuditHasher.GenesisHash);
        var original = AuditHasher.Compute(entry);
        change(entry);
        Assert.True(original != AuditHasher.Compute(entry), $"Changing {field} did not change the hash.");
    }

    [Fact]
    public void Every_hashed_field_is_covered_by_the_field_theory()
    {
        // A field added to AuditEntry must also be added to the hash (and to FieldChanges above).
        var covered = FieldChanges().Select(row => (string)row[0]).Append(nameof(AuditEntry.Hash));
        var properties = typeof(AuditEntry).GetProperties().Select(p => p.Name);
        Assert.Equal(properties.Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("ab", "c", "a", "bc")]
    [InlineData("a|1:b", "", "a", "b|")]
    [InlineData("", "x", "x", "")]
    public void Moving_text_between_adjacent_fields_changes_the_hash(string name1, string roles1, string name2, string roles2)
    {
        // Without length prefixes "ab"+"c" and "a"+"bc" would serialize alike.
        var first = AuditChainBuilder.Entry(1, AuditHasher.GenesisHash);
        first.ActorName = name1;
        first.ActorRoles = roles1;
        var second = AuditChainBuilder.Entry(1, AuditHasher.GenesisHash);
        second.ActorName = name2;
        second.ActorRoles = roles2;
        Assert.NotEqual(AuditHasher.Compute(first), AuditHasher.Compute(second));
    }

    [Fact]
    public void A_null_value_and_an_empty_value_hash_differently()
    {
        var withNull = AuditChainBuilder.Entry(1, AuditHasher.GenesisHash);
        withNull.EntityId = null;
        var withEmpty = AuditChainBuilder.Entry(1, AuditHasher.GenesisHash);
        withEmpty.EntityId = "";
        Assert.NotEqual(AuditHasher.Compute(withNull), AuditHasher.Compute(withEmpty));
    }

    [Fact]
    public void The_genesis_hash_is_64_zeros()
    {
        Assert.Equal(new string('0', 64), AuditHasher.GenesisHash);
    }
}
