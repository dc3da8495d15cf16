using Microsoft.Playwright;

namespace Kuroco.Tests.Support;

/// <summary>
/// The real app on Kestrel at 127.0.0.1 on a free port (its own temporary data folder and bootstrap
/// Administrator) and Debian's headless Chromium with a persistent profile in a temporary folder.
/// The browser is KUROCO_CHROMIUM, else /usr/bin/chromium; a missing browser fails the tests
/// (scripts/test.sh installs it). Never run "playwright install".
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumVariable = "KUROCO_CHROMIUM";
    public const string DefaultChromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly string profilePath = Path.Combine(Path.GetTempPath(), "kuroco-tests", "chromium-" + Guid.NewGuid().ToString("N"));
    private IPlaywright? playwright;
    private IBrowserContext? context;

    public KurocoAppFactory App { get; } = new();

    public Uri BaseAddress { get; private set; } = default!;

    public IBrowserContext Context => context ?? throw new InvalidOperationException("The browser is not started.");

    public static string ChromiumPath()
    {
        var configured = Environment.GetEnvironmentVariable(ChromiumVariable);
        var path = string.IsNullOrWhiteSpace(configured) ? DefaultChromium : configured;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"No Chromium at {path}. Browser tests need Debian's Chromium: run scripts/test.sh (it installs the chromium package), " +
                $"or apt-get install -y chromium, or set {ChromiumVariable} to a Chromium binary. Do not run \"playwright install\".");
        }
        return path;
    }

    public async Task InitializeAsync()
    {
        var chromium = ChromiumPath();
        BaseAddress = App.StartKestrel();
        Directory.CreateDirectory(profilePath);
        playwright = await Playwright.CreateAsync();
        context = await playwright.Chromium.LaunchPersistentContextAsync(profilePath, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumArgs,
            BaseURL = BaseAddress.ToString(),
            Locale = "en-US",
            TimezoneId = "Asia/Tokyo",
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(15_000);
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    /// <summary>Runs a browser test; on failure saves a full-page screenshot in the test output folder and rethrows.</summary>
    public async Task RunAsync(string testName, Func<IPage, Task> test)
    {
        ArgumentNullException.ThrowIfNull(test);
        var page = Context.Pages.Count > 0 ? Context.Pages[0] : await Context.NewPageAsync();
        try
        {
            await test(page);
        }
        catch (Exception ex)
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "playwright-failures");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"{testName}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.png");
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            }
            catch (PlaywrightException)
            {
                file = "(screenshot failed)";
            }
            throw new InvalidOperationException($"{ex.Message}\nPage: {page.Url}\nScreenshot: {file}", ex);
        }
    }

    public async Task DisposeAsync()
    {
        if (context is not null)
        {
            await context.CloseAsync();
        }
        playwright?.Dispose();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(profilePath, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its profile for a moment; the temp folder is cleaned by the OS.
        }
    }
}
