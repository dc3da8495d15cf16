using Bunit;
using Kuroco.Admin.Components.Pages.Dashboard;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Backups;
using Kuroco.Infrastructure.Backups.Alarm;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Backups.Alarm;

/// <summary>The app on a fake clock: the nightly backup alarm job after three nights (none, late, failed).</summary>
public sealed class BackupAlarmAppFactory : KurocoAppFactory
{
    /// <summary>2026-12-07 12:00 in Tokyo; the default window is 02:00–06:00 Asia/Tokyo.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));

    public BackupAlarmAppFactory() => TestServices = services => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>
/// The nightly alarm job (<see cref="BackupAlarmJob"/>) through the real database, staff directory, outbox and audit log,
/// on a fake clock: a night without a backup stores a "missing" alarm that the dashboard card shows and mails every
/// Operator once, in their language with the window in their zone; running the job again mails nobody; a late finish and
/// a failed run on the following nights raise their own kinds.
/// </summary>
public sealed class BackupAlarmJobTests(BackupAlarmAppFactory factory) : IClassFixture<BackupAlarmAppFactory>
{
    private static readonly TimeZoneInfo Tokyo = StaffTimeZones.Find("Asia/Tokyo");

    private static DateTimeOffset TokyoTime(int day, int hour, int minute) =>
        new(TimeZoneInfo.ConvertTimeToUtc(new DateTime(2026, 12, day, hour, minute, 0, DateTimeKind.Unspecified), Tokyo), TimeSpan.Zero);

    private Task RunJobAsync() => factory.WithScopeAsync(sp => sp.GetRequiredService<BackupAlarmJob>().ExecuteAsync(CancellationToken.None));

    private Task<List<Kuroco.Core.Mail.OutboxMessage>> AlarmMailsAsync() => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().OutboxMessages.AsNoTracking()
            .Where(m => m.Subject.Contains("Kuroco] Backup alarm") || m.Subject.Contains("Kuroco] バックアップ警報"))
            .OrderBy(m => m.CreatedAtUtc).ToListAsync());

