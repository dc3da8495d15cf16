using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Audit;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>The append-only log on the real SQLite file.</summary>
public sealed class AuditLogTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task The_context_refuses_to_update_an_entry()
    {
        var written = await WriteAsync("before");

        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            var entry = await db.AuditEntries.SingleAsync(e => e.Sequence == written.Sequence);
            entry.Summary = "after";
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            Assert.Contains("append-only", error.Message);
            Assert.Throws<InvalidOperationException>(() => db.SaveChanges());
        });

        var stored = Assert.Single(await factory.AuditEntriesAsync(), e => e.Sequence == written.Sequence);
        Assert.Equal("before", stored.Summary);
    }

    [Fact]
    public async Task The_context_refuses_to_delete_an_entry()
    {
        var written = await WriteAsync("keep me");

        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            db.AuditEntries.Remove(await db.AuditEntries.SingleAsync(e => e.Sequence == written.Sequence));
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        });

        Assert.Contains(await factory.AuditEntriesAsync(), e => e.Sequence == written.Sequence);
        Assert.True((await VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task Twenty_parallel_writers_leave_a_gap_free_verifiable_chain()
    {
        var before = await factory.AuditEntriesAsync();

        var written = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Task.Run(() => WriteAsync($"parallel {i}"))));

        var after = await factory.AuditEntriesAsync();
        Assert.Equal(before.Count + 20, after.Count);
        Assert.Equal(Enumerable.Range(1, after.Count).Select(i => (long)i), after.Select(e => e.Sequence));
        Assert.Equal(20, written.Select(e => e.Sequence).Distinct().Count());
        Assert.Equal(
            Enumerable.Range(1, 20).Select(i => $"parallel {i}").Order(StringComparer.Ordinal),
            after.Where(e => e.Summary.StartsWith("parallel ", StringComparison.Ordinal)).Select(e => e.Summary).Order(StringComparer.Ordinal));
        var verification = await VerifyAsync();
        Assert.True(verification.IsIntact, $"{verification.Problem} at {verification.FirstBrokenSequence}");
        Assert.Equal(after.Count, verification.EntriesChecked);
    }

    [Fact]
    public async Task An_entry_written_outside_a_request_is_by_the_system_and_masks_secrets()
    {
        var entry = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(new AuditRecord(
            AuditActions.StaffUpdated, "Staff", "u1", "changed",
            Changes: [new FieldChange("ApiKey", "old-key", "new-key"), new FieldChange("DisplayName", "A", "B")])));

        Assert.Equal("system", entry.ActorName);
        Assert.Null(entry.ActorId);
        Assert.Null(entry.IpAddress);
        var stored = Assert.Single(await factory.AuditEntriesAsync(), e => e.Sequence == entry.Sequence);
        Assert.DoesNotContain("old-key", stored.Changes);
        Assert.DoesNotContain("new-key", stored.Changes);
        Assert.Equal(AuditHasher.Compute(stored), stored.Hash);
    }

    [Fact]
    public async Task Overlong_values_are_truncated_to_their_columns_and_still_verify()
    {
        var entry = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(new AuditRecord(
            "test.long", "Test", new string('i', 500), new string('s', 5000))));

        var stored = Assert.Single(await factory.AuditEntriesAsync(), e => e.Sequence == entry.Sequence);
        Assert.Equal(AuditEntry.SummaryMaxLength, stored.Summary.Length);
        Assert.Equal(AuditEntry.EntityIdMaxLength, stored.EntityId!.Length);
        Assert.True((await VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task The_nightly_job_on_an_intact_chain_records_the_check_and_mails_nobody()
    {
        await factory.CreateStaffAsync($"officer-{Guid.NewGuid():N}@test.local", Kuroco.Core.Staff.StaffRoles.SecurityOfficer);
        var before = (await factory.AuditEntriesAsync()).Count;
        var mailBefore = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().OutboxMessages.CountAsync());

        await factory.WithScopeAsync(sp => sp.GetRequiredService<AuditChainVerificationJob>().ExecuteAsync(CancellationToken.None));

        var entry = Assert.Single((await factory.AuditEntriesAsync()).Skip(before));
        Assert.Equal(AuditActions.AuditChainVerified, entry.Action);
        Assert.Contains($"{before} entries verified", AuditText.English(entry));
        Assert.Equal(mailBefore, await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task An_entry_appended_by_another_instance_makes_the_next_append_continue_after_it()
    {
        var mine = await WriteAsync("this instance");
        // Another instance (its own process, its own tail in memory) appends the next entry straight to the database.
        var theirs = new AuditEntry
        {
            Sequence = mine.Sequence + 1,
            PreviousHash = mine.Hash,
            OccurredAtUtc = DateTime.UtcNow,
            ActorName = "system",
            ActorRoles = "",
            Action = "test.event",
            EntityType = "Test",
            Summary = "another instance",
        };
        theirs.Hash = AuditHasher.Compute(theirs);
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "AuditEntries" ("Sequence", "OccurredAtUtc", "ActorName", "ActorRoles", "Action", "EntityType", "Summary", "Outcome", "PreviousHash", "Hash", "FormatVersion")
                VALUES ({theirs.Sequence}, {theirs.OccurredAtUtc}, {theirs.ActorName}, {theirs.ActorRoles}, {theirs.Action}, {theirs.EntityType}, {theirs.Summary}, 0, {theirs.PreviousHash}, {theirs.Hash}, {theirs.FormatVersion})
                """);
        });

        // This instance's remembered tail is stale: the insert collides on the sequence and is retried on the new tail.
        var next = await WriteAsync("this instance again");

        Assert.Equal(theirs.Sequence + 1, next.Sequence);
        Assert.Equal(theirs.Hash, next.PreviousHash);
        var verification = await VerifyAsync();
        Assert.True(verification.IsIntact, $"{verification.Problem} at {verification.FirstBrokenSequence}");
    }

    [Fact]
    public async Task Times_never_go_backwards_along_the_chain_within_the_allowed_skew()
    {
        // A clock set by hand: FakeTimeProvider refuses to go back, and going back is the point here.
        var clock = new HandSetClock { Now = DateTimeOffset.UtcNow.AddMinutes(10) };
        var first = await WriteAsync(clock, "first");
        // This server's clock is two seconds behind the last entry (another instance's clock ran ahead): the entry takes
        // the last entry's time, so the chain's order stays the time order.
        clock.Now = clock.Now.AddSeconds(-2);
        var second = await WriteAsync(clock, "second");
        Assert.Equal(first.OccurredAtUtc, second.OccurredAtUtc);
        // An hour behind is not skew (a clock set wrong, or a tampered last entry): the entry keeps this server's time.
        clock.Now = clock.Now.AddHours(-1);
        var third = await WriteAsync(clock, "third");
        Assert.Equal(clock.GetUtcNow().UtcDateTime, third.OccurredAtUtc);
        // And time moving on is simply used.
        clock.Now = clock.Now.AddHours(2);
        var fourth = await WriteAsync(clock, "fourth");
        Assert.Equal(clock.GetUtcNow().UtcDateTime, fourth.OccurredAtUtc);
        Assert.True((await VerifyAsync()).IsIntact);
    }

    private Task<AuditEntry> WriteAsync(TimeProvider clock, string summary) => factory.WithScopeAsync(sp =>
        new AuditLog(sp.GetRequiredService<IDbContextFactory<KurocoDbContext>>(), sp.GetRequiredService<IAuditContext>(), sp.GetRequiredService<IAuditSearchText>(), clock, NullLogger<AuditLog>.Instance)
            .WriteAsync(new AuditRecord("test.event", "Test", null, summary)));

    private Task<AuditEntry> WriteAsync(string summary) => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<IAuditLog>().WriteAsync(new AuditRecord("test.event", "Test", null, summary)));

    private Task<AuditChainVerification> VerifyAsync() =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().VerifyChainAsync());
}

/// <summary>A clock that is wherever the test puts it, backwards included.</summary>
internal sealed class HandSetClock : TimeProvider
{
    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;
}
