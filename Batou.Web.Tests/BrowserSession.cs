using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests;

/// <summary>
/// Debian's Chromium through Playwright, signed in to the shared dashboard. Each person is a browser context of
/// their own (cookies, storage), so two people can watch the same deployment side by side.
/// </summary>
/// <remarks>
/// The browser is Debian's <c>chromium-headless-shell</c> (Chromium's own headless build, what Playwright runs for headless
/// by default) when installed, else <c>chromium</c>; <c>BATOU_TEST_CHROMIUM</c> names another. Every new page of the full
/// browser opens a window with the browser's own interface, whose renderer (the address bar's popup) took about 0.3 s of
/// CPU per page on two cores (docs/decisions.md, "Which Chromium measures a fresh tab").
/// </remarks>
public abstract class BrowserSession(DashboardFixture app) : IAsyncLifetime
{
    protected DashboardFixture App { get; } = app;
    private IPlaywright _pw = null!;
    protected IBrowser Browser { get; private set; } = null!;
    protected static readonly string Shots = Path.Combine(DashboardFixture.SourceRoot(), ".test-results", "web-screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Shots);
        _pw = await Playwright.CreateAsync();
        Browser = await _pw.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    internal static string Chromium =>
        Environment.GetEnvironmentVariable("BATOU_TEST_CHROMIUM") is { Length: > 0 } chosen ? chosen
        : File.Exists("/usr/bin/chromium-headless-shell") ? "/usr/bin/chromium-headless-shell" : "/usr/bin/chromium";

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _pw.Dispose();
    }

    /// <summary>A new person (browser context) signed in, on the home page, with the circuit up.</summary>
    protected async Task<IPage> SignedInPageAsync(int width = 1440, int height = 900)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(App.BaseUrl + "/");
        if (await page.Locator("#create-admin").CountAsync() > 0)
        {
            await ShotAsync(page, "01-setup.png");
            await page.FillAsync("#UserName", DashboardFixture.User);
            await page.FillAsync("#Password", DashboardFixture.Password);
            await page.FillAsync("#Confirm", DashboardFixture.Password);
            await page.ClickAsync("#create-admin");
        }
        else if (await page.Locator("#sign-in").CountAsync() > 0)
        {
            await page.FillAsync("#UserName", DashboardFixture.User);
            await page.FillAsync("#Password", DashboardFixture.Password);
            await page.ClickAsync("#sign-in");
        }
        await Expect(page.Locator("#repositories")).ToBeVisibleAsync();
        await InteractiveAsync(page);
        return page;
    }

    /// <summary>A new person (browser context) signed in as the admin on the dashboard at <paramref name="baseUrl"/> (another process).</summary>
    protected async Task<IPage> SignedInOnAsync(string baseUrl)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(baseUrl + "/");
        await page.FillAsync("#UserName", DashboardFixture.User);
        await page.FillAsync("#Password", DashboardFixture.Password);
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator("#repositories")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Goes to a page and waits until its buttons work (prerendered buttons are dead until the circuit is up).</summary>
    protected async Task GoAsync(IPage page, string path)
    {
        await page.GotoAsync(App.BaseUrl + path);
        await InteractiveAsync(page);
    }

    protected static Task InteractiveAsync(IPage page) =>
        Expect(page.Locator("body[data-interactive=true]")).ToBeAttachedAsync(new() { Timeout = 30_000 });

    /// <summary>Screenshots are artifacts for people, not assertions: one that cannot be taken in time is
    /// retried once after the page settles, then skipped with a note, so it never fails a test on its own.</summary>
    protected static async Task ShotAsync(IPage page, string name, bool fullPage = false)
    {
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            try
            {
                await page.WaitForLoadStateAsync(LoadState.Load);
                await page.ScreenshotAsync(new() { Path = Path.Combine(Shots, name), FullPage = fullPage, Timeout = 15_000 });
                return;
            }
            catch (TimeoutException) when (attempt == 1)
            {
                await page.WaitForTimeoutAsync(500);
            }
            catch (TimeoutException e)
            {
                await File.WriteAllTextAsync(Path.Combine(Shots, name + ".missing.txt"), e.Message);
            }
        }
    }

    /// <summary>Requests a deployment through the browser on an environment page and returns its id once its page shows.</summary>
    protected async Task<string> DeployAsync(IPage page, string environment, string? commit = null, bool predict = false)
    {
        await GoAsync(page, $"/repos/example/at/{commit ?? App.MainHead}/env/{environment}");
        await page.ClickAsync(predict ? "#preview" : "#deploy");
        await Expect(page.Locator("#deployment")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await InteractiveAsync(page);
        return (await page.Locator("#deployment").GetAttributeAsync("data-id"))!;
    }
}
