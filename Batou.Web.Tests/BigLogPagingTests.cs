using Batou.Web.Tests.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests;

/// <summary>
/// The page of a big finished deployment opens at the tail of its log and pages older lines in from the database as
/// the reader scrolls up (a few thousand lines here; the 100,000-line case is bench/WebBlazor <c>biglog</c>).
/// </summary>
[Collection("dashboard")]
public sealed class BigLogPagingTests(DashboardFixture app) : BrowserSession(app)
{
    private const int Lines = 3_000;

    [Fact]
    public async Task A_big_finished_log_opens_at_its_tail_and_scrolled_to_the_top_shows_its_first_lines_in_order()
    {
        long id;
        HashSet<int> output;
        using (var scope = App.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Batou.Web.Data.BatouDb>();
            var repository = await db.Repositories.Where(r => r.Name == "example").Select(r => r.Id).SingleAsync();
            (id, output) = await StoredLogDb.SeedAsync(db, Lines, repository, "local", App.MainHead);
        }
        var plain = Enumerable.Range(1, Lines).Where(s => !output.Contains(s)).ToList();
        var page = await SignedInPageAsync();
        await GoAsync(page, $"/deployments/{id}");
        var last = page.Locator($"#log .log-line[data-seq='{Lines}']");
        await Expect(last).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("#log-count")).ToHaveTextAsync($"{plain.Count} lines");

        // the reader scrolls up: the list turns virtual, then to the very top, where the first lines are read in
        await page.HoverAsync("#log");
        for (var i = 0; i < 3; i++) await page.Mouse.WheelAsync(0, -1500);
        await Expect(page.Locator("#jump-to-end")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(page.Locator("#log[data-mode=virtual]")).ToBeAttachedAsync();
        await Task.Delay(2500);   // js/log.js keeps the reader's distance from the end for 2 s after the switch
        var first = page.Locator("#log .log-line[data-seq='1']");
        for (var i = 0; i < 60 && !await first.IsVisibleAsync(); i++)
        {
            await page.EvalOnSelectorAsync("#log", "el => { el.scrollTop = 0; }");
            await Task.Delay(500);
        }
        await Expect(first).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(first).ToContainTextAsync("deploying environment local");
        // the lines in the page are the first ones of the log without command output: in order, none missing or twice
        var seqs = (await page.Locator("#log .log-line").EvaluateAllAsync<string[]>("ls => ls.map(l => l.dataset.seq)")).Select(int.Parse).ToList();
        Assert.True(seqs.Count is > 20 and < 500, $"{seqs.Count} lines in the page");
        Assert.Equal(plain.Take(seqs.Count), seqs);
        await ShotAsync(page, "big-log-top.png");

        await page.ClickAsync("#jump-to-end");
        await Expect(last).ToBeVisibleAsync(new() { Timeout = 15_000 });
    }
}
