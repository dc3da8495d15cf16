using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Audit;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>
/// Someone with database access edits or deletes entries behind the app's back (raw SQL). Each test
/// breaks the chain for good, so each starts its own app.
/// </summary>
public sealed class AuditTamperingTests : IAsyncLifetime
{
    private readonly KurocoAppFactory factory = new();

    public async Task InitializeAsync()
    {
        // The bootstrap entry is #1; add #2..#6.
        for (var i = 2; i <= 6; i++)
        {
            await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(
                new AuditRecord("test.event", "Test", null, $"entry {i}")));
        }
        Assert.True((await VerifyAsync()).IsIntact);
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task An_edited_summary_is_a_hash_mismatch_at_that_entry()
    {
        await SqlAsync(db => db.Database.ExecuteSqlAsync($"UPDATE AuditEntries SET Summary = {"nothing happened"} WHERE Sequence = {4}"));

        var result = await VerifyAsync();

        Assert.Equal(AuditChainProblem.HashMismatch, result.Problem);
        Assert.Equal(4, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task A_deleted_middle_entry_is_a_sequence_gap_after_it()
    {
        await SqlAsync(db => db.Database.ExecuteSqlAsync($"DELETE FROM AuditEntries WHERE Sequence = {3}"));

        var result = await VerifyAsync();

        Assert.Equal(AuditChainProblem.SequenceGap, result.Problem);
        Assert.Equal(4, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task Deleting_the_newest_entries_is_caught_by_the_anchor_kept_outside_the_database()
    {
        // The check in InitializeAsync saw entry 6 and kept it as the anchor in the data folder.
        var anchorFile = Path.Combine(factory.DataPath, "audit", "anchor.json");
        Assert.True(File.Exists(anchorFile));
        Assert.Contains("\"Sequence\":6", await File.ReadAllTextAsync(anchorFile), StringComparison.Ordinal);

        await SqlAsync(db => db.Database.ExecuteSqlAsync($"DELETE FROM AuditEntries WHERE Sequence = {6}"));
        await SqlAsync(db => db.Database.ExecuteSqlAsync($"DELETE FROM AuditEntries WHERE Sequence = {5}"));

        var result = await VerifyAsync();

        Assert.Equal(AuditChainProblem.Truncated, result.Problem);
        Assert.Equal(5, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task The_nightly_job_on_a_broken_chain_records_it_and_mails_every_enabled_security_officer()
    {
        await factory.CreateStaffAsync("officer-a@test.local", StaffRoles.SecurityOfficer);
        await factory.CreateStaffAsync("officer-b@test.local", StaffRoles.SecurityOfficer, StaffRoles.Operator);
        await factory.CreateStaffAsync("editor@test.local", StaffRoles.ContentEditor);
        var disabled = await factory.CreateStaffAsync("officer-off@test.local", StaffRoles.SecurityOfficer);
        await factory.CreateStaffAsync("admin-2@test.local", StaffRoles.Administrator);
        await factory.UpdateStaffAsync(disabled, user => user.IsEnabled = false);
        await SqlAsync(db => db.Database.ExecuteSqlAsync($"UPDATE AuditEntries SET ActorName = {"someone else"} WHERE Sequence = {5}"));

        await factory.WithScopeAsync(sp => sp.GetRequiredService<AuditChainVerificationJob>().ExecuteAsync(CancellationToken.None));

        var alert = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.AuditChainBroken);
        Assert.Equal(AuditOutcome.Failure, alert.Outcome);
        Assert.Equal("5", alert.EntityId);
        Assert.Equal("Audit chain broken at entry 5 (entry edited).", AuditText.English(alert));
        Assert.Contains("\"problem\":\"HashMismatch\"", alert.Parameters, StringComparison.Ordinal);

        var mail = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().OutboxMessages.AsNoTracking().ToListAsync());
        Assert.Equal(["officer-a@test.local", "officer-b@test.local"], mail.Select(m => m.ToAddress).Order(StringComparer.Ordinal));
        Assert.All(mail, m =>
        {
            Assert.Contains("Audit log integrity alert", m.Subject);
            Assert.Contains("entry 5", m.Body);
        });
        Assert.Equal(2, (await factory.AuditEntriesAsync()).Count(e => e.Action == AuditActions.MailQueued));
    }

    private Task SqlAsync(Func<KurocoDbContext, Task<int>> sql) => factory.WithScopeAsync(async sp =>
        Assert.Equal(1, await sql(sp.GetRequiredService<KurocoDbContext>())));

    private Task<AuditChainVerification> VerifyAsync() =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().VerifyChainAsync());
}
