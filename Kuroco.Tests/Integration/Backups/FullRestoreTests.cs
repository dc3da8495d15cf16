using System.Security.Cryptography;
using Kuroco.Admin.Audit;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Common;
using Kuroco.Core.Media;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Backups.FullRestore;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Audit;
using Kuroco.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Backups;

/// <summary>The real app on a real SQLite file, services acting as the people who would use /backups/restore; the job run in the test's flow.</summary>
public sealed class FullRestoreAppFactory : KurocoAppFactory
{
    public FullRestoreAppFactory()
    {
        // The test runs the restore job itself (no server picking it up at the same time, no recurring jobs).
        Settings["Kuroco:Jobs:RunServer"] = "false";
        TestServices = services =>
        {
            services.AddScoped<HttpAuditContext>();
            services.AddScoped<IAuditContext>(sp => new ActingAuditContext(sp.GetRequiredService<HttpAuditContext>()));
            // A disk fault while reading one generation's media files, to prove the rollback.
            services.AddScoped<IBackupSnapshotOpener>(sp => new FaultyMediaOpener(
                ActivatorUtilities.CreateInstance<Kuroco.Infrastructure.Backups.BackupSnapshotOpener>(sp), () => FailMediaOf));
        };
    }

    /// <summary>The generation whose media files cannot be read (none by default).</summary>
    public string? FailMediaOf { get; set; }

    private sealed class FaultyMediaOpener(IBackupSnapshotOpener inner, Func<string?> failing) : IBackupSnapshotOpener
    {
        public async Task<Result<IBackupSnapshot>> OpenAsync(string generationId, CancellationToken cancellationToken)
        {
            var opened = await inner.OpenAsync(generationId, cancellationToken);
            return opened.TryGetValue(out var snapshot) && generationId == failing()
                ? Result.Ok<IBackupSnapshot>(new FaultySnapshot(snapshot))
                : opened;
        }
    }

    private sealed class FaultySnapshot(IBackupSnapshot inner) : IBackupSnapshot
    {
        public BackupManifest Manifest => inner.Manifest;

        public string? DatabasePath => inner.DatabasePath;

        public string? JobStorePath => inner.JobStorePath;

        public string? AuditAnchorJson => inner.AuditAnchorJson;

        public Task<Stream?> OpenMediaFileAsync(string relativePath, CancellationToken cancellationToken) =>
            throw new IOException("Injected read error.");

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

/// <summary>Full restore round trip: back up, change, restore with a second person's confirmation, compare.</summary>
public sealed class FullRestoreTests(FullRestoreAppFactory factory) : IClassFixture<FullRestoreAppFactory>
{
    [Fact]
    public async Task A_confirmed_restore_brings_back_the_backup_and_keeps_the_later_audit_entries_on_a_valid_chain()
    {
        var requester = await ActorAsync("restore-admin", StaffRoles.Administrator);
        var confirmer = await ActorAsync("restore-operator", StaffRoles.Operator);
        var kept = await UploadAsync(MediaSamples.Png(8, 8), "kept.png", requester);
        var keptSha = Sha256(File.ReadAllBytes(MediaPath(kept.Id)));

        var backup = await AsAsync(requester, sp => sp.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, null, CancellationToken.None));
        Assert.True(backup.Succeeded, backup.Message);
        var manifest = backup.Value!;
        var tailAtBackup = (await factory.AuditEntriesAsync()).Max(e => e.Sequence);

        // After the backup: a new staff account, a new media file, a deleted one; all audited.
        await ActorAsync("after-backup", StaffRoles.ContentEditor);
        var later = await UploadAsync(MediaSamples.Png(9, 9, red: 0x10), "later.png", requester);
        Assert.True((await AsAsync(requester, sp => sp.GetRequiredService<IMediaLibrary>().DeleteAsync(kept.Id, true))).Succeeded);

