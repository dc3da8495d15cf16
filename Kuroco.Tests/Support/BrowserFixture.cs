using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuroco.Tests.Support;

/// <summary>
/// The real app on Kestrel at 127.0.0.1 on a free port (its own temporary data folder and bootstrap
/// Administrator) and Debian's headless Chromium with a persistent profile in a temporary folder.
/// The browser is KUROCO_CHROMIUM, else /usr/bin/chromium; a missing browser fails the tests
/// (scripts/test.sh installs it). Never run "playwright install". Tests sign in with <see cref="SignInAsync"/> (or
/// <see cref="SignInToAsync"/>) and wait for the Blazor circuit with <see cref="ClickUntilVisibleAsync"/> or <see cref="UntilAsync"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumVariable = "KUROCO_CHROMIUM";
    public const string DefaultChromium = "/usr/bin/chromium";

    /// <summary>How long <see cref="UntilAsync"/> waits for the circuit (generous: the suite runs on two shared cores).</summary>
    public static readonly TimeSpan CircuitTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="UntilAsync"/> gives one attempt to take effect before it tries again.</summary>
    public static readonly TimeSpan AttemptWait = TimeSpan.FromSeconds(1.5);

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly string profilePath = Path.Combine(Path.GetTempPath(), "kuroco-tests", "chromium-" + Guid.NewGuid().ToString("N"));
    private IPlaywright? playwright;
    private IBrowserContext? context;

    /// <summary>The app on a plain <see cref="KurocoAppFactory"/>.</summary>
    public BrowserFixture()
        : this(new KurocoAppFactory())
    {
    }

    /// <summary>The app on <paramref name="app"/> (one with test services), for a fixture that wraps this one. Not public: xunit wants one public constructor.</summary>
    internal BrowserFixture(KurocoAppFactory app) => App = app;

    public KurocoAppFactory App { get; }

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

    /// <summary>Opens the sign-in page and signs in as a person does; returns on the home page (its welcome is shown).</summary>
    public static async Task SignInAsync(IPage page, string email, string password = KurocoAppFactory.StaffPassword)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/account/login");
        await SubmitSignInAsync(page, email, password);
        await Expect(page.GetByTestId("welcome")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Opens the sign-in page with <paramref name="returnUrl"/> and signs in; the browser goes on to that page, where
    /// the caller waits for what it expects.
    /// </summary>
    public static async Task SignInToAsync(IPage page, string returnUrl, string email, string password = KurocoAppFactory.StaffPassword)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await SubmitSignInAsync(page, email, password);
    }

    /// <summary>On the (English) sign-in page already open, e.g. after a redirect or on another origin: fills Email and Password and presses "Sign in".</summary>
    public static async Task SubmitSignInAsync(IPage page, string email, string password = KurocoAppFactory.StaffPassword)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    /// <summary>
    /// A server-prerendered button does nothing until the Blazor circuit is connected: clicks <paramref name="button"/>
    /// until <paramref name="shows"/> (a dialog, a menu item, a new row) is visible.
    /// </summary>
    public static Task ClickUntilVisibleAsync(ILocator button, ILocator shows, string what)
    {
        ArgumentNullException.ThrowIfNull(button);
        ArgumentNullException.ThrowIfNull(shows);
        return UntilAsync(() => shows.IsVisibleAsync(), () => button.ClickAsync(), what);
    }

    /// <summary>
    /// Until <paramref name="done"/> holds, runs <paramref name="attempt"/>: a click or some typing that only a connected
    /// circuit answers. <paramref name="done"/> is checked first, and after each attempt it is given up to
    /// <see cref="AttemptWait"/> to come true (a debounce, a round trip) before the next one, so an attempt that worked is
    /// not repeated (a second click would close a menu that opened slowly). Fails after <see cref="CircuitTimeout"/>.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> done, Func<Task> attempt, string what)
    {
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(attempt);
        var deadline = DateTime.UtcNow + CircuitTimeout;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}: is the Blazor circuit connected?");
            }
            await attempt();
            var settled = DateTime.UtcNow + AttemptWait;
            while (DateTime.UtcNow < settled && !await done())
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>
    /// Waits until the page's Blazor circuit answers: the account menu (the English console at 1280 px) opens only then.
    /// Closes it again by clicking the page's heading through the menu's overlay. Use it before acting on something that
    /// gives no visible answer without the circuit (a file input, a progress that only the circuit updates).
    /// </summary>
    public static async Task WaitForCircuitAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var item = page.GetByText("Change password", new() { Exact = true });
        await ClickUntilVisibleAsync(page.GetByTestId("user-menu-button"), item, "the account menu");
        var heading = await page.Locator("h1").BoundingBoxAsync() ?? throw new InvalidOperationException("The page has no heading.");
        await page.Mouse.ClickAsync(heading.X + 4, heading.Y + (heading.Height / 2));
        await Expect(item).ToBeHiddenAsync();
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
