using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace WebBlazor;

/// <summary>
/// bench/fuzz/fuzz_dashboard.py's browser sample: each environment page of a fuzz case in Chromium, until the
/// circuit is interactive; one JSON line per page with what it showed (errors, hosts, a raw stack trace, Blazor's
/// error bar, console errors).
/// </summary>
internal static partial class FuzzPages
{
    [GeneratedRegex(@"(^|\n)\s+at [A-Za-z_][\w.`<>]*\.[\w<>`]+\(|--- End of stack trace|Unhandled exception\.")]
    private static partial Regex Trace();

    public static async Task<int> RunAsync(IBrowser browser, string state, IReadOnlyList<string> urls)
    {
        var bad = 0;
        foreach (var url in urls)
        {
            await using var context = await Session.ContextAsync(browser, state);
            var page = await context.NewPageAsync();
            var console = new List<string>();
            page.Console += (_, m) => { if (m.Type == "error") console.Add(m.Text); };
            var watch = System.Diagnostics.Stopwatch.StartNew();
            string outcome;
            try
            {
                await page.GotoAsync(url, new() { Timeout = 90_000 });
                await page.WaitForSelectorAsync("body[data-interactive=true]", new() { Timeout = 90_000 });
                outcome = "interactive";
            }
            catch (TimeoutException)
            {
                outcome = "timeout";
            }
            var text = await page.InnerTextAsync("body");
            var errorBar = await page.Locator("#blazor-error-ui").IsVisibleAsync();
            var line = new
            {
                url,
                outcome,
                ms = watch.ElapsedMilliseconds,
                errors = await page.Locator("pre.batou-error").CountAsync(),
                hosts = await page.Locator("#hosts").CountAsync(),
                trace = Trace().IsMatch(text),
                errorBar,
                console = console.Take(3).ToList(),
            };
            if (outcome != "interactive" || line.trace || errorBar || console.Count > 0) bad++;
            Console.WriteLine(JsonSerializer.Serialize(line));
        }
        Console.WriteLine($"{urls.Count} pages, {bad} with a problem");
        return bad == 0 ? 0 : 1;
    }
}