        // The requester types the id; the same person cannot confirm (refused and audited), a second person can.
        var wrong = await AsAsync(requester, sp => sp.GetRequiredService<IFullRestoreService>().RequestAsync(manifest.Id, "nope", CancellationToken.None));
        Assert.Equal(ErrorKind.Validation, wrong.Error);
        var requested = await AsAsync(requester, sp => sp.GetRequiredService<IFullRestoreService>().RequestAsync(manifest.Id, manifest.Id, CancellationToken.None));
        Assert.True(requested.Succeeded, requested.Message);
        var run = requested.Value!;
        var self = await AsAsync(requester, sp => sp.GetRequiredService<IFullRestoreService>().ConfirmAsync(run.Id, CancellationToken.None));
        Assert.Equal(ErrorKind.Forbidden, self.Error);
        Assert.Equal(FullRestoreStatus.Pending, (await GetRunAsync())!.Status);
        var confirmed = await AsAsync(confirmer, sp => sp.GetRequiredService<IFullRestoreService>().ConfirmAsync(run.Id, CancellationToken.None));
        Assert.True(confirmed.Succeeded, confirmed.Message);
        var beforeRestore = (await factory.AuditEntriesAsync()).Where(e => e.Sequence > tailAtBackup).Select(e => (e.Sequence, e.Hash)).ToList();
        Assert.Contains(beforeRestore, e => e.Sequence > tailAtBackup);

        await factory.WithScopeAsync(sp => sp.GetRequiredService<FullRestoreJob>().ExecuteAsync(run.Id, CancellationToken.None));

        var finished = (await GetRunAsync())!;
        Assert.True(finished.Status == FullRestoreStatus.Succeeded, finished.Problem);
        Assert.All(finished.Steps, s => Assert.Contains(s.Status, new[] { FullRestoreStepStatus.Done, FullRestoreStepStatus.Skipped }));
        Assert.Equal(1, finished.Fraction);
        Assert.NotNull(finished.SafetyGenerationId);
        Assert.False(factory.Services.GetRequiredService<IMaintenanceMode>().Current.IsOn);

        // Data as backed up: every table's rows as in the manifest (the audit trail's tables grew by the later entries).
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(factory.DataPath, "kuroco.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            foreach (var table in manifest.RowCounts.Keys.Where(t => !t.StartsWith("Audit", StringComparison.Ordinal)))
            {
                await using var command = connection.CreateCommand();
                // Table names from the manifest (the file's own schema), quoted.
                command.CommandText = "SELECT COUNT(*) FROM \"" + table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                counts[table] = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        Assert.NotEmpty(counts);
        Assert.All(counts, c => Assert.Equal(manifest.RowCounts[c.Key], c.Value));
        Assert.Null(await FindStaffAsync("after-backup"));
        Assert.True(File.Exists(MediaPath(kept.Id)));
        Assert.Equal(keptSha, Sha256(File.ReadAllBytes(MediaPath(kept.Id))));
        Assert.Equal(kept.Sha256, keptSha, ignoreCase: true);
        Assert.False(File.Exists(MediaPath(later.Id)));

        // The audit trail: every entry written after the backup is still there, unchanged, before the restore's own
        // entries; the chain verifies and the anchor is its tail.
        var entries = await factory.AuditEntriesAsync();
        foreach (var (sequence, hash) in beforeRestore)
        {
            Assert.Equal(hash, Assert.Single(entries, e => e.Sequence == sequence).Hash);
        }
        var completed = Assert.Single(entries, e => e.Action == AuditActions.FullRestoreCompleted);
        Assert.True(completed.Sequence > beforeRestore.Max(e => e.Sequence));
        Assert.Contains(entries, e => e.Action == AuditActions.FullRestoreConfirmationRefused && e.Sequence > tailAtBackup);
        Assert.Contains(entries, e => e.Action == AuditActions.MaintenanceTurnedOff && e.Sequence > completed.Sequence);
        Assert.Contains("completed", AuditText.English(completed));
        var chain = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().VerifyChainAsync());
        Assert.True(chain.IsIntact, chain.Problem.ToString());
        var anchor = await factory.Services.GetRequiredService<IAuditAnchorStore>().ReadAsync();
        Assert.Equal(entries.Max(e => e.Sequence), anchor!.Sequence);
        Assert.Equal(entries[^1].Hash, anchor.Hash);
    }

