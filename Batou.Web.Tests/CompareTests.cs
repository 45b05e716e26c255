using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests;

/// <summary>Comparing two deployments of one environment (issue #9), in Debian's Chromium and over plain HTTP.</summary>
[Collection("dashboard")]
public sealed class CompareTests(DashboardFixture app) : BrowserSession(app)
{
    [Fact]
    public async Task Two_deployments_show_the_commit_the_file_diff_a_changed_setting_and_what_each_deployment_changed()
    {
        var s = await CompareScenario.ForAsync(App);
        var page = await SignedInPageAsync();
        await GoAsync(page, $"/compare/{s.A}/{s.B}");
        await Expect(page.Locator("#compare-title")).ToContainTextAsync($"#{s.A}");
        var commit = page.Locator($"#commits-ahead .compare-commit[data-hash='{s.CommitB}']");
        await Expect(commit).ToContainTextAsync(CompareScenario.MessageB);
        await Expect(commit).ToContainTextAsync("Carol Compare");
        await Expect(page.Locator("#commits-behind")).ToHaveCountAsync(0);
        // one file changed: its panel is open with the patch
        var file = page.Locator($"#repo-diff .repo-file[data-path='environments/{s.Environment}/environment.cfg']");
        await Expect(file.Locator(".diff-add", new() { HasTextString = "port = 9102" })).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(file.Locator(".diff-del", new() { HasTextString = "port = 9101" })).ToBeVisibleAsync();
        await Expect(page.Locator("#file-count")).ToHaveTextAsync("1 file(s) changed");
        // the resolved configuration (from the engine child process) says which setting changed, per host and component
        var port = page.Locator("#config-diff .config-scope[data-scope='localhost:app'] tr.setting-change[data-setting='port']");
        await Expect(port.Locator(".setting-before")).ToHaveTextAsync("9101", new() { Timeout = 60_000 });
        await Expect(port.Locator(".setting-after")).ToHaveTextAsync("9102");
        await Expect(page.Locator("#config-diff tr.setting-change[data-setting='workers']")).ToHaveCountAsync(0);
        // the file each deployment wrote: B rewrote app.conf with the new port
        var applied = page.Locator($".applied[data-deployment='{s.B}'] .applied-diff[data-path$='app.conf']");
        await Expect(applied).ToHaveCountAsync(1);
        await applied.Locator(".mud-expand-panel-header").ClickAsync();
        await Expect(applied.Locator(".diff-add", new() { HasTextString = "9102" })).ToBeVisibleAsync();
        await ShotAsync(page, "compare-two-deployments.png", fullPage: true);
    }

    [Fact]
    public async Task Compare_with_previous_from_the_history_compares_a_deployment_with_the_one_before_it()
    {
        var s = await CompareScenario.ForAsync(App);
        var page = await SignedInPageAsync();
        await GoAsync(page, $"/deployments?env={s.Environment}");
        await page.Locator(".history-row", new() { Has = page.Locator($"a[data-id='{s.B}']") }).Locator("a.compare-previous").ClickAsync();
        await Expect(page.Locator("#compare")).ToHaveAttributeAsync("data-from", s.CommitA, new() { Timeout = 15_000 });
        await Expect(page.Locator("#compare")).ToHaveAttributeAsync("data-to", s.CommitB);
        Assert.EndsWith($"/compare/previous/{s.B}", page.Url);
        await Expect(page.Locator($"#commits-ahead .compare-commit[data-hash='{s.CommitB}']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Deployed_now_against_a_commit_shows_the_commits_to_come_and_names_a_binary_file()
    {
        var s = await CompareScenario.ForAsync(App);
        var page = await SignedInPageAsync();
        await GoAsync(page, $"/repos/example/env/{s.Environment}/compare/deployed/{s.CommitC[..12]}");
        await Expect(page.Locator("#compare")).ToHaveAttributeAsync("data-from", s.CommitB);
        await Expect(page.Locator("#compare")).ToHaveAttributeAsync("data-to", s.CommitC);
        await Expect(page.Locator("#compare-title .compare-side").First).ToHaveTextAsync($"#{s.B}");
        var binary = page.Locator($".repo-file[data-path='environments/{s.Environment}/logo.bin']");
        await Expect(binary).ToHaveAttributeAsync("data-status", "added");
        await Expect(binary.Locator(".binary-note")).ToContainTextAsync("logo.bin", new() { Timeout = 15_000 });
        await Expect(page.Locator("#config-diff tr.setting-change[data-setting='port'] .setting-after")).ToHaveTextAsync("9103", new() { Timeout = 60_000 });
    }

    [Fact]
    public async Task Comparing_deployments_of_two_environments_is_refused_and_unknown_ones_are_not_found()
    {
        var s = await CompareScenario.ForAsync(App);
        using var client = await App.SignedInClientAsync();
        var other = await DashboardApi.DeployAsync(client, "tick", App.MainHead);
        await DashboardApi.WaitAsync(client, other);
        var html = await client.GetStringAsync($"/compare/{s.A}/{other}");
        Assert.Contains("compare-refused", html);
        Assert.Contains($"environment &#x27;{s.Environment}&#x27;", html);
        Assert.Contains("only deployments of one environment can be compared", html);
        Assert.DoesNotContain("id=\"compare\"", html);
        var missing = await client.GetAsync($"/compare/{s.A}/999999999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var nothingDeployed = await client.GetAsync($"/repos/example/env/never-deployed/compare/deployed/{App.MainHead}");
        Assert.Equal(HttpStatusCode.NotFound, nothingDeployed.StatusCode);
    }
}
