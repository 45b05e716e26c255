using System.Diagnostics;
using System.Text;
using Microsoft.Playwright;

namespace WebBlazor;

/// <summary>
/// The comparison page of two deployments far apart (issue #9 "Performance"): first paint (the file list and the
/// commits in the server's first response), interactive, the first file's patch on expand, the resolved configuration
/// diff (engine child process, cold and warm) and rendering the whole file list.
/// </summary>
internal sealed class Compare(List<double> firstPaint, List<double> interactive, List<double> expand, List<double> config, List<double> all, int files)
{
    public static async Task<Compare> RunAsync(IBrowser browser, string state, string baseUrl, long a, long b, int samples)
    {
        var (paint, live, open, cfg, every) = (new List<double>(), new List<double>(), new List<double>(), new List<double>(), new List<double>());
        var files = 0;
        for (var i = 0; i < samples; i++)
        {
            await using var context = await Session.ContextAsync(browser, state);
            var page = await context.NewPageAsync();
            var clock = Stopwatch.StartNew();
            await page.GotoAsync($"{baseUrl}/compare/{a}/{b}", new() { WaitUntil = WaitUntilState.Commit });
            await page.Locator("#file-count").WaitForAsync(new() { Timeout = 120_000 });
            paint.Add(clock.Elapsed.TotalMilliseconds);
            await page.Locator("body[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 120_000 });
            live.Add(clock.Elapsed.TotalMilliseconds);
            files = int.Parse((await page.Locator("#file-count").InnerTextAsync()).Split(' ')[0]);
            var first = page.Locator(".repo-file[data-path='assets/large.txt']");
            clock.Restart();
            await first.Locator(".mud-expand-panel-header").ClickAsync();
            await first.Locator(".load-rest").WaitForAsync(new() { Timeout = 120_000 });
            open.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await page.Locator("#config-diff .config-scope, #config-diff .no-config-changes, #config-diff #config-errors, #config-diff .host-added, #config-diff .host-removed, #config-diff .root-added, #config-diff .root-removed").First.WaitForAsync(new() { Timeout = 180_000 });
            cfg.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await page.Locator("#all-files").ClickAsync();
            await page.Locator(".repo-file").Nth(files - 1).WaitForAsync(new() { Timeout = 120_000 });
            every.Add(clock.Elapsed.TotalMilliseconds);
        }
        return new Compare(paint, live, open, cfg, every, files);
    }

    public void Write(StringBuilder md)
    {
        md.AppendLine($"Comparison page, {files} files changed; one new browser context per sample; ms from navigation (the first row is cold: nothing cached).").AppendLine();
        md.AppendLine(Stats.Header);
        md.AppendLine(Stats.Row("first paint (file list + commits shown)", firstPaint.Order().ToList()));
        md.AppendLine(Stats.Row("interactive (circuit up)", interactive.Order().ToList()));
        md.AppendLine(Stats.Row("first file's patch after expand (300 kB text, cut)", expand.Order().ToList()));
        md.AppendLine(Stats.Row("configuration diff shown, after the patch", config.Order().ToList()));
        md.AppendLine(Stats.Row($"all {files} file panels rendered after \"show all\"", all.Order().ToList()));
        md.AppendLine().AppendLine($"cold (first sample): first paint {Stats.Ms(firstPaint[0])} ms, configuration diff {Stats.Ms(config[0])} ms");
    }
}
