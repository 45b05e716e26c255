using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests.Browse;

/// <summary>
/// Two dashboard processes on one PostgreSQL database: the environment page and the home page ("now" panel) served by
/// the process that does not run a deployment follow it live — running with its progress (log lines, root state), then
/// succeeded — without a reload (Live/CrossProcess feeding the shared log that RunningProgress reads).
/// </summary>
[Collection("dashboard")]
public sealed class LiveEverywhereAcrossProcessesTests(DashboardFixture app) : BrowserSession(app)
{
    /// <summary>Records in the page the largest line count any progress of deployment <c>id</c> showed, and marks the page.</summary>
    private const string Watch = """
        (id) => {
          window.batouSamePage = true;
          window.batouMaxLines = 0;
          const look = () => {
            for (const e of document.querySelectorAll(`.running-progress[data-id="${id}"]`))
              window.batouMaxLines = Math.max(window.batouMaxLines, Number(e.dataset.lines));
          };
          look();
          new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-lines'] });
        }
        """;

    [Fact]
    public async Task The_environment_and_home_pages_of_one_process_follow_a_deployment_the_other_runs()
    {
        await using var dashboards = await TwoDashboards.StartAsync(App, "batou_everywhere_");
        await File.WriteAllTextAsync(App.HoldFile, "hold");   // the deployment waits in its third nap until released
        try
        {
            var id = await DashboardApi.DeployAsync(dashboards.Client, "slow", App.MainHead);
            await DashboardApi.WaitAsync(dashboards.Client, id, d => d.Status == "running");
            var watcher = await dashboards.NotRunningAsync(id);

            var env = await SignedInOnAsync(watcher.BaseUrl);
            var home = await env.Context.NewPageAsync();
            await env.GotoAsync($"{watcher.BaseUrl}/repos/example/at/{App.MainHead}/env/slow");
            await home.GotoAsync($"{watcher.BaseUrl}/");
            foreach (var page in new[] { env, home }) await InteractiveAsync(page);

            // running, with what it did so far read from the other process's rows
            var envItem = env.Locator($"#env-active .env-active-item[data-id='{id}']");
            await Expect(envItem).ToHaveAttributeAsync("data-status", "running", new() { Timeout = 30_000 });
            var homeItem = home.Locator($"#queue .queue-item[data-id='{id}']");
            await Expect(homeItem).ToHaveAttributeAsync("data-status", "running", new() { Timeout = 30_000 });
            foreach (var item in new[] { envItem, homeItem })
                await Expect(item.Locator(".running-progress")).ToContainTextAsync("0 of 1 root done", new() { Timeout = 30_000 });
            await Expect(env.Locator(".host-card[data-host='localhost'] .root-row .root-live .root-state")).ToHaveTextAsync("updating");
            await env.WaitForFunctionAsync("(id) => Number(document.querySelector(`.running-progress[data-id=\"${id}\"]`)?.dataset.lines) >= 3", id,
                new() { Timeout = 30_000 });   // napping 0, 1, 2 (and the lines before them)
            var held = int.Parse((await envItem.Locator(".running-progress").GetAttributeAsync("data-lines"))!);
            foreach (var page in new[] { env, home }) await page.EvaluateAsync(Watch, id);

            File.Delete(App.HoldFile);
            // the other process finishes it: both pages show it succeeded, without a reload
            await Expect(env.Locator($"#env-active .env-active-item[data-id='{id}']")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
            await Expect(env.Locator(".host-card[data-host='localhost'] .status-chip")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 30_000 });
            await Expect(env.Locator(".host-card[data-host='localhost'] .root-row .root-state")).ToHaveTextAsync("changed");
            await Expect(home.Locator($"#recent .recent-item[data-id='{id}']")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 30_000 });
            await Expect(homeItem).ToHaveCountAsync(0);
            foreach (var page in new[] { env, home })
            {
                Assert.True(await page.EvaluateAsync<bool>("() => window.batouSamePage === true"));
                // lines the other process wrote after the hold (napping 3, 4, 5) reached the progress while it still ran
                Assert.True(await page.EvaluateAsync<int>("() => window.batouMaxLines") > held, $"the progress of {page.Url} never went past {held} lines");
            }
        }
        finally
        {
            File.Delete(App.HoldFile);
        }
    }
}
