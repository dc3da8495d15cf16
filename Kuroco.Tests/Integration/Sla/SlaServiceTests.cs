using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Incidents;
using Kuroco.Core.Monitoring;
using Kuroco.Core.Sla;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Monitoring;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Sla;

/// <summary>
/// The SLA service through the real app: the real monitoring store file, the main database, a fake clock. Months cut in
/// Asia/Tokyo across the month boundary, a maintenance window excluding an outage, refusals changing nothing, settings
/// with their roles, the audit trail.
/// </summary>
public sealed class SlaServiceTests(SlaServiceTests.SlaAppFactory factory) : IClassFixture<SlaServiceTests.SlaAppFactory>
{
    public sealed class SlaAppFactory : KurocoAppFactory
    {
        public SlaAppFactory()
        {
            // The test writes the store's minutes itself: no sampler rounds at fake-clock ticks.
            Settings["Monitoring:Enabled"] = "false";
            TestServices = services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                services.AddSingleton(Actor);
                services.AddScoped<IAuditContext>(sp => sp.GetRequiredService<ActingAs>());
            };
        }

        // 2026-11-30 14:00 UTC is 23:00 on 30 November in Tokyo; December starts (Tokyo) at 15:00 UTC.
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 30, 14, 0, 0, TimeSpan.Zero));

        public ActingAs Actor { get; } = new();
    }

    /// <summary>Who the services see as the current user.</summary>
    public sealed class ActingAs : IAuditContext
    {
        public AuditActor Current { get; set; } = Operator;

        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(Current);

        public AuditOrigin GetOrigin() => AuditOrigin.None;
    }

    private static readonly AuditActor Operator = new("op-id", "operator@test.local", [StaffRoles.Operator]);
    private static readonly AuditActor Administrator = new("admin-id", "admin@test.local", [StaffRoles.Administrator]);
    private static readonly AuditActor Officer = new("so-id", "officer@test.local", [StaffRoles.SecurityOfficer]);

    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 14, 0, 0, TimeSpan.Zero);

    private Task<T> As<T>(AuditActor actor, Func<ISlaService, Task<T>> action)
    {
        factory.Actor.Current = actor;
        return factory.WithScopeAsync(sp => action(sp.GetRequiredService<ISlaService>()));
    }

    private static MaintenanceWindowRequest Window(DateTimeOffset start, DateTimeOffset end, string titleEn = "Database upgrade", string titleJa = "データベースの更新") =>
        new(start.UtcDateTime, end.UtcDateTime, titleEn, titleJa, "The console is unavailable.", "管理画面が使えません。", [StatusComponents.Console]);

    [Fact]
    public async Task Months_are_cut_in_tokyo_maintenance_excludes_an_outage_and_refusals_change_nothing()
    {
        var store = factory.Services.GetRequiredService<SqliteMonitoringSampleStore>();
        Assert.Null(await store.GetMonitoringSinceAsync(CancellationToken.None));

        // An operator announces maintenance for 01:00–01:30 on 1 December (Tokyo) = 16:00–16:30 UTC.
        var scheduled = await As(Operator, s => s.ScheduleMaintenanceAsync(Window(T0.AddHours(2), T0.AddHours(2.5))));
        Assert.True(scheduled.Succeeded, scheduled.Message);

        // Refusals: a SecurityOfficer, an end before the start, a line break in a title, a missing Japanese title, a start
        // in the past, more than a week, an unknown component. None changes anything.
        Assert.Equal(ErrorKind.Forbidden, (await As(Officer, s => s.ScheduleMaintenanceAsync(Window(T0.AddHours(3), T0.AddHours(4))))).Error);
        var refused = new[]
        {
            Window(T0.AddHours(4), T0.AddHours(3)),
            Window(T0.AddHours(3), T0.AddHours(4), titleEn: "Upgrade\r\nBcc: x@example.com"),
            Window(T0.AddHours(3), T0.AddHours(4), titleJa: " "),
            Window(T0.AddHours(-2), T0.AddHours(-1)),
            Window(T0.AddHours(3), T0.AddDays(8)),
            Window(T0.AddHours(3), T0.AddHours(4)) with { Components = ["db01.internal"] },
        };
        foreach (var request in refused)
        {
            var result = await As(Operator, s => s.ScheduleMaintenanceAsync(request));
            Assert.Equal(ErrorKind.Validation, result.Error);
            Assert.NotEmpty(result.Errors);
        }
        var windows = await As(Operator, s => s.ListMaintenanceAsync(T0.UtcDateTime, T0.AddDays(30).UtcDateTime));
        var window = Assert.Single(windows);
        Assert.Equal(scheduled.Value, window.Id);
        Assert.Equal("データベースの更新", window.TitleIn(new System.Globalization.CultureInfo("ja")));
        Assert.Equal(ErrorKind.Validation, (await As(Operator, s => s.UpdateMaintenanceAsync(window.Id, Window(T0.AddHours(3), T0.AddHours(2))))).Error);
        var entry = Assert.Single(await factory.AuditEntriesAsync(), e => e.EntityType == AuditEntityTypes.MaintenanceWindow);
        Assert.Equal(AuditActions.SlaMaintenanceScheduled, entry.Action);
        Assert.Contains("operator@test.local scheduled maintenance \"Database upgrade\"", AuditText.English(entry), StringComparison.Ordinal);
        Assert.Contains("メンテナンス「Database upgrade」", AuditText.Japanese(entry), StringComparison.Ordinal);

        // Three hours of probes, one round a minute from 14:00 UTC, with:
        //  14:50–15:00 app down (November in Tokyo), 15:30–15:40 database down (December),
        //  16:00–16:20 app down inside the maintenance window (excluded; it ends early at 16:24), 16:40–16:45 no probe at all (the app was gone).
        for (var minute = 0; minute < 180; minute++)
        {
            var at = T0.AddMinutes(minute).AddSeconds(5);
            var appDown = minute is >= 50 and < 60 or >= 120 and < 140;
            var dbDown = minute is >= 90 and < 100;
            if (minute is >= 160 and < 165)
            {
                continue;
            }
            await store.AppendAsync([new MonitoringSample(MonitoringSignals.AppUp, at, appDown ? 0 : 1), new MonitoringSample(MonitoringSignals.DatabaseUp, at, dbDown ? 0 : 1)], CancellationToken.None);
        }
        // At 16:15 the window is under way: it cannot be cancelled (its past minutes would count again) nor moved, but it can end early (16:24).
        factory.Clock.SetUtcNow(T0.AddHours(2.25));
        Assert.Equal(ErrorKind.Conflict, (await As(Operator, s => s.CancelMaintenanceAsync(window.Id))).Error);
        Assert.Equal(ErrorKind.Validation, (await As(Operator, s => s.UpdateMaintenanceAsync(window.Id, Window(T0.AddHours(2.1), T0.AddHours(2.5))))).Error);
        Assert.True((await As(Operator, s => s.UpdateMaintenanceAsync(window.Id, Window(T0.AddHours(2), T0.AddHours(2.4))))).Succeeded);

        factory.Clock.SetUtcNow(T0.AddHours(3)); // 17:00 UTC, 02:00 on 1 December in Tokyo
        Assert.Equal(ErrorKind.Conflict, (await As(Operator, s => s.UpdateMaintenanceAsync(window.Id, Window(T0.AddHours(2), T0.AddHours(2.5))))).Error); // ended
        Assert.Equal(T0, await store.GetMonitoringSinceAsync(CancellationToken.None));

        var december = await As(Operator, s => s.GetMonthAsync(2026, 12));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero), december.StartUtc);
        Assert.Equal(44_640, december.MonthMinutes);
        Assert.Equal(44.64, december.BudgetMinutes, 6);
        Assert.Equal(24, december.MaintenanceMinutes);
        Assert.Equal(96, december.CountedMinutes); // 15:00–17:00 less the window
        Assert.Equal(15, december.DownMinutes); // the database outage and the silent minutes; not the app outage in the window
        Assert.Equal(5, december.UnprobedMinutes);
        Assert.Equal(84.375m, december.AvailabilityPercent);
        Assert.False(december.Complete);
        Assert.Null(december.CreditPercent);

        var november = await As(Operator, s => s.GetMonthAsync(2026, 11));
        Assert.True(november.Complete);
        Assert.Equal(60, november.CountedMinutes); // from when monitoring started to midnight in Tokyo
        Assert.Equal(10, november.DownMinutes);
        Assert.Equal(50m, november.CreditPercent); // 83.333 % is below 95 %

        var months = await As(Operator, s => s.GetMonthsAsync(3));
        Assert.Equal([(2026, 12), (2026, 11), (2026, 10)], months.Select(m => (m.Year, m.Month)));
        Assert.Equal(december.DownMinutes, months[0].DownMinutes);
        Assert.Equal(0, months[2].CountedMinutes); // before monitoring started: nothing counted, 100 %

        var days = await As(Operator, s => s.GetDaysAsync(2));
        Assert.Equal([new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 1)], days.Select(d => d.Date));
        Assert.Equal((60, 10, 0), (days[0].CountedMinutes, days[0].DownMinutes, days[0].MaintenanceMinutes));
        Assert.Equal((96, 15, 24), (days[1].CountedMinutes, days[1].DownMinutes, days[1].MaintenanceMinutes));

        // A future window is cancelled (kept, no longer listed or excluded).
        var later = await As(Administrator, s => s.ScheduleMaintenanceAsync(Window(T0.AddDays(2), T0.AddDays(2).AddHours(1))));
        Assert.True((await As(Operator, s => s.CancelMaintenanceAsync(later.Value))).Succeeded);
        Assert.Equal(ErrorKind.Conflict, (await As(Operator, s => s.CancelMaintenanceAsync(later.Value))).Error);
        Assert.DoesNotContain(await As(Operator, s => s.ListMaintenanceAsync(T0.UtcDateTime, T0.AddDays(30).UtcDateTime)), w => w.Id == later.Value);

        // Settings: Administrators only; bad tiers refused; a change audited with its fields.
        var settings = await As(Operator, s => s.GetSettingsAsync());
        Assert.Equal((99.9m, "Asia/Tokyo", 3), (settings.TargetPercent, settings.CompanyTimeZone, settings.CreditTiers.Count));
        settings.TargetPercent = 99.5m;
        Assert.Equal(ErrorKind.Forbidden, (await As(Operator, s => s.SaveSettingsAsync(settings))).Error);
        var bad = settings.Clone();
        bad.CreditTiers = [new(99m, 10m), new(99.5m, 25m)];
        bad.CompanyTimeZone = "Mars/Olympus";
        var invalid = await As(Administrator, s => s.SaveSettingsAsync(bad));
        Assert.Equal(ErrorKind.Validation, invalid.Error);
        Assert.Equal(2, invalid.Errors.Count);
        Assert.Equal(99.9m, (await As(Operator, s => s.GetSettingsAsync())).TargetPercent);
        Assert.True((await As(Administrator, s => s.SaveSettingsAsync(settings))).Succeeded);
        var saved = await As(Operator, s => s.GetSettingsAsync());
        Assert.Equal(99.5m, saved.TargetPercent);
        Assert.Equal(SlaTerms.Default.CreditTiers, saved.CreditTiers);
        Assert.Equal(99.5m, (await As(Operator, s => s.GetMonthAsync(2026, 12))).TargetPercent);
        var changed = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.SlaSettingsChanged);
        Assert.Equal("admin@test.local changed the SLA settings: Target (%).", AuditText.English(changed));

        // When monitoring started survives compaction, even once every minute has expired.
        await store.CompactAsync(T0.AddMonths(14), CancellationToken.None);
        Assert.Empty(await store.GetAvailabilityAsync(T0, T0.AddDays(1), CancellationToken.None));
        Assert.Equal(T0, await store.GetMonitoringSinceAsync(CancellationToken.None));
    }
}
