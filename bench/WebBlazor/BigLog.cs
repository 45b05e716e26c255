using System.Text;
using Microsoft.Playwright;

namespace WebBlazor;

/// <summary>
/// The page of a finished deployment with a very long log: per fresh page, from navigation start (the page's own
/// clock) to the prerendered tail (static markup), to the circuit being up (<c>body[data-interactive=true]</c>) and
/// to the interactive, virtualised log showing the last line.
/// </summary>
internal sealed record BigLog(long DeploymentId, int LastSeq, IReadOnlyList<double> PrerenderTailMs, IReadOnlyList<double> InteractiveMs,
    IReadOnlyList<double> TailMs, IReadOnlyList<double> LoadMs, int DomLines, int Failed = 0, double ColdMs = double.NaN,
    IReadOnlyDictionary<string, List<double>>? Phases = null)
{
    // recorded in every new document from its start; LAST is the seq of the last log line
    private const string Recorder = """
        (() => {
          const t = window.__t = { pre: 0, interactive: 0, tail: 0, lines: 0 };
          const check = () => {
            const now = performance.now();
            const lines = document.querySelectorAll('#log .log-line');
            const last = lines.length ? +lines[lines.length - 1].dataset.seq : 0;
            const tailShown = [...lines].some(l => +l.dataset.seq === window.__last);
            if (!t.pre && tailShown) t.pre = now;
            if (!t.interactive && document.body?.dataset.interactive === 'true') t.interactive = now;
            // the interactive log is virtualised: fewer lines than the 500 of the prerendered markup
            if (t.interactive && !t.tail && tailShown && lines.length < 500) { t.tail = now; t.lines = lines.length; }
          };
          new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-interactive', 'data-seq'] });
          document.addEventListener('DOMContentLoaded', check);
          // where the time goes: the circuit's WebSocket (opened, first message, the largest of the first messages: the
          // first render batch) and the first time the prerendered 500 lines were replaced by the interactive pane
          t.ws = { created: 0, open: 0, first: 0, big: 0, bigBytes: 0, n: 0 };
          const W = window.WebSocket;
          window.WebSocket = class extends W {
            constructor(...a) {
              super(...a);
              if (!t.ws.created) t.ws.created = performance.now();
              this.addEventListener('open', () => { if (!t.ws.open) t.ws.open = performance.now(); });
              this.addEventListener('message', e => {
                const now = performance.now(), bytes = e.data?.byteLength ?? e.data?.size ?? e.data?.length ?? 0;
                if (!t.ws.first) t.ws.first = now;
                if (t.ws.n++ < 20 && bytes > t.ws.bigBytes) { t.ws.big = now; t.ws.bigBytes = bytes; }
              });
            }
          };
          // the prerendered pane's first row, taken once the document is parsed; replaced = no longer in the document
          let prerendered = null;
          document.addEventListener('DOMContentLoaded', () => { prerendered = document.querySelector('#log .log-line'); });
          new MutationObserver(() => {
            if (!t.swap && prerendered && !prerendered.isConnected) t.swap = performance.now();
          }).observe(document, { childList: true, subtree: true });
        })();
        """;

    // per load: navigation, resources and circuit milestones, ms from navigation start (0 when not seen)
    private const string PhaseScript = """
        () => {
          const t = window.__t, nav = performance.getEntriesByType('navigation')[0], r = performance.getEntriesByType('resource');
          const res = (part, field) => { const e = r.find(x => x.name.includes(part)); return e ? e[field] : 0; };
          return {
            'html response end': nav.responseEnd, 'DOMContentLoaded end': nav.domContentLoadedEventEnd,
            'blazor.web.js end': res('blazor.web', 'responseEnd'), 'MudBlazor.min.js end': res('MudBlazor.min', 'responseEnd'),
            '_blazor/initializers start': res('_blazor/initializers', 'startTime'), '_blazor/initializers end': res('_blazor/initializers', 'responseEnd'),
            '_blazor/negotiate start': res('_blazor/negotiate', 'startTime'), '_blazor/negotiate end': res('_blazor/negotiate', 'responseEnd'),
            'WebSocket created': t.ws.created, 'WebSocket open': t.ws.open, 'first message': t.ws.first,
            'largest early message (render batch)': t.ws.big, 'largest early message KB': t.ws.bigBytes / 1024,
            'prerendered lines replaced': t.swap || 0,
            'theme.js start': res('/theme', 'startTime'), 'theme.js end': res('/theme', 'responseEnd'),
            'log.js start': res('/log', 'startTime'), 'log.js end': res('/log', 'responseEnd'),
            'circuit up (data-interactive)': t.interactive, 'interactive tail': t.tail,
          };
        }
        """;

    /// <param name="openTab">Keep another dashboard page open in the same browser context during the loads: Chromium then
    /// gives the fresh tabs that page's renderer process (styles, fonts and scripts already there) instead of a new one.</param>
    public static async Task<BigLog> RunAsync(IBrowser browser, string state, string baseUrl, long id, int loads, bool openTab = false)
    {
        var url = $"{baseUrl}/deployments/{id}";
        await using var context = await Session.ContextAsync(browser, state);
        if (openTab) await (await context.NewPageAsync()).GotoAsync($"{baseUrl}/deployments", new() { Timeout = 60_000 });
        // the last log line's seq, from the prerendered markup; this first open reads the log from the database (the
        // dashboard keeps it for a minute after the last reader left: the loads below find it in memory)
        var probe = await context.NewPageAsync();
        var cold = System.Diagnostics.Stopwatch.StartNew();
        await probe.GotoAsync(url, new() { WaitUntil = WaitUntilState.DOMContentLoaded, Timeout = 60_000 });
        await probe.WaitForSelectorAsync("#log .log-line[data-seq]", new() { Timeout = 60_000 });
        var coldMs = cold.Elapsed.TotalMilliseconds;
        var last = (int)await probe.EvaluateAsync<double>(
            "() => Math.max(0, ...[...document.querySelectorAll('#log .log-line[data-seq]')].map(l => +l.dataset.seq).filter(Number.isFinite))");
        await probe.CloseAsync();
        if (last == 0) throw new InvalidOperationException($"{url}: no log lines in the page");
        await context.AddInitScriptAsync($"window.__last = {last};\n{Recorder}");
        List<double> pre = [], inter = [], tail = [], load = [];
        var phases = new Dictionary<string, List<double>>();
        int lines = 0, failed = 0;
        for (var i = 0; i < loads + 1; i++)
        {
            var page = await context.NewPageAsync();
            try
            {
                await page.GotoAsync(url, new() { Timeout = 120_000 });
                await page.WaitForFunctionAsync("() => window.__t && window.__t.tail > 0", null, new() { Timeout = 120_000, PollingInterval = 50 });
            }
            catch (TimeoutException)
            {
                // counted and reported: a load that never showed the interactive tail within two minutes
                failed++;
                await page.CloseAsync();
                continue;
            }
            var t = await page.EvaluateAsync<double[]>("() => [window.__t.pre, window.__t.interactive, window.__t.tail, window.__t.lines, performance.getEntriesByType('navigation')[0].loadEventEnd]");
            var p = await page.EvaluateAsync<Dictionary<string, double>>(PhaseScript);
            await page.CloseAsync();
            if (i == 0) continue;   // warm-up: assets into the cache, JIT
            foreach (var (k, v) in p) (phases.TryGetValue(k, out var l) ? l : phases[k] = []).Add(v);
            pre.Add(t[0]); inter.Add(t[1]); tail.Add(t[2]); lines = (int)t[3]; load.Add(t[4]);
        }
        foreach (var l in phases.Values) l.Sort();
        return new BigLog(id, last, [.. pre.Order()], [.. inter.Order()], [.. tail.Order()], [.. load.Order()], lines, failed, coldMs, phases);
    }

    /// <summary>The headline numbers, for bench/web_live_report.py's side-by-side tables.</summary>
    public Dictionary<string, object> Summary() => new()
    {
        ["loads"] = TailMs.Count, ["failed"] = Failed, ["cold_ms"] = ColdMs, ["last_seq"] = LastSeq, ["dom_lines"] = DomLines,
        ["prerender_p50"] = Stats.Percentile(PrerenderTailMs, 50), ["prerender_p95"] = Stats.Percentile(PrerenderTailMs, 95),
        ["circuit_p50"] = Stats.Percentile(InteractiveMs, 50), ["circuit_p95"] = Stats.Percentile(InteractiveMs, 95),
        ["tail_p50"] = Stats.Percentile(TailMs, 50), ["tail_p95"] = Stats.Percentile(TailMs, 95), ["tail_max"] = TailMs.Count > 0 ? TailMs[^1] : double.NaN,
    };

    public void Write(StringBuilder md)
    {
        md.AppendLine(Stats.Header);
        Row(md, "navigation start → prerendered tail in the DOM (static markup, last 500 lines)", PrerenderTailMs);
        Row(md, "navigation start → load event", LoadMs);
        Row(md, "navigation start → circuit up (`body[data-interactive=true]`)", InteractiveMs);
        Row(md, "**navigation start → interactive, virtualised log showing the last line**", TailMs);
        md.AppendLine();
        if (Phases is { Count: > 0 })
        {
            md.AppendLine();
            md.AppendLine("Where the time goes, per load (ms from navigation start; 0 = not seen, e.g. a module served from memory):");
            md.AppendLine();
            md.AppendLine(Stats.Header);
            foreach (var (k, v) in Phases) Row(md, k, v);
        }
        md.AppendLine();
        md.AppendLine($"First open (log read from the database): the prerendered tail in the DOM after {ColdMs:N1} ms (wall clock, one sample).");
        md.AppendLine();
        md.AppendLine($"Deployment #{DeploymentId}, last log line seq {LastSeq:N0}; the interactive log held {DomLines} lines in the DOM. " +
                      $"Target < 1 s (p95 of the last row): {(Stats.Percentile(TailMs, 95) < 1000 ? "met" : "**NOT met**")}.");
        md.AppendLine();
    }

    private static void Row(StringBuilder md, string what, IReadOnlyList<double> sorted) => md.AppendLine(Stats.Row(what, sorted));
}
