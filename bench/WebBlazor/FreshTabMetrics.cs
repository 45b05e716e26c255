using System.Globalization;
using Microsoft.Playwright;

namespace WebBlazor;

/// <summary>
/// Where a fresh tab's time goes before a page is interactive: per load (after a warm-up load, as <see cref="Floor"/>
/// measures), Chromium's counters (CDP <c>Performance.getMetrics</c>: main-thread task, script, layout and style time,
/// counts, DOM nodes) read at the moment <c>body[data-interactive=true]</c> appears; medians printed.
/// </summary>
internal static class FreshTabMetrics
{
    private static readonly string[] Keys = ["TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "LayoutCount", "RecalcStyleCount", "Nodes", "JSHeapUsedSize"];

    public static async Task RunAsync(IBrowser browser, string baseUrl, string path, int loads, string? state)
    {
        await using var context = await Floor.ContextAsync(browser, state);
        var samples = Keys.Append("interactive ms").ToDictionary(k => k, _ => new List<double>());
        for (var i = 0; i < loads + 1; i++)
        {
            var page = await context.NewPageAsync();
            var cdp = await context.NewCDPSessionAsync(page);
            await cdp.SendAsync("Performance.enable");
            await Floor.OpenAsync(page, baseUrl + path);
            var ready = await page.EvaluateAsync<double>("() => window.__t.interactive");
            var metrics = await cdp.SendAsync("Performance.getMetrics");
            await page.CloseAsync();
            if (i == 0 || metrics is not { } json) continue;
            foreach (var m in json.GetProperty("metrics").EnumerateArray())
                if (samples.TryGetValue(m.GetProperty("name").GetString()!, out var list)) list.Add(m.GetProperty("value").GetDouble());
            samples["interactive ms"].Add(ready);
        }
        Console.WriteLine($"{path}, {loads} fresh tabs, medians at interactive (durations in ms):");
        foreach (var (k, v) in samples)
        {
            v.Sort();
            var median = v.Count == 0 ? double.NaN : v[v.Count / 2];
            var shown = k.EndsWith("Duration", StringComparison.Ordinal) ? median * 1000 : median;
            Console.WriteLine($"  {k,-22} {shown.ToString("0.0", CultureInfo.InvariantCulture)}");
        }
    }
}