    private Task AddRunAsync(BackupRunStatus status, DateTimeOffset started, DateTimeOffset finished) => factory.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        db.Add(new BackupRunRow
        {
            Id = Guid.NewGuid(),
            Trigger = BackupTrigger.Nightly,
            Status = status,
            QueuedAtUtc = started.UtcDateTime,
            StartedAtUtc = started.UtcDateTime,
            FinishedAtUtc = finished.UtcDateTime,
            HeartbeatAtUtc = finished.UtcDateTime,
            ErrorCode = status == BackupRunStatus.Failed ? "error" : null,
            ErrorMessage = status == BackupRunStatus.Failed ? "disk full" : null,
            Fraction = status == BackupRunStatus.Succeeded ? 1 : 0.4,
        });
        await db.SaveChangesAsync();
    });

    [Fact]
    public async Task A_missing_late_and_failed_night_each_raise_their_alarm_once_shown_on_the_dashboard_and_mailed_to_each_operator()
    {
        var jaEmail = $"op-ja-{Guid.NewGuid():N}@test.local";
        var ja = await factory.CreateStaffAsync(jaEmail, StaffRoles.Operator);
        await factory.UpdateStaffAsync(ja, u => { u.Language = "ja"; u.TimeZoneId = "Asia/Tokyo"; });
        var enEmail = $"op-en-{Guid.NewGuid():N}@test.local";
        var en = await factory.CreateStaffAsync(enEmail, StaffRoles.Operator);
        await factory.UpdateStaffAsync(en, u => { u.Language = "en"; u.TimeZoneId = "Europe/London"; });
        await factory.CreateStaffAsync($"support-{Guid.NewGuid():N}@test.local", StaffRoles.SupportStaff);

        // Night of 2026-12-08: nothing ran between 02:00 and 06:00 in Tokyo; the job runs at 06:05 (the window's end + grace).
        factory.Clock.SetUtcNow(TokyoTime(8, 6, 10));
        await RunJobAsync();

        var alarm = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupAlarms>().GetCurrentAsync(CancellationToken.None));
        Assert.NotNull(alarm);
        Assert.Equal(new DateOnly(2026, 12, 8), alarm.Night);
        Assert.Equal(BackupAlarmKind.Missing, alarm.Kind);
        Assert.Equal(TokyoTime(8, 6, 0), alarm.WindowEndUtc);

        // One mail per Operator (not to support staff), in their language, the window in their zone.
        var mails = await AlarmMailsAsync();
        Assert.Equal(2, mails.Count);
        var jaMail = Assert.Single(mails, m => m.ToAddress == jaEmail);
        Assert.Equal("[Kuroco] バックアップ警報：2026-12-08 の夜間バックアップがありません", jaMail.Subject);
        Assert.Contains("バックアップ時間帯内にバックアップが開始されませんでした。", jaMail.Body, StringComparison.Ordinal);
        Assert.Contains("2026年12月8日 02:00（Asia/Tokyo）", jaMail.Body, StringComparison.Ordinal);
        Assert.Contains("2026年12月8日 06:00（Asia/Tokyo）", jaMail.Body, StringComparison.Ordinal);
        var enMail = Assert.Single(mails, m => m.ToAddress == enEmail);
        Assert.Equal("[Kuroco] Backup alarm: no backup on the night of 2026-12-08", enMail.Subject);
        Assert.Contains("No backup started inside the backup window.", enMail.Body, StringComparison.Ordinal);
        // 02:00–06:00 in Tokyo is 17:00–21:00 the day before in London (UTC in December).
        Assert.Contains("The backup window was 2026-12-07 17:00 (Europe/London) to 2026-12-07 21:00 (Europe/London).", enMail.Body, StringComparison.Ordinal);

        // The dashboard card says so (in Japanese for a Japanese console).
        await using (var test = new ComponentTestContext(factory, "ja-JP"))
        {
            test.SignIn(ja, jaEmail, StaffRoles.Operator);
            var card = test.Context.Render<BackupAlarmCard>();
            card.WaitForAssertion(() => Assert.Equal("Missing", card.Find("[data-testid=dashboard-backup-alarm]").GetAttribute("data-kind")), TimeSpan.FromSeconds(10));
        }

        // Raised once per night: the job again (a retry, a second instance) stores and mails nothing more.
        factory.Clock.Advance(TimeSpan.FromMinutes(30));
        await RunJobAsync();
        Assert.Equal(2, (await AlarmMailsAsync()).Count);
        var raised = (await factory.AuditEntriesAsync()).Where(e => e.Action == AuditActions.BackupAlarmRaised).ToList();
        var missing = Assert.Single(raised);
        Assert.Equal("2026-12-08", missing.EntityId);
        Assert.Equal(AuditOutcome.Failure, missing.Outcome);

        // Night of 2026-12-09: the backup started at 02:00 but finished at 06:20, after the window.
        await AddRunAsync(BackupRunStatus.Succeeded, TokyoTime(9, 2, 0), TokyoTime(9, 6, 20));
        factory.Clock.SetUtcNow(TokyoTime(9, 6, 30));
        await RunJobAsync();
        alarm = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupAlarms>().GetCurrentAsync(CancellationToken.None));
        Assert.Equal((new DateOnly(2026, 12, 9), BackupAlarmKind.Late), (alarm!.Night, alarm.Kind));
        mails = await AlarmMailsAsync();
        Assert.Equal(4, mails.Count);
        Assert.Equal("[Kuroco] Backup alarm: the backup of the night of 2026-12-09 finished late", mails.Single(m => m.ToAddress == enEmail && m.Subject.Contains("2026-12-09")).Subject);
        Assert.Equal("[Kuroco] バックアップ警報：2026-12-09 の夜間バックアップが遅れて完了しました", mails.Single(m => m.ToAddress == jaEmail && m.Subject.Contains("2026-12-09")).Subject);

        // Night of 2026-12-10: the backup started in the window and failed; the manual retry after the window does not count.
        await AddRunAsync(BackupRunStatus.Failed, TokyoTime(10, 2, 0), TokyoTime(10, 2, 10));
        await AddRunAsync(BackupRunStatus.Succeeded, TokyoTime(10, 6, 1), TokyoTime(10, 6, 3));
        factory.Clock.SetUtcNow(TokyoTime(10, 6, 10));
        await RunJobAsync();
        await RunJobAsync();
        alarm = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupAlarms>().GetCurrentAsync(CancellationToken.None));
        Assert.Equal((new DateOnly(2026, 12, 10), BackupAlarmKind.Failed), (alarm!.Night, alarm.Kind));
        mails = await AlarmMailsAsync();
        Assert.Equal(6, mails.Count);
        Assert.Equal("[Kuroco] Backup alarm: the backup of the night of 2026-12-10 failed", mails[^2..].Single(m => m.ToAddress == enEmail).Subject);
        Assert.Contains("時間帯内に開始したバックアップがすべて失敗しました。", mails[^2..].Single(m => m.ToAddress == jaEmail).Body, StringComparison.Ordinal);

        raised = (await factory.AuditEntriesAsync()).Where(e => e.Action == AuditActions.BackupAlarmRaised).ToList();
        Assert.Equal(["2026-12-08", "2026-12-09", "2026-12-10"], raised.Select(e => e.EntityId));
        Assert.Equal("Backup alarm: the backup of the night of 2026-12-10 failed; the Operators were mailed.", AuditText.English(raised[^1]));

        // A good night: no alarm, and the dashboard drops the card a day after the last one.
        await AddRunAsync(BackupRunStatus.Succeeded, TokyoTime(11, 2, 0), TokyoTime(11, 2, 30));
        factory.Clock.SetUtcNow(TokyoTime(11, 6, 10));
        await RunJobAsync();
        Assert.Equal(6, (await AlarmMailsAsync()).Count);
        factory.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Null(await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupAlarms>().GetCurrentAsync(CancellationToken.None)));
    }
}
