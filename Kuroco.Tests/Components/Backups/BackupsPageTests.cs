using System.Globalization;
using Bunit;
using Kuroco.Admin.Components.Pages.Backups;
using Kuroco.Core.Backups;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Backups;
using Kuroco.Infrastructure.Backups.Drill;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Components.Backups;

/// <summary>
/// /backups on the real app, in Japanese, for an Administrator: two generations taken by the real engine with their time in
/// the viewer's zone (Asia/Tokyo), size, drill and checksum chips (Verify on a good and on a damaged generation), the
/// recent runs with a failed one, and the settings form refusing an empty window and 400 generations in Japanese.
/// </summary>
public sealed class BackupsPageTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private async Task<BackupManifest> BackUpAsync()
    {
        var result = await factory.WithScopeAsync(sp => sp.GetRequiredService<IBackupService>().BackUpAsync(BackupTrigger.Manual, null, CancellationToken.None));
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    private Task AddRunAsync(BackupRunStatus status, DateTime startedUtc, string? generationId, string? error) => factory.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        db.Add(new BackupRunRow
        {
            Id = Guid.NewGuid(),
            Trigger = BackupTrigger.Nightly,
            Status = status,
            QueuedAtUtc = startedUtc,
            StartedAtUtc = startedUtc,
            FinishedAtUtc = startedUtc.AddSeconds(42),
            HeartbeatAtUtc = startedUtc.AddSeconds(42),
            GenerationId = generationId,
            ErrorCode = error is null ? null : "error",
            ErrorMessage = error,
            Fraction = error is null ? 1 : 0.3,
        });
        await db.SaveChangesAsync();
    });

    private static string Tokyo(DateTimeOffset utc) =>
        TimeZoneInfo.ConvertTime(utc, StaffTimeZones.Find("Asia/Tokyo")).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Generations_runs_and_settings_in_japanese_with_zone_times_sizes_drill_and_checksum_chips()
    {
        // Listed by id, newest first (two taken in the same second are ordered by the id's random tail).
        BackupManifest[] taken = [await BackUpAsync(), await BackUpAsync()];
        var listed = taken.OrderByDescending(m => m.Id, StringComparer.Ordinal).ToArray();
        var (newer, older) = (listed[0], listed[1]);
        var drill = await factory.WithScopeAsync(sp => sp.GetRequiredService<BackupDrillJob>().DrillAsync(older.Id, CancellationToken.None));
        Assert.True(drill.Passed, drill.Problem);
        await AddRunAsync(BackupRunStatus.Failed, new DateTime(2026, 12, 5, 17, 0, 0, DateTimeKind.Utc), null, "No space left on device");
        await AddRunAsync(BackupRunStatus.Succeeded, new DateTime(2026, 12, 6, 17, 0, 0, DateTimeKind.Utc), older.Id, null);

        await using var test = new ComponentTestContext(factory, "ja-JP");
        test.SignIn("admin-backups", "admin-backups@test.local", StaffRoles.Administrator);
        var cut = test.Context.Render<BackupsOverview>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=backup-generation]").Count), Wait);

        // In that order; the time in the viewer's zone (Asia/Tokyo), the stored size, the storage.
        var rows = cut.FindAll("[data-testid=backups-generations] tbody tr");
        Assert.Equal([newer.Id, older.Id], cut.FindAll("[data-testid=backup-generation]").Select(c => c.GetAttribute("data-id")));
        cut.WaitForAssertion(() => Assert.Contains(Tokyo(older.StartedAtUtc), cut.FindAll("[data-testid=backups-generations] tbody tr")[1].TextContent), Wait);
        Assert.Contains(Tokyo(newer.StartedAtUtc), cut.FindAll("[data-testid=backups-generations] tbody tr")[0].TextContent);
        Assert.Contains(Size(older.StoredBytes), rows[1].TextContent);
        Assert.Contains("手動", rows[1].TextContent);
        Assert.Contains("ローカルディスク", rows[1].TextContent);

        // The drill chip: passed on the drilled generation, none on the other.
        var drills = cut.FindAll("[data-testid=backup-drill]");
        Assert.Equal("none", drills[0].GetAttribute("data-passed"));
        Assert.Contains("未実施", drills[0].TextContent);
        Assert.Equal("True", drills[1].GetAttribute("data-passed"));
        Assert.Contains("合格", drills[1].TextContent);

        // Verify: the good generation is verified; a flipped byte in the newer one's database part fails with the reason.
        var part = Path.Combine(factory.DataPath, "backups", newer.Id, "database.db");
        var bytes = await File.ReadAllBytesAsync(part);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(part, bytes);
        cut.FindAll("[data-testid=backup-verify]")[1].Click();
        cut.WaitForAssertion(() => Assert.Equal("verified", cut.FindAll("[data-testid=backup-checksum]")[1].GetAttribute("data-state")), Wait);
        Assert.Contains("検証済み", cut.FindAll("[data-testid=backup-checksum]")[1].TextContent);
        cut.WaitForAssertion(() => Assert.False(cut.FindAll("[data-testid=backup-verify]")[0].HasAttribute("disabled")), Wait);
        cut.FindAll("[data-testid=backup-verify]")[0].Click();
        cut.WaitForAssertion(() => Assert.Equal("failed", cut.FindAll("[data-testid=backup-checksum]")[0].GetAttribute("data-state")), Wait);
        Assert.Contains("失敗", cut.FindAll("[data-testid=backup-checksum]")[0].TextContent);
        Assert.Contains("バックアップ世代が破損しています: Local: database.db", cut.FindAll("[data-testid=backup-checksum]")[0].TextContent);

        // The recent runs, newest first, with the failed run's error.
        var statuses = cut.FindAll("[data-testid=backup-run-status]");
        Assert.Equal(["Succeeded", "Failed"], statuses.Select(s => s.GetAttribute("data-status")));
        Assert.Contains("成功", statuses[0].TextContent);
        var failedRow = cut.FindAll("[data-testid=backups-runs] tbody tr")[1];
        Assert.Contains("No space left on device", failedRow.TextContent);
        Assert.Contains("2026-12-06 02:00", failedRow.TextContent); // 17:00 UTC is 02:00 the next day in Tokyo
        Assert.Contains("夜間", failedRow.TextContent);

        // The settings: an empty window and 400 generations are refused in Japanese, and nothing is saved.
        cut.WaitForElement("input[data-testid=backup-retention]", Wait);
        cut.Find("input[data-testid=backup-window-end]").Change("02:00");
        cut.Find("input[data-testid=backup-retention]").Change("400");
        cut.Find("[data-testid=backup-settings-save]").Click();
        cut.WaitForAssertion(() =>
        {
            var settings = cut.Find("[data-testid=backup-settings]").TextContent;
            Assert.Contains("保持する世代数は 1～365 の範囲で指定してください。", settings);
            Assert.Contains("バックアップ時間帯の終了時刻は開始時刻と異なる必要があります。", settings);
        }, Wait);
        var stored = await factory.WithScopeAsync(async sp => await sp.GetRequiredService<IBackupSettingsStore>().GetAsync());
        Assert.Equal((5, new TimeOnly(6, 0)), (stored.Retention, stored.WindowEnd));
    }

    /// <summary>The size as the page writes it for a small backup (KB with one decimal, or MB).</summary>
    private static string Size(long bytes) => bytes >= 1L << 20
        ? (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.CurrentCulture) + " MB"
        : (bytes / 1024d).ToString("0.0", CultureInfo.CurrentCulture) + " KB";
}
