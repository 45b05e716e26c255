using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests;

/// <summary>The journeys of a team member through the interactive dashboard, in Debian's Chromium.</summary>
[Collection("dashboard")]
public sealed class EndToEndTests(DashboardFixture app) : BrowserSession(app)
{
    [Fact]
    public async Task Browse_the_graph_deploy_watch_it_finish_and_find_it_in_the_history_with_its_diff()
    {
        var page = await SignedInPageAsync();
        await ShotAsync(page, "02-home.png");
        await page.ClickAsync("#repositories >> text=example");
        await Expect(page.Locator(".env-card[data-env=local]")).ToBeVisibleAsync();
        await Expect(page.Locator("#commits .commit-item").First).ToBeVisibleAsync();
        await ShotAsync(page, "03-repository.png");
        await page.ClickAsync(".env-card[data-env=local] a");
        await Expect(page.Locator("#graph svg")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("#graph svg g.node")).ToHaveCountAsync(4);
        await ShotAsync(page, "04-environment.png", fullPage: true);
        await page.ClickAsync("#deploy");
        await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 60_000 });
        await Expect(page.Locator("#roots .root-changed").First).ToBeVisibleAsync();
        await Expect(page.Locator("#diffs .file-diff .diff-add").First).ToBeVisibleAsync();
        await Expect(page.Locator("#components tr", new() { HasTextString = "Content('app.conf')" })).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-live", "false");
        // the graph's nodes carry the roots' final states
        await Expect(page.Locator("#graph svg g.node[data-state=changed]").First).ToBeAttachedAsync();
        var id = await page.Locator("#deployment").GetAttributeAsync("data-id");
        await ShotAsync(page, "05-deployment.png", fullPage: true);
        await page.ClickAsync("a[href='/deployments']");
        await Expect(page.Locator($".history-row a[data-id='{id}']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await ShotAsync(page, "06-history.png");
        await page.ClickAsync($".history-row a[data-id='{id}']");
        await Expect(page.Locator("#diffs .file-diff .diff-add").First).ToBeVisibleAsync();
        await Expect(page.Locator("#requested-by")).ToHaveTextAsync(DashboardFixture.User);
    }

    [Fact]
    public async Task Reloading_during_a_deployment_continues_the_log_a_second_one_queues_and_a_third_is_cancelled_from_home()
    {
        var page = await SignedInPageAsync();
        await File.WriteAllTextAsync(App.HoldFile, "hold");   // the deployment waits at its third step until released
        try
        {
            await DeployAsync(page, "slow");
            await Expect(page.Locator("#log .log-line", new() { HasTextString = "napping 2" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(page.Locator("#roots tr[data-root='localhost:slow'] .root-state")).ToHaveTextAsync("updating");
            var second = await SignedInPageAsync();
            var secondId = await DeployAsync(second, "slow");
            await Expect(second.Locator("#queued-note")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await ShotAsync(second, "07-queued.png");
            var third = await SignedInPageAsync();
            var thirdId = await DeployAsync(third, "slow");
            // the home page's "now" panel lists both waiting deployments live; cancel the third there
            await GoAsync(third, "/");
            await Expect(third.Locator($".queue-item[data-id='{secondId}']")).ToBeVisibleAsync();
            await third.ClickAsync($".queue-item[data-id='{thirdId}'] .cancel-queued");
            await Expect(third.Locator($".queue-item[data-id='{thirdId}']")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
            await Expect(third.Locator($".recent-item[data-id='{thirdId}'] .status-chip")).ToHaveAttributeAsync("data-status", "cancelled");
            await page.ReloadAsync();
            await InteractiveAsync(page);
            await Expect(page.Locator("#log .log-line", new() { HasTextString = "napping 2" })).ToBeVisibleAsync(new() { Timeout = 15_000 });
            File.Delete(App.HoldFile);
            await Expect(page.Locator("#log .log-line", new() { HasTextString = "napping 4" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await ShotAsync(page, "08-live.png", fullPage: true);
            await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 60_000 });
            await Expect(page.Locator("#log .log-line", new() { HasTextString = "napping 2" })).ToHaveCountAsync(1);
            // the queued page turned into a running one and finished without a reload
            await Expect(second.Locator("#deployment")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 60_000 });
            await Expect(second.Locator("#log .log-line", new() { HasTextString = "napping 5" })).ToHaveCountAsync(1);
        }
        finally
        {
            File.Delete(App.HoldFile);
        }
    }

    [Fact]
    public async Task Cancelling_a_running_deployment_in_the_browser_shows_cancelling_then_cancelled()
    {
        var page = await SignedInPageAsync();
        await File.WriteAllTextAsync(App.HoldFile, "hold");
        try
        {
            await DeployAsync(page, "slow");
            await Expect(page.Locator("#log .log-line", new() { HasTextString = "napping 2" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await page.ClickAsync("#cancel");
            await Expect(page.Locator("#status .status-chip")).ToHaveAttributeAsync("data-status", "cancelling", new() { Timeout = 15_000 });
        }
        finally
        {
            File.Delete(App.HoldFile);
        }
        await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-status", "cancelled", new() { Timeout = 60_000 });
        await Expect(page.Locator("#cancel")).ToHaveCountAsync(0);
        await Expect(page.Locator("#log .log-line", new() { HasTextString = "napping 3" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Two_people_watch_one_deployment_and_both_see_it_finish()
    {
        var alice = await SignedInPageAsync();
        var bob = await SignedInPageAsync();
        await File.WriteAllTextAsync(App.HoldFile, "hold");
        try
        {
            var id = await DeployAsync(alice, "slow");
            await GoAsync(bob, $"/deployments/{id}");
            await Expect(bob.Locator("#log .log-line", new() { HasTextString = "napping 2" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(bob.Locator("#deployment")).ToHaveAttributeAsync("data-status", "running");
        }
        finally
        {
            File.Delete(App.HoldFile);
        }
        foreach (var page in new[] { alice, bob })
        {
            await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 60_000 });
            await Expect(page.Locator("#log .log-line", new() { HasTextString = "napping 5" })).ToHaveCountAsync(1);
            await Expect(page.Locator("#roots tr[data-root='localhost:slow'] .root-state")).ToHaveTextAsync("changed");
        }
    }

    [Fact]
    public async Task Deploying_a_production_like_environment_asks_first_and_a_cancelled_dialog_deploys_nothing()
    {
        var page = await SignedInPageAsync();
        await GoAsync(page, $"/repos/example/at/{App.MainHead}/env/production");
        await page.ClickAsync("#deploy");
        await Expect(page.Locator(".mud-dialog #preview-summary")).ToContainTextAsync("no preview");
        await ShotAsync(page, "12-confirm.png");
        await page.ClickAsync("#confirm-cancel");
        await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        Assert.Contains("/env/production", page.Url);
        // preview first: the dialog then says what the preview found
        await page.ClickAsync("#preview");
        await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 60_000 });
        await GoAsync(page, $"/repos/example/at/{App.MainHead}/env/production");
        await page.ClickAsync("#deploy");
        await Expect(page.Locator(".mud-dialog #preview-summary")).ToContainTextAsync("would change: localhost > slow");
        await page.ClickAsync("#confirm-deploy");
        await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 60_000 });
    }

    [Fact]
    public async Task Deploying_over_ssh_from_the_browser_converges_the_test_sshd_host()
    {
        Assert.True(File.Exists(Path.Combine(App.RepoDir, "environments", "remote", "environment.cfg")), "the test sshd is not running: ./test.sh starts it");
        var page = await SignedInPageAsync();
        await GoAsync(page, "/repos/example");
        await page.ClickAsync(".env-card[data-env=remote] a");
        await Expect(page.Locator("#graph svg")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.ClickAsync("#deploy");
        await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 120_000 });
        await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-live", "false", new() { Timeout = 15_000 });
        await Expect(page.Locator("#roots tr[data-root='host1:app'] .root-state")).ToHaveTextAsync("changed");
        await Expect(page.Locator("#roots tr[data-root='host1:proxy'] .root-state")).ToHaveTextAsync("changed");
        await Expect(page.Locator("#diffs .file-diff", new() { HasTextString = "app.conf" }).First).ToBeVisibleAsync();
        await ShotAsync(page, "11-remote.png", fullPage: true);
        var conf = await File.ReadAllTextAsync(Path.Combine("/home/batou-host1", App.RemoteTarget, "work", "app", "app.conf"));
        Assert.Contains("listen = 127.0.0.1:8080", conf);
        Assert.Contains("    server 127.0.0.1:8080;", await File.ReadAllTextAsync(Path.Combine("/home/batou-host1", App.RemoteTarget, "work", "proxy", "proxy.conf")));
    }

    [Fact]
    public async Task A_commit_with_a_configuration_error_shows_the_error_and_cannot_be_deployed()
    {
        var page = await SignedInPageAsync();
        await GoAsync(page, $"/repos/example/at/{App.BrokenHead}/env/local");
        await Expect(page.Locator(".config-errors")).ToContainTextAsync("environment.cfg");
        await Expect(page.Locator("#deploy")).ToBeDisabledAsync();
        await ShotAsync(page, "09-config-error.png");
    }

    [Fact]
    public async Task The_history_filters_by_status_and_user_and_keeps_the_filter_in_the_address()
    {
        var page = await SignedInPageAsync();
        var id = await DeployAsync(page, "local", predict: true);
        await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 60_000 });
        await GoAsync(page, "/deployments?user=nobody-at-all");
        await Expect(page.Locator("#history")).ToContainTextAsync("No deployments match");
        await GoAsync(page, $"/deployments?user={DashboardFixture.User}&status=succeeded");
        await Expect(page.Locator($".history-row a[data-id='{id}']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var statuses = await page.Locator(".history-row .status-chip").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.status)");
        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.Equal("succeeded", s));
        await page.FillAsync("#filter-user input, input#filter-user", "nobody-at-all");
        await Expect(page.Locator("#history")).ToContainTextAsync("No deployments match", new() { Timeout = 15_000 });
        Assert.Contains("user=nobody-at-all", page.Url);
    }
}
