using Kuroco.Core.Monitoring;
using Kuroco.Infrastructure.Monitoring;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Monitoring;

/// <summary>The sample store on a real SQLite file, with a fake clock: rounds, availability minutes, downsampling and retention.</summary>
public sealed class MonitoringSampleStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kuroco-tests", "monitoring-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider clock = new(Now);
    private readonly SqliteMonitoringSampleStore store;

    public MonitoringSampleStoreTests() => store = new SqliteMonitoringSampleStore(Path.Combine(folder, "monitoring.db"), clock);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A pooled handle may linger; the temp folder is cleaned later.
        }
    }

    private static MonitoringSample[] Round(DateTimeOffset at, bool appUp = true, bool dbUp = true, double cpu = 5) =>
    [
        new(MonitoringSignals.AppUp, at, appUp ? 1 : 0),
        new(MonitoringSignals.DatabaseUp, at, dbUp ? 1 : 0),
        new(MonitoringSignals.Cpu, at, cpu),
    ];

    [Fact]
    public async Task Rounds_are_stored_and_counted_into_availability_minutes()
    {
        var minute = Now.AddMinutes(-10);
        // Four 15-second rounds in one minute: one with the app down, two with the database down.
        await store.AppendAsync(Round(minute), CancellationToken.None);
        await store.AppendAsync(Round(minute.AddSeconds(15), appUp: false), CancellationToken.None);
        await store.AppendAsync(Round(minute.AddSeconds(30), dbUp: false), CancellationToken.None);
        await store.AppendAsync(Round(minute.AddSeconds(45), dbUp: false), CancellationToken.None);
        // The next minute: one round, all up.
        await store.AppendAsync(Round(minute.AddSeconds(60)), CancellationToken.None);
        // A round without liveness signals is not a probe.
        await store.AppendAsync([new MonitoringSample(MonitoringSignals.Cpu, minute.AddSeconds(75), 1)], CancellationToken.None);

        var availability = await store.GetAvailabilityAsync(Now.AddHours(-1), Now, CancellationToken.None);
        Assert.Equal([new AvailabilityMinute(minute, 4, 1, 2), new AvailabilityMinute(minute.AddMinutes(1), 1, 0, 0)], availability);
        var cpu = await store.QueryAsync(MonitoringSignals.Cpu, Now.AddHours(-1), Now, null, CancellationToken.None);
        Assert.Equal(6, cpu.Count);
        Assert.All(cpu, p => Assert.Equal(1, p.Count));
        var perMinute = await store.QueryAsync(MonitoringSignals.Cpu, Now.AddHours(-1), Now, SampleResolution.Minute, CancellationToken.None);
        Assert.Equal([new SamplePoint(minute, 5, 5, 5, 4), new SamplePoint(minute.AddMinutes(1), 1, 3, 5, 2)], perMinute);
        // [from, to): the end is excluded.
        Assert.Empty(await store.GetAvailabilityAsync(Now.AddHours(-1), minute, CancellationToken.None));
    }

    [Fact]
    public async Task Compaction_downsamples_at_7_and_90_days_and_deletes_after_13_months()
    {
        // Raw samples just before and just after the 7-day boundary.
        var rawBoundary = Now.AddDays(-7);
        await store.AppendAsync([new(MonitoringSignals.Cpu, rawBoundary.AddMinutes(-1), 10), new(MonitoringSignals.Cpu, rawBoundary.AddMinutes(-1).AddSeconds(30), 30)], CancellationToken.None);
        await store.AppendAsync([new(MonitoringSignals.Cpu, rawBoundary.AddSeconds(1), 50)], CancellationToken.None);
        // Raw samples older than 90 days (still raw: the job has not run for a while) go to minutes, then to hours.
        var old = Now.AddDays(-100);
        await store.AppendAsync([new(MonitoringSignals.Cpu, old, 1), new(MonitoringSignals.Cpu, old.AddMinutes(20), 3)], CancellationToken.None);
        // Older than 13 months: deleted, availability minutes too.
        var ancient = Now.AddMonths(-13).AddMinutes(-5);
        await store.AppendAsync(Round(ancient), CancellationToken.None);
        var keptAvailability = Now.AddMonths(-13).AddMinutes(5);
        await store.AppendAsync(Round(keptAvailability, appUp: false), CancellationToken.None);

        await store.CompactAsync(Now, CancellationToken.None);

        var counts = await store.CountAsync();
        // Raw: only the sample after the 7-day boundary (and the kept availability round's 3 samples are > 90 days: hours).
        Assert.Equal(1, counts.Raw);
        Assert.Equal(1, counts.Minute);
        var hourPoints = await store.QueryAsync(MonitoringSignals.Cpu, Now.AddMonths(-14), Now.AddDays(-90), SampleResolution.Hour, CancellationToken.None);
        var oldHour = new DateTimeOffset(old.Year, old.Month, old.Day, old.Hour, 0, 0, TimeSpan.Zero);
        Assert.Contains(new SamplePoint(oldHour, 1, 2, 3, 2), hourPoints);
        Assert.DoesNotContain(hourPoints, p => p.AtUtc < Now.AddMonths(-13));
        var week = await store.QueryAsync(MonitoringSignals.Cpu, Now.AddDays(-8), Now, SampleResolution.Raw, CancellationToken.None);
        var boundaryMinute = rawBoundary.AddMinutes(-1);
        Assert.Equal([new SamplePoint(boundaryMinute, 10, 20, 30, 2), new SamplePoint(rawBoundary.AddSeconds(1), 50, 50, 50, 1)], week);
        // Availability minutes are never downsampled: the one inside 13 months is still a minute, the older one is gone.
        Assert.Equal([new AvailabilityMinute(keptAvailability, 1, 1, 0)], await store.GetAvailabilityAsync(Now.AddMonths(-14), Now, CancellationToken.None));

        // Compacting again changes nothing (idempotent), and a later raw sample in an already compacted minute merges.
        await store.AppendAsync([new(MonitoringSignals.Cpu, boundaryMinute.AddSeconds(45), 60)], CancellationToken.None);
        await store.CompactAsync(Now, CancellationToken.None);
        var merged = await store.QueryAsync(MonitoringSignals.Cpu, boundaryMinute, boundaryMinute.AddMinutes(1), SampleResolution.Minute, CancellationToken.None);
        var point = Assert.Single(merged);
        Assert.Equal((boundaryMinute, 10d, 60d, 3), (point.AtUtc, point.Min, point.Max, point.Count));
        Assert.Equal(100 / 3d, point.Avg, 9);
    }

    [Fact]
    public void The_finest_resolution_follows_the_range_start()
    {
        Assert.Equal(SampleResolution.Raw, SqliteMonitoringSampleStore.FinestKept(Now.AddHours(-1), Now));
        Assert.Equal(SampleResolution.Raw, SqliteMonitoringSampleStore.FinestKept(Now.AddDays(-7), Now));
        Assert.Equal(SampleResolution.Minute, SqliteMonitoringSampleStore.FinestKept(Now.AddDays(-30), Now));
        Assert.Equal(SampleResolution.Hour, SqliteMonitoringSampleStore.FinestKept(Now.AddDays(-91), Now));
    }
}
