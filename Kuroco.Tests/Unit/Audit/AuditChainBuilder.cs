using Kuroco.Core.Audit;

namespace Kuroco.Tests.Unit.Audit;

/// <summary>Builds a correctly linked and hashed chain, the way AuditLog appends entries.</summary>
internal static class AuditChainBuilder
{
    public static AuditEntry Entry(long sequence, string previousHash, string summary = "something happened") => new()
    {
        Sequence = sequence,
        OccurredAtUtc = new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc).AddMinutes(sequence),
        ActorId = "user-1",
        ActorName = "admin@test.local",
        ActorRoles = "Administrator",
        Action = AuditActions.StaffUpdated,
        EntityType = "Staff",
        EntityId = "user-2",
        Summary = summary,
        Changes = null,
        Outcome = AuditOutcome.Success,
        IpAddress = "127.0.0.1",
        UserAgent = "tests",
        CorrelationId = "corr-" + sequence,
        PreviousHash = previousHash,
    };

    public static List<AuditEntry> Chain(int count)
    {
        var entries = new List<AuditEntry>();
        var previous = AuditHasher.GenesisHash;
        for (var sequence = 1; sequence <= count; sequence++)
        {
            var entry = Entry(sequence, previous, $"entry {sequence}");
            entry.Hash = AuditHasher.Compute(entry);
            entries.Add(entry);
            previous = entry.Hash;
        }
        return entries;
    }
}
