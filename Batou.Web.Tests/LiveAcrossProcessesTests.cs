using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests;

/// <summary>
/// Two dashboard processes on one PostgreSQL database: the deployment page served by one process shows, live and
/// without a reload, a deployment the other process runs (LISTEN/NOTIFY, Live/CrossProcess).
/// </summary>
[Collection("dashboard")]
public sealed class LiveAcrossProcessesTests(DashboardFixture app) : BrowserSession(app)
{
    [Fact]
    public async Task A_page_of_one_process_follows_a_deployment_the_other_runs_to_its_end()
    {
        await using var dashboards = await TwoDashboards.StartAsync(App, "batou_live_");
        await File.WriteAllTextAsync(App.HoldFile, "hold");   // the deployment waits in its third nap until released
        try
        {
            var id = await DashboardApi.DeployAsync(dashboards.Client, "slow", App.MainHead);
            await DashboardApi.WaitAsync(dashboards.Client, id, d => d.Status == "running");
            var watcher = await dashboards.NotRunningAsync(id);

            var page = await SignedInOnAsync(watcher.BaseUrl);
            await page.GotoAsync($"{watcher.BaseUrl}/deployments/{id}");
            await InteractiveAsync(page);
            await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-status", "running", new() { Timeout = 30_000 });
            await Expect(page.Locator("#log .log-line", new() { HasTextString = "napping 2" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(page.Locator("#log .log-line", new() { HasTextString = "napping 3" })).ToHaveCountAsync(0);
            await page.EvaluateAsync("() => { window.batouSamePage = true; }");   // gone if the page were reloaded
            File.Delete(App.HoldFile);
            // lines the other process writes after the page loaded, then its final state: all without a reload
            await Expect(page.Locator("#log .log-line", new() { HasTextString = "napping 4" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 60_000 });
            await Expect(page.Locator("#roots tr[data-root='localhost:slow'] .root-state")).ToHaveTextAsync("changed");
            await Expect(page.Locator("#log .log-line", new() { HasTextString = "napping 5" })).ToHaveCountAsync(1);
            Assert.True(await page.EvaluateAsync<bool>("() => window.batouSamePage === true"));
        }
        finally
        {
            File.Delete(App.HoldFile);
        }
    }
}
