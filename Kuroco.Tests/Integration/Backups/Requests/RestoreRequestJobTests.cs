using System.Collections.Concurrent;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Backups.Requests;
using Kuroco.Core.Common;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Members;
using Kuroco.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Backups.Requests;

/// <summary>
/// The extraction and apply jobs of a restore request through Hangfire, with generations that are real SQLite copies of
/// the app's database (<see cref="SqliteCopySnapshotOpener"/>). The scoped restore itself is recorded here (it is built
/// in feat/scoped-restore): this test is about the orchestration — approval first, the snapshot always disposed, the
/// member found by email in the backup, failures on the timeline and retried, the completion mail, Notified.
/// </summary>
public sealed class RestoreRequestJobTests(RestoreRequestJobTests.Factory factory) : IClassFixture<RestoreRequestJobTests.Factory>
{
    public sealed class Factory : KurocoAppFactory
    {
        public SqliteCopySnapshotOpener Opener { get; } = new();

        public RecordingScopedRestore Restore { get; } = new();

        private AuditActor? support;

        public Factory() => TestServices = services =>
        {
            services.AddSingleton<IBackupSnapshotOpener>(Opener);
            services.AddSingleton<IScopedRestoreService>(Restore);
            RestoreRequestStaff.UseActingContext(services);
        };

        /// <summary>The SupportStaff member who works on the requests.</summary>
        public async Task<AuditActor> SupportAsync() => support ??= await RestoreRequestStaff.CreateAsync(this, Kuroco.Core.Staff.StaffRoles.SupportStaff);
    }

    /// <summary>Reads each member target from the snapshot's database file (a real query) and reports it as to add.</summary>
    public sealed class RecordingScopedRestore : IScopedRestoreService
    {
        public ConcurrentQueue<RestoreScope> Scopes { get; } = new();

        public Task<Result<RestorePreview>> PreviewAsync(IBackupSnapshot snapshot, RestoreScope scope, CancellationToken cancellationToken)
        {
            Scopes.Enqueue(scope);
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = snapshot.DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            var records = new List<RestoreRecordDiff>();
            foreach (var target in scope.Targets)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT \"DisplayName\" FROM \"Members\" WHERE \"Id\" = $id";
                command.Parameters.AddWithValue("$id", target.Key.ToUpperInvariant());
                var name = command.ExecuteScalar() as string;
                if (name is null)
                {
                    command.Parameters["$id"].Value = target.Key;
                    name = command.ExecuteScalar() as string;
                }
                records.Add(new RestoreRecordDiff("member:" + target.Key, "Member", target.Key, name ?? "?", RestoreChangeKind.Add, [new RestoreFieldChange("DisplayName", null, name)], null, null, null));
            }
            return Task.FromResult(Result.Ok(new RestorePreview(snapshot.Manifest.Id, scope, DateTimeOffset.UtcNow, records)));
        }

