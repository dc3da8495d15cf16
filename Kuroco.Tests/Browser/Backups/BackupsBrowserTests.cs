using Kuroco.Core.Backups;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Backups;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Browser.Backups;

/// <summary>
/// The real backup engine, paced: after each progress step it waits a moment, so that a backup of the test's small
/// database lasts a few seconds and the page's once-a-second progress has something to show. Nothing else changes.
/// </summary>
public sealed class PacedBackupAppFactory : KurocoAppFactory
{
    public static readonly TimeSpan StepPause = TimeSpan.FromMilliseconds(800);

    public PacedBackupAppFactory() => TestServices = services =>
    {
        services.AddScoped<BackupService>();
        services.AddScoped<IBackupService>(sp => new PacedBackupService(sp.GetRequiredService<BackupService>()));
    };

    private sealed class PacedBackupService(IBackupService inner) : IBackupService
    {
        public Task<Kuroco.Core.Common.Result<BackupManifest>> BackUpAsync(BackupTrigger trigger, IProgress<BackupProgress>? progress, CancellationToken cancellationToken) =>
            inner.BackUpAsync(trigger, progress is null ? null : new Paced(progress), cancellationToken);

        public Task<IReadOnlyList<BackupGeneration>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

        public Task<Kuroco.Core.Common.Result> VerifyAsync(string generationId, CancellationToken cancellationToken) => inner.VerifyAsync(generationId, cancellationToken);
    }

    private sealed class Paced(IProgress<BackupProgress> inner) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value)
        {
            inner.Report(value);
            if (value.Fraction < 1)
            {
                Thread.Sleep(StepPause);
            }
        }
    }
}

/// <summary>A browser on the app with the paced backup engine.</summary>
public sealed class PacedBackupBrowserFixture : IAsyncLifetime
{
    public BrowserFixture Browser { get; } = new(new PacedBackupAppFactory());

    public Task InitializeAsync() => Browser.InitializeAsync();

    public Task DisposeAsync() => Browser.DisposeAsync();
}

/// <summary>
/// An Operator presses "Back up now" on /backups, watches the live progress bar move, sees the new generation listed and
/// verified; an Administrator then takes "Restore…" on it and /backups/restore offers that generation.
/// </summary>
public sealed class BackupsBrowserTests(PacedBackupBrowserFixture fixture) : IClassFixture<PacedBackupBrowserFixture>
{
    private BrowserFixture Browser => fixture.Browser;

    /// <summary>Records every state the progress panel shows ("Running:15"), from now on, in window.__backupProgress.</summary>
    private const string RecordProgress = """
        () => {
          window.__backupProgress = [];
          const record = () => {
            const panel = document.querySelector('[data-testid=backups-progress]');
            if (!panel) return;
            const state = panel.getAttribute('data-status') + ':' + panel.getAttribute('data-percent');
            const seen = window.__backupProgress;
            if (seen[seen.length - 1] !== state) seen.push(state);
          };
          new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status', 'data-percent'] });
          record();
        }
        """;

    [Fact]
    public Task An_operator_backs_up_now_watches_the_progress_and_an_administrator_is_offered_the_new_generation_to_restore() =>
        Browser.RunAsync(nameof(An_operator_backs_up_now_watches_the_progress_and_an_administrator_is_offered_the_new_generation_to_restore), async page =>
        {
            var m = Guid.NewGuid().ToString("N")[..8];
            var operatorEmail = $"olga-{m}@test.local";
            var adminEmail = $"ada-{m}@test.local";
            await Browser.App.CreateStaffAsync(operatorEmail, StaffRoles.Operator);
            await Browser.App.CreateStaffAsync(adminEmail, StaffRoles.Administrator);
            await BrowserFixture.SignInToAsync(page, "/backups", operatorEmail);
            await Expect(page.Locator("h1")).ToHaveTextAsync("Backups");
            await Expect(page.GetByTestId("backups-none")).ToBeVisibleAsync();

            // One click once the circuit is up (a second would be refused while the first runs).
            await BrowserFixture.WaitForCircuitAsync(page);
            await page.EvaluateAsync(RecordProgress);
            await page.GetByTestId("backups-now").ClickAsync();
            await Expect(page.GetByTestId("backups-progress")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("backups-now")).ToBeDisabledAsync();
            await Expect(page.GetByTestId("backups-outcome")).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = 60_000 });
            await Expect(page.GetByTestId("backups-progress")).ToHaveCountAsync(0);

            // The bar moved: the job's steps showed while it ran, rising.
            var seen = await page.EvaluateAsync<string[]>("() => window.__backupProgress");
            var running = seen.Where(s => s.StartsWith("Running:", StringComparison.Ordinal)).Select(s => int.Parse(s[8..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.True(running.Distinct().Count() >= 2, "The progress did not move: " + string.Join(", ", seen));
            Assert.Equal(running.Order(), running);

            // The new generation is listed with its checksum state; Verify re-reads it.
            var run = (await Browser.App.WithScopeAsync(sp => sp.GetRequiredService<IBackupRunReader>().RecentAsync(1, CancellationToken.None)))[0];
            Assert.Equal((BackupTrigger.Manual, BackupRunStatus.Succeeded), (run.Trigger, run.Status));
            var generationId = run.GenerationId!;
            await Expect(page.GetByTestId("backups-outcome")).ToContainTextAsync(generationId);
            var row = page.Locator("tr", new() { Has = page.Locator($"[data-testid=backup-generation][data-id='{generationId}']") });
            await Expect(row).ToBeVisibleAsync();
            var checksum = row.GetByTestId("backup-checksum");
            await Expect(checksum).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("^(unchecked|verified)$"));
            await row.GetByTestId("backup-verify").ClickAsync();
            await Expect(checksum).ToHaveAttributeAsync("data-state", "verified");
            await Expect(checksum).ToContainTextAsync("Verified");
            await Expect(page.Locator("[data-testid=backup-run-status][data-status=Succeeded]")).ToHaveCountAsync(1);
            // Restoring is the Administrators' (and a second person's) step.
            await Expect(row.GetByTestId("backup-restore")).ToHaveCountAsync(0);

            // An Administrator opens the generation's "Restore…": the full restore offers exactly that generation.
            await page.GetByTestId("sign-out").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape("/account/login")), new() { Timeout = 30_000 });
            await BrowserFixture.SignInToAsync(page, "/backups", adminEmail);
            await Expect(page.Locator("h1")).ToHaveTextAsync("Backups");
            // A link clicked before the circuit is up can be undone by it: the circuit starts on /backups and renders the
            // overview over the restore page the click had loaded (seen once in a fresh-clone run). Wait for it first.
            await BrowserFixture.WaitForCircuitAsync(page);
            await row.GetByTestId("backup-restore").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape("/backups/restore?generation=")), new() { Timeout = 30_000 });
            await Expect(page.GetByTestId("generation-manifest")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("restore-request")).ToContainTextAsync(generationId);
            await Expect(page.GetByTestId("request-restore")).ToBeVisibleAsync();
        });
}