    [Fact]
    public async Task A_failure_after_the_database_was_replaced_puts_the_safety_backup_back_and_leaves_maintenance_mode()
    {
        var requester = await ActorAsync("rollback-admin", StaffRoles.Administrator);
        var confirmer = await ActorAsync("rollback-admin2", StaffRoles.Administrator);
        await UploadAsync(MediaSamples.Png(7, 7, red: 0x20), "before.png", requester);
        var backup = await AsAsync(requester, sp => sp.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, null, CancellationToken.None));
        Assert.True(backup.Succeeded, backup.Message);
        var generation = backup.Value!.Id;
        var laterStaff = await ActorAsync("rollback-later", StaffRoles.ContentEditor);
        var laterMedia = await UploadAsync(MediaSamples.Png(6, 6, red: 0x40), "later.png", requester);
        var run = (await AsAsync(requester, sp => sp.GetRequiredService<IFullRestoreService>().RequestAsync(generation, generation, CancellationToken.None))).Value!;
        Assert.True((await AsAsync(confirmer, sp => sp.GetRequiredService<IFullRestoreService>().ConfirmAsync(run.Id, CancellationToken.None))).Succeeded);
        var beforeRestore = await factory.AuditEntriesAsync();

        factory.FailMediaOf = generation;
        try
        {
            await factory.WithScopeAsync(sp => sp.GetRequiredService<FullRestoreJob>().ExecuteAsync(run.Id, CancellationToken.None));
        }
        finally
        {
            factory.FailMediaOf = null;
        }

        var failed = (await GetRunAsync())!;
        Assert.Equal(FullRestoreStatus.Failed, failed.Status);
        Assert.True(failed.RolledBack);
        Assert.Contains("Injected read error", failed.Problem);
        Assert.Equal(FullRestoreStepStatus.Failed, failed.Steps.Single(s => s.Code == FullRestoreSteps.Media).Status);
        Assert.False(factory.Services.GetRequiredService<IMaintenanceMode>().Current.IsOn);
        // The live state from before the restore: the later account and file are there, the audit trail is whole.
        Assert.NotNull(await FindStaffAsync(laterStaff.Name));
        Assert.True(File.Exists(MediaPath(laterMedia.Id)));
        var entries = await factory.AuditEntriesAsync();
        Assert.All(beforeRestore, e => Assert.Equal(e.Hash, Assert.Single(entries, x => x.Sequence == e.Sequence).Hash));
        var entry = Assert.Single(entries, e => e.Action == AuditActions.FullRestoreFailed && e.EntityId == run.Id);
        Assert.Equal(AuditOutcome.Failure, entry.Outcome);
        Assert.Contains("media", AuditText.English(entry));
        var chain = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().VerifyChainAsync());
        Assert.True(chain.IsIntact, chain.Problem.ToString());
    }

    private Task<FullRestoreRun?> GetRunAsync() =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IFullRestoreService>().GetAsync(CancellationToken.None));

    private async Task<AuditActor> ActorAsync(string name, string role)
    {
        var email = $"{name}-{Guid.NewGuid():N}@test.local";
        var id = await factory.CreateStaffAsync(email, role);
        return new AuditActor(id, email, [role]);
    }

    private Task<Kuroco.Infrastructure.Identity.StaffUser?> FindStaffAsync(string prefix) => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email!.StartsWith(prefix)));

    private async Task<MediaItem> UploadAsync(byte[] content, string name, AuditActor actor)
    {
        var uploaded = await AsAsync(actor, sp => sp.GetRequiredService<IMediaLibrary>().UploadAsync(new MemoryStream(content), name));
        Assert.True(uploaded.Succeeded, uploaded.Message);
        return uploaded.Value!;
    }

    private async Task<T> AsAsync<T>(AuditActor actor, Func<IServiceProvider, Task<T>> call)
    {
        using var acting = ActingAuditContext.As(actor);
        return await factory.WithScopeAsync(call);
    }

    private string MediaPath(Guid id)
    {
        var name = id.ToString("N");
        return Path.Combine(factory.DataPath, "media", name[..2], name[2..4], name);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
