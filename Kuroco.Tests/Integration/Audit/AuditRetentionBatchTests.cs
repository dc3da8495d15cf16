using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Audit;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>
/// More entries than one purge batch (5,000) and one verification batch (2,000): the purge works through several
/// batches and the verification reports its progress after each. Real SQLite file, fake clock.
/// </summary>
public sealed class AuditRetentionBatchTests : IAsyncLifetime
{
    private const int Old = 11_000;
    private const int Recent = 1_000;
    private readonly AuditRetentionAppFactory factory = new();

    public async Task InitializeAsync()
    {
        _ = factory.Services;
        // Appended straight to the chain (hashed the way AuditLog hashes them): 11,000 entries in October 2025, 1,000 in 2026.
        await factory.WithScopeAsync(async sp =>
        {
            await using var db = sp.GetRequiredService<KurocoDbContext>();
            var tail = await db.AuditEntries.OrderByDescending(e => e.Sequence).FirstAsync();
            var previous = tail.Hash;
            var start = AuditRetentionAppFactory.Start.UtcDateTime.AddHours(1);
            for (var i = 0; i < Old + Recent; i++)
            {
                var entry = new AuditEntry
                {
                    Sequence = tail.Sequence + 1 + i,
                    OccurredAtUtc = i < Old ? start.AddMinutes(i) : start.AddMonths(6).AddMinutes(i),
                    ActorName = "bulk@test.local",
                    Action = AuditActions.StaffUpdated,
                    EntityType = "Staff",
                    EntityId = "s" + i,
                    Summary = "bulk entry " + i,
                    PreviousHash = previous,
                };
                entry.Hash = AuditHasher.Compute(entry);
                previous = entry.Hash;
                db.AuditEntries.Add(entry);
            }
            await db.SaveChangesAsync();
        });
        factory.Clock.SetUtcNow(AuditRetentionAppFactory.Start.AddMonths(14));
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Verification_reports_progress_after_each_batch_up_to_the_total()
    {
        var total = (await factory.AuditEntriesAsync()).Count;
        var reports = new List<AuditVerifyProgress>();

        var result = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().VerifyChainAsync(
            (progress, _) => { reports.Add(progress); return Task.CompletedTask; }));

        Assert.True(result.IsIntact, result.Problem.ToString());
        Assert.Equal((total + 1999) / 2000, reports.Count);
        Assert.All(reports, r => Assert.Equal(total, r.Total));
        Assert.Equal(Enumerable.Range(1, reports.Count).Select(n => Math.Min(total, n * 2000L)), reports.Select(r => r.Checked));
    }

    [Fact]
    public async Task The_purge_removes_the_old_entries_in_several_batches_and_the_chain_verifies()
    {
        var before = await factory.AuditEntriesAsync();
        var cutoff = factory.Clock.GetUtcNow().UtcDateTime.AddMonths(-12);
        var expired = before.Count(e => e.OccurredAtUtc < cutoff);
        Assert.True(expired > 2 * AuditRetentionPurge.BatchSize);

        var report = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditRetentionPurge>().PurgeAsync());

        Assert.Equal(AuditPurgeOutcome.Purged, report.Outcome);
        Assert.Equal(expired, report.PurgedCount);
        var after = await factory.AuditEntriesAsync();
        Assert.Equal(before.Count - expired + 1, after.Count); // plus the purge's own entry
        Assert.Equal(before[expired - 1].Sequence, report.Checkpoint!.Sequence);
        Assert.Equal(before[expired - 1].Hash, report.Checkpoint.Hash);
        var verification = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().VerifyChainAsync());
        Assert.True(verification.IsIntact, verification.Problem.ToString());
    }
}
