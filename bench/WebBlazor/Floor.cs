using System.Text;
using Microsoft.Playwright;

namespace WebBlazor;

/// <summary>
/// What any page costs a fresh tab on this machine, measured the way <see cref="BigLog"/> measures the dashboard: per new
/// page in one browser context (after a warm-up load, so assets come from the cache), navigation start → DOMContentLoaded
/// and → <c>body[data-interactive=true]</c>. Run against bench/BlazorFloor: a static HTML page (a new renderer process
/// and a navigation, nothing else) and the smallest interactive Blazor Server + MudBlazor page.
/// </summary>
internal sealed record Floor(IReadOnlyList<(string Page, IReadOnlyList<double> DomContentLoaded, IReadOnlyList<double> Interactive)> Pages, int Loads)
{
    /// <summary>Records in <c>window.__t.interactive</c> when <c>body[data-interactive=true]</c> first appears.</summary>
    internal const string Recorder = """
        (() => {
          const t = window.__t = { interactive: 0 };
          const check = () => { if (!t.interactive && document.body?.dataset.interactive === 'true') t.interactive = performance.now(); };
          new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-interactive'] });
          document.addEventListener('DOMContentLoaded', check);
        })();
        """;

    /// <param name="state">The signed-in storage state for the dashboard's pages (<c>WebBlazor pages</c>); none for BlazorFloor.</param>
    public static async Task<Floor> RunAsync(IBrowser browser, string baseUrl, int loads, IReadOnlyList<(string Label, string Path)> pages, string? state = null)
    {
        var results = new List<(string, IReadOnlyList<double>, IReadOnlyList<double>)>();
        foreach (var (label, path) in pages)
        {
            await using var context = await ContextAsync(browser, state);
            List<double> dcl = [], interactive = [];
            for (var i = 0; i < loads + 1; i++)
            {
                var page = await context.NewPageAsync();
                await OpenAsync(page, baseUrl + path);
                var t = await page.EvaluateAsync<double[]>("() => [performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd, window.__t.interactive]");
                await page.CloseAsync();
                if (i == 0) continue;   // warm-up: assets into the cache, the server's JIT
                dcl.Add(t[0]);
                interactive.Add(t[1]);
            }
            results.Add((label, [.. dcl.Order()], [.. interactive.Order()]));
        }
        return new Floor(results, loads);
    }

    /// <summary>Goes to <paramref name="url"/> and waits for the interactive mark <see cref="Recorder"/> records (at most a minute each).</summary>
    internal static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url, new() { Timeout = 60_000 });
        await page.WaitForFunctionAsync("() => window.__t && window.__t.interactive > 0", null, new() { Timeout = 60_000, PollingInterval = 20 });
    }

    /// <summary>A context with the dashboard's viewport (signed in with <paramref name="state"/>, if given) that records the interactive mark.</summary>
    internal static async Task<IBrowserContext> ContextAsync(IBrowser browser, string? state)
    {
        var context = state is null ? await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } })
            : await Session.ContextAsync(browser, state);
        await context.AddInitScriptAsync(Recorder);
        return context;
    }

    public void Write(StringBuilder md)
    {
        md.AppendLine($"Fresh tabs (a new page, no other page open in its context), {Loads} loads per page after one warm-up load; ms from navigation start.");
        md.AppendLine();
        md.AppendLine(Stats.Header);
        foreach (var (page, dcl, interactive) in Pages)
        {
            md.AppendLine(Stats.Row($"{page}: DOMContentLoaded", dcl));
            md.AppendLine(Stats.Row($"**{page}: interactive** (`body[data-interactive=true]`)", interactive));
        }
        md.AppendLine();
    }
}
