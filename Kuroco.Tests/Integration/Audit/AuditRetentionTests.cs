using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Audit;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>The real app on a real SQLite file with a controllable clock and no job server (the tests run the jobs).</summary>
public sealed class AuditRetentionAppFactory : KurocoAppFactory
{
    public static readonly DateTimeOffset Start = new(2025, 10, 1, 0, 0, 0, TimeSpan.Zero);

    public AuditRetentionAppFactory()
    {
        Settings["Kuroco:Jobs:RunServer"] = "false";
        TestServices = services => services.AddSingleton<TimeProvider>(Clock);
    }

    public FakeTimeProvider Clock { get; } = new(Start);
}

/// <summary>
/// The retention purge on 14 months of entries: what is older than the retention goes, oldest first, the checkpoint
/// moves in the database and in the file outside it, and the rest of the chain still verifies. Each test has its own app.
/// </summary>
public sealed class AuditRetentionTests : IAsyncLifetime
{
    private readonly AuditRetentionAppFactory factory = new();

    public async Task InitializeAsync()
    {
        // Start-up writes its entries at the start; then one entry every 5 days for 14 months.
        _ = factory.Services;
        var end = AuditRetentionAppFactory.Start.AddMonths(14);
        var i = 0;
        while (factory.Clock.GetUtcNow() < end)
        {
            var n = i++;
            await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(
                new AuditRecord(AuditActions.StaffUpdated, "Staff", $"s{n}", $"entry {n}")));
            factory.Clock.Advance(TimeSpan.FromDays(5));
        }
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Entries_older_than_the_retention_are_purged_and_the_rest_of_the_chain_verifies_from_the_checkpoint()
    {
        var before = await factory.AuditEntriesAsync();
        var cutoff = factory.Clock.GetUtcNow().UtcDateTime.AddMonths(-12);
        var expired = before.Where(e => e.OccurredAtUtc < cutoff).ToList();
        Assert.NotEmpty(expired);

        var report = await PurgeAsync();

        Assert.Equal(AuditPurgeOutcome.Purged, report.Outcome);
        Assert.Equal(expired.Count, report.PurgedCount);
        Assert.Equal(cutoff, report.CutoffUtc);
        var after = await factory.AuditEntriesAsync();
        Assert.DoesNotContain(after, e => e.OccurredAtUtc < cutoff);
        Assert.Equal(expired[^1].Sequence + 1, after[0].Sequence);
        // The checkpoint names the last purged entry, in the file and in the database alike.
        var file = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditAnchorStore>().ReadCheckpointAsync());
        Assert.Equal(new AuditCheckpoint(expired[^1].Sequence, expired[^1].Hash, factory.Clock.GetUtcNow().UtcDateTime), file);
        var status = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditRetentionStore>().GetStatusAsync());
        Assert.Equal(file, status.Checkpoint);
        Assert.Equal(expired.Count, status.LastPurge!.PurgedCount);
        Assert.Equal(AuditPurgeOutcome.Purged, status.LastPurge.Outcome);
        var stored = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().AuditRetention.AsNoTracking().SingleAsync());
        Assert.Equal(file, stored.Checkpoint);
        // The purge is itself in the chain.
        var record = after[^1];
        Assert.Equal(AuditActions.AuditRetentionPurged, record.Action);
        Assert.Contains($"removed {expired.Count} entries older than {cutoff:yyyy-MM-dd}", AuditText.English(record));

        var verification = await VerifyAsync();
        Assert.True(verification.IsIntact, verification.Problem.ToString());
        Assert.Equal(after.Count, verification.EntriesChecked);

        // Running again the same day finds nothing more: idempotent.
        var again = await PurgeAsync();
        Assert.Equal(AuditPurgeOutcome.NothingToPurge, again.Outcome);
        Assert.Equal(after.Count, (await factory.AuditEntriesAsync()).Count);
    }

    [Fact]
    public async Task An_entry_edited_after_the_purge_is_still_detected()
    {
        await PurgeAsync();
        var victim = (await factory.AuditEntriesAsync())[3].Sequence;
        await factory.WithScopeAsync(async sp => Assert.Equal(1, await sp.GetRequiredService<KurocoDbContext>().Database
            .ExecuteSqlAsync($"UPDATE AuditEntries SET Summary = {"nothing happened"} WHERE Sequence = {victim}")));

        var result = await VerifyAsync();

        Assert.Equal(AuditChainProblem.HashMismatch, result.Problem);
        Assert.Equal(victim, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Entries_deleted_with_the_database_checkpoint_moved_but_not_the_file_are_detected()
    {
        await PurgeAsync();
        var entries = await factory.AuditEntriesAsync();
        var moved = entries[4];
        // Someone with database access deletes more of the oldest entries and moves the database copy to match.
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            Assert.Equal(5, await db.Database.ExecuteSqlAsync($"DELETE FROM AuditEntries WHERE Sequence <= {moved.Sequence}"));
            Assert.Equal(1, await db.Database.ExecuteSqlAsync(
                $"UPDATE AuditRetention SET CheckpointSequence = {moved.Sequence}, CheckpointHash = {moved.Hash}"));
        });

        var result = await VerifyAsync();

        Assert.Equal(AuditChainProblem.CheckpointMismatch, result.Problem);
        Assert.Equal(entries[0].Sequence, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task A_broken_chain_refuses_the_purge_audits_it_and_mails_the_security_officers()
    {
        await factory.CreateStaffAsync("officer@test.local", StaffRoles.SecurityOfficer);
        await factory.WithScopeAsync(async sp => Assert.Equal(1, await sp.GetRequiredService<KurocoDbContext>().Database
            .ExecuteSqlAsync($"UPDATE AuditEntries SET Summary = {"nothing happened"} WHERE Sequence = {2}")));
        var before = (await factory.AuditEntriesAsync()).Count;

        await factory.WithScopeAsync(sp => sp.GetRequiredService<AuditRetentionPurgeJob>().ExecuteAsync(CancellationToken.None));

        var after = await factory.AuditEntriesAsync();
        Assert.Equal(1, after[0].Sequence);
        var refused = Assert.Single(after, e => e.Action == AuditActions.AuditRetentionPurgeRefused);
        Assert.Equal(AuditOutcome.Failure, refused.Outcome);
        Assert.Contains("breaks at entry 2 (", AuditText.English(refused));
        Assert.Contains("nothing was removed", AuditText.English(refused));
        Assert.Contains("\"problem\":\"HashMismatch\"", refused.Parameters);
        Assert.Equal(before + 1 + 1, after.Count); // the refusal and the queued alert mail
        Assert.Null(await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditAnchorStore>().ReadCheckpointAsync()));
        var status = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditRetentionStore>().GetStatusAsync());
        Assert.Equal(AuditPurgeOutcome.RefusedBrokenChain, status.LastPurge!.Outcome);
        var mail = Assert.Single(await factory.WithScopeAsync(sp =>
            sp.GetRequiredService<KurocoDbContext>().OutboxMessages.AsNoTracking().ToListAsync()));
        Assert.Equal("officer@test.local", mail.ToAddress);
        Assert.Contains("Audit log integrity alert", mail.Subject);
        Assert.Contains("retention purge removed nothing", mail.Body);
    }

    [Theory]
    [InlineData("en-US", "Audit logs must be kept at least 12 months: the security policy promises that logs are kept at least 12 months")]
    [InlineData("ja-JP", "監査ログは最低12か月保管する必要があります。セキュリティ方針で、ログを最低12か月保管")]
    public async Task A_retention_below_12_months_is_refused_with_the_promise_and_changes_nothing(string culture, string message)
    {
        var entriesBefore = (await factory.AuditEntriesAsync()).Count;

        Result result;
        using (new CultureScope(culture))
        {
            result = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditRetentionStore>().SaveAsync(new AuditRetentionSettings(11)));
        }

        Assert.Equal(ErrorKind.Validation, result.Error);
        Assert.Contains(message, result.Message);
        Assert.Equal(12, (await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditRetentionStore>().GetAsync())).RetentionMonths);
        Assert.False(await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().AuditRetention.AnyAsync()));
        Assert.Equal(entriesBefore, (await factory.AuditEntriesAsync()).Count);
    }

    [Fact]
    public async Task A_longer_retention_is_saved_audited_with_before_and_after_and_keeps_older_entries()
    {
        var saved = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditRetentionStore>().SaveAsync(new AuditRetentionSettings(24)));

        Assert.True(saved.Succeeded, saved.Message);
        var entry = (await factory.AuditEntriesAsync())[^1];
        Assert.Equal(AuditActions.AuditRetentionChanged, entry.Action);
        Assert.Equal("Audit retention changed from 12 to 24 months.", AuditText.English(entry));
        Assert.Equal([new FieldChange("RetentionMonths", "12", "24")], AuditChanges.Deserialize(entry.Changes));
        var status = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditRetentionStore>().GetStatusAsync());
        Assert.Equal(24, status.Settings.RetentionMonths);
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime, status.UpdatedAtUtc);
        Assert.Equal(entry.ActorName, status.UpdatedBy);

        var report = await PurgeAsync();
        Assert.Equal(AuditPurgeOutcome.NothingToPurge, report.Outcome);
    }

    private Task<AuditPurgeReport> PurgeAsync() =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditRetentionPurge>().PurgeAsync());

    private Task<AuditChainVerification> VerifyAsync() =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().VerifyChainAsync());
}
