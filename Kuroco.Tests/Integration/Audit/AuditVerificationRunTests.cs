using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Audit;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>The real app with a controllable clock and no job server: the tests run the "Verify now" job themselves.</summary>
public sealed class AuditVerificationAppFactory : KurocoAppFactory
{
    public AuditVerificationAppFactory()
    {
        Settings["Kuroco:Jobs:RunServer"] = "false";
        TestServices = services => services.AddSingleton<TimeProvider>(Clock);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
}

/// <summary>
/// "Verify now" runs whose process died (restart, crash): their heartbeat stops, they read as interrupted and a new run
/// starts at once instead of 10 minutes later; at start-up the runs an earlier process of this instance left running
/// are marked interrupted.
/// </summary>
public sealed class AuditVerificationRunTests(AuditVerificationAppFactory app) : IClassFixture<AuditVerificationAppFactory>
{
    private DateTime Now => app.Clock.GetUtcNow().UtcDateTime;

    private Task<T> WithRunsAsync<T>(Func<IAuditVerificationRuns, Task<T>> action) =>
        app.WithScopeAsync(sp => action(sp.GetRequiredService<IAuditVerificationRuns>()));

    private Task<AuditVerificationRunRow> RowAsync(Guid id) => app.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().AuditVerificationRuns.AsNoTracking().SingleAsync(r => r.Id == id));

    /// <summary>Stores a run as a job of some process would have left it.</summary>
    private async Task<Guid> InsertAsync(AuditVerificationStatus status, DateTime heartbeat, string? instance = null, string? process = null)
    {
        var row = new AuditVerificationRunRow
        {
            Id = Guid.NewGuid(),
            Status = status,
            RequestedAtUtc = heartbeat,
            RequestedBy = "officer@test.local",
            StartedAtUtc = status == AuditVerificationStatus.Running ? heartbeat : null,
            UpdatedAtUtc = heartbeat,
            TotalEntries = 1000,
            CheckedEntries = status == AuditVerificationStatus.Running ? 400 : 0,
            RunnerInstance = instance,
            RunnerProcess = process,
        };
        await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            // Runs left by earlier tests of this class are finished first: each test looks at its own.
            await db.AuditVerificationRuns.Where(r => r.Status == AuditVerificationStatus.Queued || r.Status == AuditVerificationStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, AuditVerificationStatus.Failed));
            db.AuditVerificationRuns.Add(row);
            await db.SaveChangesAsync();
        });
        return row.Id;
    }

    [Fact]
    public async Task A_run_whose_heartbeat_stopped_reads_as_interrupted_and_a_new_run_starts_at_once()
    {
        var dead = await InsertAsync(AuditVerificationStatus.Running, Now, "other-host", "gone");

        // Within the heartbeat timeout the run is alive: "Verify now" shows it instead of starting another.
        app.Clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(AuditVerificationStatus.Running, (await WithRunsAsync(r => r.GetLatestAsync()))!.Status);
        Assert.Equal(dead, (await WithRunsAsync(r => r.StartAsync())).Id);

        // Two minutes without a heartbeat: interrupted, and a new run starts at once (not 10 minutes later).
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var latest = await WithRunsAsync(r => r.GetLatestAsync());
        Assert.Equal(dead, latest!.Id);
        Assert.Equal(AuditVerificationStatus.Interrupted, latest.Status);
        Assert.True(latest.IsFinished);
        var started = await WithRunsAsync(r => r.StartAsync());
        Assert.NotEqual(dead, started.Id);
        Assert.Equal(AuditVerificationStatus.Queued, started.Status);
        var stored = await RowAsync(dead);
        Assert.Equal(AuditVerificationStatus.Interrupted, stored.Status);
        Assert.Equal(Now, stored.FinishedAtUtc);

        // The job of the dead run, retried by the job runner after a restart, leaves it alone; the new run verifies.
        await app.WithScopeAsync(sp => sp.GetRequiredService<AuditVerificationJob>().ExecuteAsync(dead, CancellationToken.None));
        Assert.Equal(AuditVerificationStatus.Interrupted, (await RowAsync(dead)).Status);
        await app.WithScopeAsync(sp => sp.GetRequiredService<AuditVerificationJob>().ExecuteAsync(started.Id, CancellationToken.None));
        var verified = await RowAsync(started.Id);
        Assert.Equal(AuditVerificationStatus.Intact, verified.Status);
        var runner = app.Services.GetRequiredService<AuditVerificationRunner>();
        Assert.Equal(runner.Instance, verified.RunnerInstance);
        Assert.Equal(runner.Process, verified.RunnerProcess);
    }

    [Fact]
    public async Task A_queued_run_no_job_picked_up_is_interrupted_after_ten_minutes()
    {
        var queued = await InsertAsync(AuditVerificationStatus.Queued, Now);

        app.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(AuditVerificationStatus.Queued, (await WithRunsAsync(r => r.GetLatestAsync()))!.Status);
        Assert.Equal(queued, (await WithRunsAsync(r => r.StartAsync())).Id);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(AuditVerificationStatus.Interrupted, (await WithRunsAsync(r => r.GetLatestAsync()))!.Status);
        Assert.NotEqual(queued, (await WithRunsAsync(r => r.StartAsync())).Id);
        Assert.Equal(AuditVerificationStatus.Interrupted, (await RowAsync(queued)).Status);
    }

    [Fact]
    public async Task At_start_up_runs_left_running_by_an_earlier_process_of_this_instance_are_interrupted()
    {
        var runner = app.Services.GetRequiredService<AuditVerificationRunner>();
        var recovery = app.Services.GetServices<IHostedService>().OfType<AuditVerificationRecovery>().Single();
        var orphan = await InsertAsync(AuditVerificationStatus.Running, Now, runner.Instance, "earlier-process");
        var otherInstance = Guid.Empty;
        var current = Guid.Empty;
        await app.WithScopeAsync(async sp =>
        {
            // Inserted beside the orphan (InsertAsync finishes what is unfinished).
            var db = sp.GetRequiredService<KurocoDbContext>();
            otherInstance = Guid.NewGuid();
            current = Guid.NewGuid();
            db.AuditVerificationRuns.AddRange(
                new AuditVerificationRunRow { Id = otherInstance, Status = AuditVerificationStatus.Running, RequestedAtUtc = Now, UpdatedAtUtc = Now, RequestedBy = "x", RunnerInstance = "other-host", RunnerProcess = "p" },
                new AuditVerificationRunRow { Id = current, Status = AuditVerificationStatus.Running, RequestedAtUtc = Now.AddSeconds(-1), UpdatedAtUtc = Now, RequestedBy = "x", RunnerInstance = runner.Instance, RunnerProcess = runner.Process });
            await db.SaveChangesAsync();
        });

        await recovery.StartAsync(CancellationToken.None);

        var interrupted = await RowAsync(orphan);
        Assert.Equal(AuditVerificationStatus.Interrupted, interrupted.Status);
        Assert.Equal(Now, interrupted.FinishedAtUtc);
        // Another instance's run is left to its heartbeat; this process's own run goes on.
        Assert.Equal(AuditVerificationStatus.Running, (await RowAsync(otherInstance)).Status);
        Assert.Equal(AuditVerificationStatus.Running, (await RowAsync(current)).Status);
    }
}