        public Task<Result<RestoreApplySummary>> ApplyAsync(IBackupSnapshot snapshot, RestorePreview preview, IReadOnlyDictionary<string, ConflictResolution> resolutions, string reference, CancellationToken cancellationToken) =>
            Task.FromResult(Result.Ok(new RestoreApplySummary(preview.Records.Count, 0, 0, 0, 0, [.. preview.Records.Select(r => r.RecordKey)])));
    }

    private async Task<T> WithServiceAsync<T>(Func<IRestoreRequestService, Task<T>> action) =>
        await RestoreRequestStaff.AsAsync(factory, await factory.SupportAsync(), sp => action(sp.GetRequiredService<IRestoreRequestService>()));

    private Task<RestoreRequest> WaitAsync(string reference, Func<RestoreRequest, bool> done, string what) =>
        Eventually.GetAsync(async () => (await WithServiceAsync(s => s.FindAsync(reference)))!, done, what, TimeSpan.FromSeconds(60));

    [Fact]
    public async Task A_member_deleted_since_is_found_by_email_in_the_backup_previewed_applied_and_the_contact_notified()
    {
        var email = $"gone-{Guid.NewGuid():N}@example.jp";
        var member = await factory.AddMemberAsync("消えた 会員", email: email);
        var connectionString = await factory.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<KurocoDbContext>().Database.GetConnectionString()!));
        factory.Opener.Take(connectionString, "20261205T170000Z-good");
        await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Members.Where(m => m.Id == member.Id).ExecuteDeleteAsync());

        var contact = $"it-{Guid.NewGuid():N}@example.jp";
        var created = await WithServiceAsync(s => s.CreateAsync(new RestoreRequestIntake("ACME", contact, "en",
            new RestoreScope([new RestoreTarget(RestoreTargetKind.Member, email)]), DateTime.UtcNow.AddHours(-1), null)));
        var reference = created.Value!.Reference;
        Assert.True((await WithServiceAsync(s => s.QuoteAsync(reference, new RestoreQuoteInput(88_000, DateTime.UtcNow.AddDays(2)), new Uri("http://localhost/")))).Succeeded);
        Assert.True((await WithServiceAsync(s => s.ApproveByPhoneAsync(reference, "yes on the phone"))).Succeeded);

        // A generation that cannot be opened: the failure is on the timeline, the state stays, staff can retry.
        Assert.True((await WithServiceAsync(s => s.StartExtractionAsync(reference, "20261201T170000Z-gone"))).Succeeded);
        var failed = await WaitAsync(reference, r => r.Work == RestoreRequestWork.None, "the failed extraction has ended");
        Assert.Equal(RestoreRequestState.Approved, failed.State);
        Assert.Contains("20261201T170000Z-gone", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(RestoreRequestEvents.Failed, failed.Events[^1].Event);

        Assert.True((await WithServiceAsync(s => s.StartExtractionAsync(reference, "20261205T170000Z-good"))).Succeeded);
        var extracted = await WaitAsync(reference, r => r.State == RestoreRequestState.Extracted, "the extraction has finished");
        Assert.Null(extracted.LastError);
        // The email was looked up in the backup copy (the member is gone from live data) and passed on as the member's id.
        Assert.Contains(factory.Restore.Scopes, s => s.Targets.Single().Key == member.Id.ToString("D"));
        var preview = RestoreScopeJson.Read<RestorePreview>(extracted.PreviewJson)!;
        Assert.Equal("消えた 会員", preview.Records.Single().DisplayName);
        Assert.All(factory.Opener.Opened, s => Assert.True(s.Disposed && !File.Exists(s.DatabasePath), "a snapshot was left on disk"));

        Assert.True((await WithServiceAsync(s => s.StartApplyAsync(reference, new Dictionary<string, ConflictResolution>()))).Succeeded);
        var notified = await WaitAsync(reference, r => r.State == RestoreRequestState.Notified, "the apply has finished and the contact was notified");
        Assert.Equal(
            [RestoreRequestEvents.Received, RestoreRequestEvents.Quoted, RestoreRequestEvents.ApprovedByPhone, RestoreRequestEvents.ExtractionStarted,
             RestoreRequestEvents.Failed, RestoreRequestEvents.ExtractionStarted, RestoreRequestEvents.Extracted, RestoreRequestEvents.ApplyStarted,
             RestoreRequestEvents.Applied, RestoreRequestEvents.Notified],
            notified.Events.Select(e => e.Event));
        Assert.Equal(1, RestoreScopeJson.Read<RestoreApplySummary>(notified.SummaryJson)!.Added);
        Assert.All(factory.Opener.Opened, s => Assert.True(s.Disposed, "a snapshot was not disposed"));

        var mail = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().OutboxMessages.AsNoTracking()
            .Where(m => m.ToAddress == contact).OrderByDescending(m => m.CreatedAtUtc).FirstAsync());
        Assert.Equal($"Your restore request {reference} is complete", mail.Subject);
        Assert.Contains("Added: 1", mail.Body, StringComparison.Ordinal);

        var actions = (await factory.AuditEntriesAsync()).Where(e => e.EntityId == reference).Select(e => e.Action).ToList();
        Assert.Contains(AuditActions.RestoreRequestFailed, actions);
        Assert.Contains(AuditActions.RestoreRequestExtracted, actions);
        Assert.Contains(AuditActions.RestoreRequestApplied, actions);
        Assert.Equal(AuditActions.RestoreRequestNotified, actions[^1]);

        // The monthly report counts it with its fee and its turnaround (received → notified).
        var report = await WithServiceAsync(s => s.GetMonthReportAsync(notified.ReceivedAtUtc.Year, notified.ReceivedAtUtc.Month, TimeZoneInfo.Utc));
        Assert.Equal((1, 1, 88_000L), (report.Received, report.Applied, report.AppliedFeesJpy));
        Assert.Equal(notified.NotifiedAtUtc - notified.ReceivedAtUtc, report.AverageTurnaround);
    }
}
