using System.Diagnostics;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests;

/// <summary>A deployment of 100,000 log lines, watched live and read afterwards, stays usable in the browser.</summary>
[Collection("dashboard")]
public sealed class BigLogTests(DashboardFixture app) : BrowserSession(app)
{
    [Fact]
    public async Task A_deployment_of_100000_log_lines_keeps_the_page_small_follows_the_tail_filters_on_the_server_and_downloads_all()
    {
        var page = await SignedInPageAsync();
        await File.WriteAllTextAsync(App.ChattyHoldFile, "hold");
        string id;
        try
        {
            id = await DeployAsync(page, "chatty");
            await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-live", "true", new() { Timeout = 30_000 });
        }
        finally
        {
            File.Delete(App.ChattyHoldFile);
        }
        // while the lines stream in, the virtualised log keeps few lines in the page and the page answers scripts
        var samples = new List<(int Lines, int Events, double Ms)>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            var asked = clock.Elapsed.TotalMilliseconds;
            var probe = await page.EvaluateAsync<int[]>("""
                () => { const d = document.getElementById("deployment");
                        return d && d.dataset.live === "true"
                          ? [document.querySelectorAll("#log .log-line").length, parseInt(document.getElementById("event-count").textContent) || 0]
                          : [-1, -1]; }
                """);
            if (probe[0] < 0) break;
            samples.Add((probe[0], probe[1], clock.Elapsed.TotalMilliseconds - asked));
            await Task.Delay(100);
        }
        Assert.True(samples.Count >= 3, $"only {samples.Count} samples while the deployment was live");
        Assert.All(samples, s => Assert.InRange(s.Lines, 0, 300));
        Assert.Contains(samples, s => s.Events > 10_000);   // it was watched while the lines arrived, not only at the end
        await File.WriteAllTextAsync(Path.Combine(Shots, "100k-probes.txt"),
            $"{samples.Count} probes, max DOM lines {samples.Max(s => s.Lines)}, max probe round trip {samples.Max(s => s.Ms):0} ms, " +
            $"median {samples.Select(s => s.Ms).Order().ElementAt(samples.Count / 2):0} ms\n");

        await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 60_000 });
        // it followed the tail: the last line is on screen
        var last = page.Locator("#log .log-line", new() { HasTextString = $"chatty line {DashboardFixture.ChattyLines}" });
        await Expect(last).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("#log-count")).ToContainTextAsync("lines");

        // scrolled up, the view stays put and offers to jump to the end
        await page.HoverAsync("#log");
        for (var i = 0; i < 5; i++) await page.Mouse.WheelAsync(0, -2000);
        await Expect(page.Locator("#jump-to-end")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(last).Not.ToBeVisibleAsync();
        await page.ClickAsync("#jump-to-end");
        await Expect(last).ToBeVisibleAsync(new() { Timeout = 15_000 });

        // the search runs on the server over all lines: exactly one line says "chatty line 54321"
        var search = Stopwatch.StartNew();
        await page.FillAsync("#log-search", "chatty line 54321");
        await Expect(page.Locator("#log-count")).ToHaveTextAsync("1 lines", new() { Timeout = 15_000 });
        await Expect(page.Locator("#log .log-line")).ToHaveCountAsync(1);
        await Expect(page.Locator("#log .log-line")).ToHaveTextAsync("localhost > Chatty: chatty line 54321");
        await File.AppendAllTextAsync(Path.Combine(Shots, "100k-probes.txt"), $"search over 100,000 lines shown after {search.ElapsedMilliseconds} ms (300 ms debounce included)\n");
        await ShotAsync(page, "10-100k-lines.png");

        // a fresh page of the finished deployment is interactive quickly and shows the tail
        var fresh = Stopwatch.StartNew();
        await GoAsync(page, $"/deployments/{id}");
        await Expect(last).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await File.AppendAllTextAsync(Path.Combine(Shots, "100k-probes.txt"), $"finished page to interactive with the tail shown: {fresh.ElapsedMilliseconds} ms\n");

        // the raw log has every line, in order
        var raw = await page.APIRequest.GetAsync($"{App.BaseUrl}/deployments/{id}/log.txt");
        Assert.Equal(200, raw.Status);
        var chatty = (await raw.TextAsync()).Split('\n').Where(l => l.Contains("chatty line ", StringComparison.Ordinal)).ToList();
        Assert.Equal(DashboardFixture.ChattyLines, chatty.Count);
        Assert.EndsWith("chatty line 1", chatty[0]);
        Assert.EndsWith($"chatty line {DashboardFixture.ChattyLines}", chatty[^1]);
    }
}
