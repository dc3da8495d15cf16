using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Audit;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>
/// The oldest entries are removed up to a checkpoint kept outside the database (what the retention purge
/// will do): the rest still verifies, and tampering after the checkpoint is still caught. Real SQLite file.
/// </summary>
public sealed class AuditCheckpointTests : IAsyncLifetime
{
    private readonly KurocoAppFactory factory = new();

    public async Task InitializeAsync()
    {
        for (var i = 2; i <= 6; i++)
        {
            await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(
                new AuditRecord("test.event", "Test", null, $"entry {i}")));
        }
        Assert.True((await VerifyAsync()).IsIntact);
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Entries_removed_up_to_the_checkpoint_leave_a_chain_that_verifies_from_it()
    {
        await PurgeThroughAsync(3);
        Assert.True(File.Exists(Path.Combine(factory.DataPath, "audit", "checkpoint.json")));

        var result = await VerifyAsync();

        Assert.True(result.IsIntact, result.Problem.ToString());
        Assert.True(result.EntriesChecked >= 3);
    }

    [Fact]
    public async Task An_entry_edited_after_the_checkpoint_is_still_a_hash_mismatch()
    {
        await PurgeThroughAsync(3);
        await factory.WithScopeAsync(async sp => Assert.Equal(1, await sp.GetRequiredService<KurocoDbContext>().Database
            .ExecuteSqlAsync($"UPDATE AuditEntries SET Summary = {"nothing happened"} WHERE Sequence = {5}")));

        var result = await VerifyAsync();

        Assert.Equal(AuditChainProblem.HashMismatch, result.Problem);
        Assert.Equal(5, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Entries_removed_past_the_checkpoint_are_a_sequence_gap()
    {
        await PurgeThroughAsync(3);
        await factory.WithScopeAsync(async sp => Assert.Equal(1, await sp.GetRequiredService<KurocoDbContext>().Database
            .ExecuteSqlAsync($"DELETE FROM AuditEntries WHERE Sequence = {4}")));

        var result = await VerifyAsync();

        Assert.Equal(AuditChainProblem.SequenceGap, result.Problem);
        Assert.Equal(5, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task A_checkpoint_file_without_its_database_copy_once_the_entries_are_gone_is_a_checkpoint_mismatch()
    {
        await PurgeThroughAsync(3, withDatabaseCopy: false);

        var result = await VerifyAsync();

        Assert.Equal(AuditChainProblem.CheckpointMismatch, result.Problem);
        Assert.Equal(4, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task A_checkpoint_file_one_batch_ahead_of_the_database_with_the_entries_still_there_verifies()
    {
        // What a purge interrupted between writing the file and committing the batch leaves behind.
        var last = await factory.WithScopeAsync(sp =>
            sp.GetRequiredService<KurocoDbContext>().AuditEntries.AsNoTracking().SingleAsync(e => e.Sequence == 3));
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditAnchorStore>().WriteCheckpointAsync(
            new AuditCheckpoint(last.Sequence, last.Hash, DateTime.UtcNow)));

        var result = await VerifyAsync();

        Assert.True(result.IsIntact, result.Problem.ToString());
    }

    private Task PurgeThroughAsync(long sequence, bool withDatabaseCopy = true) => factory.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        var last = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Sequence == sequence);
        var at = DateTime.UtcNow;
        await sp.GetRequiredService<IAuditAnchorStore>().WriteCheckpointAsync(new AuditCheckpoint(last.Sequence, last.Hash, at));
        Assert.Equal((int)sequence, await db.Database.ExecuteSqlAsync($"DELETE FROM AuditEntries WHERE Sequence <= {sequence}"));
        if (withDatabaseCopy)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO AuditRetention (Id, RetentionMonths, CheckpointSequence, CheckpointHash, CheckpointPurgedAtUtc, LastPurgeCount)
                VALUES (1, 12, {last.Sequence}, {last.Hash}, {at}, 0)
                """);
        }
    });

    private Task<AuditChainVerification> VerifyAsync() =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().VerifyChainAsync());
}

/// <summary>Storage:AuditAnchorPath moves the anchor and the checkpoint out of the data folder.</summary>
public sealed class AuditAnchorPathTests : IAsyncLifetime
{
    private readonly string anchorFolder = Path.Combine(Path.GetTempPath(), "kuroco-tests-anchor", Guid.NewGuid().ToString("N"));
    private readonly KurocoAppFactory factory = new();

    public Task InitializeAsync()
    {
        factory.Settings["Storage:AuditAnchorPath"] = anchorFolder;
        factory.Settings["Kuroco:Jobs:RunServer"] = "false";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await factory.DisposeAsync();
        if (Directory.Exists(anchorFolder))
        {
            Directory.Delete(anchorFolder, recursive: true);
        }
    }

    [Fact]
    public async Task The_anchor_and_the_checkpoint_are_written_to_the_configured_folder()
    {
        var result = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().VerifyChainAsync());
        var first = (await factory.AuditEntriesAsync())[0];
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditAnchorStore>().WriteCheckpointAsync(
            new AuditCheckpoint(first.Sequence, first.Hash, DateTime.UtcNow)));

        Assert.True(result.IsIntact);
        Assert.True(File.Exists(Path.Combine(anchorFolder, "anchor.json")));
        Assert.True(File.Exists(Path.Combine(anchorFolder, "checkpoint.json")));
        Assert.False(Directory.Exists(Path.Combine(factory.DataPath, "audit")));
    }
}
