using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kuroco.Core.Audit;

namespace Kuroco.Tests.Unit.Audit;

/// <summary>
/// Entries of format 2 store the action and parameters instead of an English sentence; the hash covers that stored
/// form, and entries of format 1 (written before) still verify with the hash they were written with.
/// </summary>
public sealed class AuditParametersFormatTests
{
    [Fact]
    public void Parameters_are_stored_as_a_json_object_with_sorted_keys_and_readable_text()
    {
        var json = AuditParameters.Serialize(AuditParameters.Of(("roles", "ContentEditor,Operator"), ("email", "編集者@example.com"), ("count", null)));

        Assert.Equal("""{"count":null,"email":"編集者@example.com","roles":"ContentEditor,Operator"}""", json);
        var back = AuditParameters.Deserialize(json);
        Assert.Equal("編集者@example.com", back["email"]);
        Assert.Null(back["count"]);
        Assert.Empty(AuditParameters.Deserialize("not json"));
    }

    [Fact]
    public void A_format_1_entry_hashes_exactly_as_before_issue_12_so_old_rows_still_verify()
    {
        var entry = AuditChainBuilder.Entry(3, AuditHasher.GenesisHash, "admin@test.local updated a staff account.");

        Assert.Equal(AuditEntry.LegacyFormat, entry.FormatVersion);
        Assert.Equal(LegacyHash(entry), AuditHasher.Compute(entry));
    }

    [Fact]
    public void A_format_2_entry_hashes_its_format_and_parameters()
    {
        var entry = ParametersEntry(1, AuditHasher.GenesisHash);
        var hash = AuditHasher.Compute(entry);

        Assert.NotEqual(LegacyHash(entry), hash);
        entry.Parameters = entry.Parameters!.Replace("editor@", "mallory@", StringComparison.Ordinal);
        Assert.NotEqual(hash, AuditHasher.Compute(entry));
        entry.Parameters = ParametersEntry(1, AuditHasher.GenesisHash).Parameters;
        Assert.Equal(hash, AuditHasher.Compute(entry));
        entry.FormatVersion = AuditEntry.LegacyFormat;
        Assert.NotEqual(hash, AuditHasher.Compute(entry));
    }

    [Fact]
    public void An_edited_parameter_breaks_the_chain_at_that_entry_while_old_and_new_entries_verify_together()
    {
        var entries = AuditChainBuilder.Chain(3);
        var previous = entries[^1].Hash;
        for (var sequence = 4; sequence <= 6; sequence++)
        {
            var entry = ParametersEntry(sequence, previous);
            entry.Hash = AuditHasher.Compute(entry);
            entries.Add(entry);
            previous = entry.Hash;
        }
        Assert.True(AuditChainVerifier.Verify(entries).IsIntact);

        entries[4].Parameters = """{"email":"someone-else@example.com","variant":"required"}""";
        var result = AuditChainVerifier.Verify(entries);

        Assert.Equal(AuditChainProblem.HashMismatch, result.Problem);
        Assert.Equal(5, result.FirstBrokenSequence);
    }

    private static AuditEntry ParametersEntry(long sequence, string previousHash)
    {
        var entry = AuditChainBuilder.Entry(sequence, previousHash, "");
        entry.Action = AuditActions.PasswordChanged;
        entry.FormatVersion = AuditEntry.ParametersFormat;
        entry.Parameters = AuditParameters.Serialize(AuditParameters.Of(("email", "editor@example.com"), ("variant", "required")));
        return entry;
    }

    /// <summary>The hash as AuditHasher computed it before format 2 existed (issue 2), field by field.</summary>
    private static string LegacyHash(AuditEntry e)
    {
        var builder = new StringBuilder();
        foreach (var value in new[]
        {
            e.Sequence.ToString(CultureInfo.InvariantCulture), e.OccurredAtUtc.Ticks.ToString(CultureInfo.InvariantCulture),
            e.ActorId, e.ActorName, e.ActorRoles, e.Action, e.EntityType, e.EntityId, e.Summary, e.Changes,
            ((int)e.Outcome).ToString(CultureInfo.InvariantCulture), e.IpAddress, e.UserAgent, e.CorrelationId, e.PreviousHash,
        })
        {
            builder.Append(value is null ? "-1:" : value.Length.ToString(CultureInfo.InvariantCulture) + ":" + value + "|");
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
