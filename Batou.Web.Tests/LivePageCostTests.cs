using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests;

/// <summary>
/// What a running deployment's page costs the browser while nothing changes (issue #8: 50 tabs watching one deployment):
/// no animation runs on it — the status stays visible as colour, icon and word — and its log still follows live.
/// </summary>
[Collection("dashboard")]
public sealed class LivePageCostTests(DashboardFixture app) : BrowserSession(app)
{
    private const string Running = "() => document.getAnimations().filter(a => a.playState === 'running')"
                                   + ".map(a => (a.animationName || a.transitionProperty || 'animation') + ' on ' + (a.effect?.target?.className?.baseVal ?? a.effect?.target?.className ?? '?'))";

    [Fact]
    public async Task A_running_deployment_page_runs_no_animation_and_still_shows_its_status_and_new_lines()
    {
        var page = await SignedInPageAsync();
        await File.WriteAllTextAsync(App.HoldFile, "hold");
        try
        {
            await DeployAsync(page, "slow");
            await Expect(page.Locator("#log .log-line", new() { HasTextString = "napping 2" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
            var chip = page.Locator("#status .status-chip");
            await Expect(chip).ToHaveAttributeAsync("data-status", "running");
            await Expect(chip).ToContainTextAsync("running");
            await Expect(chip.Locator("svg.mud-chip-icon")).ToBeVisibleAsync();
            await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-live", "true");
            Assert.Empty(await SettledAnimationsAsync(page));

            // the same with reduced motion asked for
            await page.EmulateMediaAsync(new() { ReducedMotion = ReducedMotion.Reduce });
            Assert.Empty(await SettledAnimationsAsync(page));
            await Expect(chip).ToContainTextAsync("running");
        }
        finally
        {
            File.Delete(App.HoldFile);
        }
        await Expect(page.Locator("#log .log-line", new() { HasTextString = "napping 5" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 60_000 });
    }

    /// <summary>The running animations once the page's own transitions (a chip appearing, a ripple) had time to end.</summary>
    private static async Task<string[]> SettledAnimationsAsync(IPage page)
    {
        var running = await page.EvaluateAsync<string[]>(Running);
        for (var i = 0; i < 20 && running.Length > 0; i++)
        {
            await page.WaitForTimeoutAsync(250);
            running = await page.EvaluateAsync<string[]>(Running);
        }
        return running;
    }
}
