using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests;

/// <summary>
/// Cancelling a deployment whose command runs on: the page counts down the environment's <c>cancel_grace</c> (45 s in the
/// fixture's graceful environment) and "Stop now" kills the command without waiting for it.
/// </summary>
[Collection("dashboard")]
public sealed partial class CancelGraceTests(DashboardFixture app) : BrowserSession(app)
{
    [Fact]
    public async Task Cancelling_shows_a_countdown_and_stop_now_ends_it_at_once()
    {
        var page = await SignedInPageAsync();
        await DeployAsync(page, "graceful");
        await Expect(page.Locator("#roots tr[data-root='localhost:graceful'] .root-state")).ToHaveTextAsync("updating", new() { Timeout = 60_000 });
        await page.ClickAsync("#cancel");
        await Expect(page.Locator("#status .status-chip")).ToHaveAttributeAsync("data-status", "cancelling", new() { Timeout = 15_000 });
        var text = page.Locator("#grace-text");
        await Expect(text).ToContainTextAsync("commands are stopped in", new() { Timeout = 15_000 });
        var first = SecondsLeft(await text.InnerTextAsync());
        Assert.InRange(first, 1, 45);
        // the countdown moves on its own, without events
        await Expect(text).Not.ToHaveTextAsync(await text.InnerTextAsync(), new() { Timeout = 5_000 });
        Assert.True(SecondsLeft(await text.InnerTextAsync()) < first);
        await Expect(page.Locator("#log .log-line", new() { HasTextString = "Cancelling: nothing new starts" })).ToBeVisibleAsync();
        await ShotAsync(page, "20-cancel-grace.png");

        await page.ClickAsync("#stop-now");
        // far sooner than the 45 s grace, let alone the 300 s sleep
        await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-status", "cancelled", new() { Timeout = 20_000 });
        await Expect(page.Locator("#cancel-grace")).ToHaveCountAsync(0);
        await Expect(page.Locator("#log .log-line", new() { HasTextString = "Stopping now" })).ToBeVisibleAsync();
        await Expect(page.Locator("#roots tr[data-root='localhost:graceful'] .root-state")).Not.ToHaveTextAsync("changed");
    }

    private static int SecondsLeft(string text) =>
        int.Parse(SecondsPattern().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"stopped in (\d+) s")]
    private static partial Regex SecondsPattern();
}
