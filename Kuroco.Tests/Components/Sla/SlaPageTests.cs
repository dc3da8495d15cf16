using Bunit;
using Kuroco.Admin.Components.Pages.Sla;
using Kuroco.Core.Audit;
using Kuroco.Core.Sla;
using Kuroco.Core.Staff;
using Kuroco.Tests.Integration.Sla;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Kuroco.Tests.Components.Sla;

/// <summary>The /sla page in Japanese on the real services: the month to date with its budget, and bad input showing localized errors while saving nothing.</summary>
public sealed class SlaPageTests(SlaServiceTests.SlaAppFactory factory) : IClassFixture<SlaServiceTests.SlaAppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private Task<T> Read<T>(Func<ISlaService, Task<T>> read) => factory.WithScopeAsync(sp => read(sp.GetRequiredService<ISlaService>()));

    [Fact]
    public async Task An_administrator_sees_the_month_to_date_in_japanese_and_bad_input_shows_localized_errors_and_saves_nothing()
    {
        factory.Actor.Current = new AuditActor("admin-id", "admin@test.local", [StaffRoles.Administrator]);
        await using var test = new ComponentTestContext(factory, "ja-JP");
        test.SignIn("admin-id", "admin@test.local", StaffRoles.Administrator);
        test.Context.Render<MudSnackbarProvider>();
        var page = test.Context.Render<SlaPage>();

        // 2026-11-30 23:00 in Tokyo: November, 30 days, 43.2 minutes at 99.9 %.
        page.WaitForAssertion(() => Assert.Contains("今月（2026年11月）の状況", page.Find("[data-testid=sla-current]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal("停止時間：今月の許容 43.2 分のうち 0 分（残り 43.2 分）。", page.Find("[data-testid=sla-budget]").TextContent.Trim());
        Assert.Equal("99.900 %", page.Find("[data-testid=sla-target]").TextContent.Trim());
        Assert.NotNull(page.Find("[data-testid=sla-windows-empty]"));

        // A target below 90 % is refused in Japanese; nothing is saved.
        page.Find("input[data-testid=sla-target-input]").Change("80");
        page.Find("[data-testid=sla-settings-save]").Click();
        page.WaitForAssertion(() => Assert.Equal("目標値は 90 %〜99.999 % の範囲で入力してください。", page.Find("[data-testid=sla-settings-errors]").TextContent.Trim()), Wait);
        Assert.Equal(99.9m, (await Read(s => s.GetSettingsAsync())).TargetPercent);

        // A window ending before it starts is refused in Japanese; nothing is scheduled.
        page.Find("input[data-testid=sla-window-start]").Change("2026-12-01T10:00");
        page.Find("input[data-testid=sla-window-end]").Change("2026-12-01T09:00");
        page.Find("input[data-testid=sla-window-title-en]").Change("Database upgrade");
        page.Find("input[data-testid=sla-window-title-ja]").Change("データベースの更新");
        page.Find("[data-testid=sla-window-save]").Click();
        page.WaitForAssertion(() => Assert.Equal("終了日時は開始日時より後にしてください。", page.Find("[data-testid=sla-window-errors]").TextContent.Trim()), Wait);
        var from = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Empty(await Read(s => s.ListMaintenanceAsync(from, from.AddMonths(2))));

        // Corrected, it is scheduled (10:00–11:00 in Tokyo = 01:00–02:00 UTC) and listed with its Japanese title.
        page.Find("input[data-testid=sla-window-end]").Change("2026-12-01T11:00");
        page.Find("[data-testid=sla-window-save]").Click();
        page.WaitForAssertion(() => Assert.Equal("データベースの更新", page.Find("[data-testid=sla-window-title]").TextContent.Trim()), Wait);
        var window = Assert.Single(await Read(s => s.ListMaintenanceAsync(from, from.AddMonths(2))));
        Assert.Equal(new DateTime(2026, 12, 1, 1, 0, 0, DateTimeKind.Utc), window.StartUtc);
        Assert.Equal(new DateTime(2026, 12, 1, 2, 0, 0, DateTimeKind.Utc), window.EndUtc);
    }
}
