using System.Diagnostics;
using System.Text;
using Microsoft.Playwright;

namespace WebBlazor;

/// <summary>
/// N tabs of one Chromium on the page of one held (running) deployment. In each tab a MutationObserver records, for
/// every <c>#log .log-line</c> that reaches the DOM for the first time, its appearance time minus the emit time the
/// line carries (<c>t=&lt;unix ms&gt;</c>, same machine clock). The log is virtualised: only the lines in view (the
/// tail, as the pane follows it) ever reach the DOM, so those are the lines measured.
/// </summary>
internal sealed record Tabs(long DeploymentId, int Requested, int Opened, bool Shared, string? OpenError, double OpenSeconds,
    IReadOnlyList<double> LatencyMs, IReadOnlyList<double> TabP99Ms, IReadOnlyList<double> FirstTabMs, IReadOnlyList<int> LinesPerTab,
    int FinalSeen, double StreamSeconds, double ServerCpuS, long RssBeforeKb, long RssOpenKb, long RssAfterKb, long PeakKb, bool PeakReset,
    double BrowserCpuS, long BrowserRssKb, string LoadBefore, string LoadAfter, double BusyS, TabCost Cost)
{
    // installed once the circuit is up; records first appearances of stamped lines
    private const string Install = """
        () => {
          const rec = window.__lat = { seen: new Set(), lat: [], finalAt: 0, batches: 0 };
          const see = (el, now) => {
            const s = el.dataset.seq;
            if (rec.seen.has(s)) return;
            rec.seen.add(s);
            const m = / t=(\d{13})/.exec(el.textContent);
            if (m) rec.lat.push([+s, now - +m[1]]);
          };
          const final = now => {
            if (!rec.finalAt && document.getElementById('deployment')?.dataset.live === 'false') rec.finalAt = now;
          };
          // only what the mutations added (a row, or a subtree holding rows): no query over the whole pane per batch
          new MutationObserver(records => {
            rec.batches++;
            const now = performance.timeOrigin + performance.now();
            for (const r of records)
              for (const n of r.addedNodes) {
                if (n.nodeType !== 1) continue;
                if (n.classList.contains('log-line')) { if (n.closest('#log')) see(n, now); }
                else for (const el of n.querySelectorAll('#log .log-line')) see(el, now);
              }
            final(now);
          }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-live'] });
          const now = performance.timeOrigin + performance.now();
          for (const el of document.querySelectorAll('#log .log-line')) see(el, now);
          final(now);
        }
        """;

    public static async Task<Tabs> RunAsync(IBrowser browser, string state, string baseUrl, long id, string holdFile, int count, int serverPid, bool shared)
    {
        var url = $"{baseUrl}/deployments/{id}";
        var rss0 = Proc.StatusKb(serverPid, "VmRSS");
        var peakReset = Proc.ResetPeak(serverPid);
        var pages = new List<IPage>();
        var contexts = new List<IBrowserContext>();
        IBrowserContext? one = shared ? await Session.ContextAsync(browser, state) : null;
        if (one is not null) contexts.Add(one);
        string? openError = null;
        var open = Stopwatch.StartNew();
        // open the tabs a few at a time: 50 circuits starting at once on two busy cores time out
        for (var i = 0; i < count && openError is null; i += 5)
        {
            var batch = Enumerable.Range(i, Math.Min(5, count - i)).Select(async _ =>
            {
                var context = one ?? await Session.ContextAsync(browser, state);
                var page = await context.NewPageAsync();
                await page.GotoAsync(url, new() { Timeout = 120_000 });
                await page.WaitForSelectorAsync("body[data-interactive=true]", new() { Timeout = 120_000 });
                await page.WaitForSelectorAsync("#deployment[data-live=true]", new() { Timeout = 120_000 });
                await page.EvaluateAsync(Install);
                return (context, page);
            }).ToList();
            foreach (var t in batch)
            {
                try
                {
                    var (context, page) = await t;
                    if (one is null) contexts.Add(context);
                    pages.Add(page);
                }
                catch (Exception e) when (e is PlaywrightException or TimeoutException)
                {
                    openError ??= $"tab {pages.Count + 1}: {e.Message.Split('\n')[0]}";
                }
            }
        }
        var openSeconds = open.Elapsed.TotalSeconds;
        await Task.Delay(3000);   // let the circuits settle before reading the memory they hold
        var rssOpen = Proc.StatusKb(serverPid, "VmRSS");

        // the browser's own counters: an idle window first (nothing changes on the page: what costs without updates,
        // e.g. a running animation), then the stream
        var cost = await BrowserCost.AttachAsync(pages);
        var idleSeconds = double.TryParse(Environment.GetEnvironmentVariable("BENCH_IDLE_S"), out var idleSet) ? idleSet : 3;
        var animations = pages.Count > 0 ? await pages[0].EvaluateAsync<int>("() => document.getAnimations().filter(a => a.playState === 'running').length") : 0;
        var idleM0 = await cost.ReadAsync();
        var idleK0 = BrowserCost.CpuByKind();
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
        var idleM1 = await cost.ReadAsync();
        var idleK1 = BrowserCost.CpuByKind();
        var idleElapsed = idleClock.Elapsed.TotalSeconds;
        var batches0 = new List<int>();
        foreach (var p in pages) batches0.Add(await p.EvaluateAsync<int>("() => window.__lat.batches"));
        var profileDir = Environment.GetEnvironmentVariable("BENCH_CPU_PROFILE");
        if (!string.IsNullOrEmpty(profileDir) && pages.Count > 0) await cost.StartProfileAsync();

        var load0 = Proc.LoadAverage();
        var busy0 = BusySeconds();
        var (browserCpu0, _) = Proc.Tree();
        var cpu0 = Proc.CpuSeconds(serverPid);
        var clock = Stopwatch.StartNew();
        File.Delete(holdFile);
        // wait until every tab shows the final status (polled once a second per tab; bounded)
        var final = new HashSet<int>();
        long browserRss = 0;
        while (final.Count < pages.Count && clock.Elapsed < TimeSpan.FromMinutes(8))
        {
            await Task.Delay(1000);
            browserRss = Math.Max(browserRss, Proc.Tree().RssKb);
            for (var i = 0; i < pages.Count; i++)
                if (!final.Contains(i) && await pages[i].EvaluateAsync<bool>("() => window.__lat.finalAt > 0")) final.Add(i);
        }
        var streamSeconds = clock.Elapsed.TotalSeconds;
        var streamM = await cost.ReadAsync();
        var streamK = BrowserCost.CpuByKind();
        List<(string, double)> profile = [];
        if (!string.IsNullOrEmpty(profileDir) && pages.Count > 0)
        {
            Directory.CreateDirectory(profileDir);
            profile = await cost.StopProfileAsync(Path.Combine(profileDir, $"tab1-{count}-{(shared ? "shared" : "per-tab")}-{DateTime.UtcNow:HHmmss}.cpuprofile"));
        }
        var batches = new List<int>();
        for (var i = 0; i < pages.Count; i++) batches.Add(await pages[i].EvaluateAsync<int>("() => window.__lat.batches") - batches0[i]);
        var tabCost = new TabCost(idleElapsed, animations, BrowserCost.Delta(idleM0, idleM1), BrowserCost.Delta(idleM0, idleM1, firstOnly: true),
            BrowserCost.Minus(idleK1, idleK0), BrowserCost.Delta(idleM1, streamM), BrowserCost.Delta(idleM1, streamM, firstOnly: true),
            BrowserCost.Minus(streamK, idleK1), batches, profile);
        var cpu1 = Proc.CpuSeconds(serverPid);
        var (browserCpu1, _) = Proc.Tree();
        var busy1 = BusySeconds();
        var load1 = Proc.LoadAverage();
        var rss1 = Proc.StatusKb(serverPid, "VmRSS");
        var peak = Proc.StatusKb(serverPid, "VmHWM");

        var all = new List<double>();
        var tabP99 = new List<double>();
        var perTab = new List<int>();
        List<double> first = [];
        foreach (var page in pages)
        {
            var lat = await page.EvaluateAsync<double[][]>("() => window.__lat.lat");
            var ms = lat.Select(l => l[1]).Order().ToList();
            if (pages.IndexOf(page) == 0) first = ms;
            all.AddRange(ms);
            perTab.Add(ms.Count);
            if (ms.Count > 0) tabP99.Add(Stats.Percentile(ms, 99));
        }
        foreach (var c in contexts) await c.CloseAsync();
        return new Tabs(id, count, pages.Count, shared, openError, openSeconds, [.. all.Order()], [.. tabP99.Order()], first, perTab, final.Count,
            streamSeconds, cpu1 - cpu0, rss0, rssOpen, rss1, peak, peakReset, browserCpu1 - browserCpu0, browserRss, load0, load1, busy1 - busy0, tabCost);
    }

    /// <summary>Busy seconds of all cores (user+nice+system+irq+softirq), every process on the machine.</summary>
    private static double BusySeconds()
    {
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(f[1]) + long.Parse(f[2]) + long.Parse(f[3]) + long.Parse(f[6]) + long.Parse(f[7])) / 100.0;
    }

    /// <summary>The headline numbers, for bench/web_live_report.py's side-by-side tables.</summary>
    public Dictionary<string, object> Summary() => new()
    {
        ["tabs"] = Requested, ["opened"] = Opened, ["shared"] = Shared, ["final"] = FinalSeen, ["open_s"] = OpenSeconds, ["stream_s"] = StreamSeconds,
        ["samples"] = LatencyMs.Count, ["p50"] = Stats.Percentile(LatencyMs, 50), ["p90"] = Stats.Percentile(LatencyMs, 90),
        ["p99"] = Stats.Percentile(LatencyMs, 99), ["max"] = LatencyMs.Count > 0 ? LatencyMs[^1] : double.NaN,
        ["lines_median"] = LinesPerTab.Count > 0 ? LinesPerTab.Order().ElementAt(LinesPerTab.Count / 2) : 0,
        ["server_cpu_s"] = ServerCpuS, ["browser_cpu_s"] = BrowserCpuS, ["browser_rss_mb"] = BrowserRssKb / 1024,
        ["per_circuit_mb"] = Opened > 0 ? (RssOpenKb - RssBeforeKb) / 1024.0 / Opened : double.NaN, ["server_peak_mb"] = PeakKb / 1024,
        ["busy_s"] = BusyS, ["load_before"] = LoadBefore, ["load_after"] = LoadAfter,
        ["cost"] = Cost.Summary(Opened, Shared, StreamSeconds),
    };

    public void Write(StringBuilder md)
    {
        md.AppendLine($"| | value |").AppendLine("|---|---:|");
        md.AppendLine($"| tabs requested / open and interactive | {Requested} / **{Opened}** ({(Shared ? "one shared browser context" : "one browser context per tab")}, opened 5 at a time in {OpenSeconds:0.0} s) |");
        if (OpenError is not null) md.AppendLine($"| first tab that failed to open | {OpenError.Replace("|", "\\|")} |");
        md.AppendLine($"| tabs that showed the final status | {FinalSeen} / {Opened} |");
        md.AppendLine($"| hold released → every tab final | {StreamSeconds:0.0} s |");
        md.AppendLine($"| lines that reached a tab's DOM (virtualised: the tail in view), per tab min / median / max | {(LinesPerTab.Count > 0 ? $"{LinesPerTab.Min():N0} / {LinesPerTab.Order().ElementAt(LinesPerTab.Count / 2):N0} / {LinesPerTab.Max():N0}" : "–")} |");
        md.AppendLine($"| **latency emit → DOM, all tabs: p50 / p90 / p99 / max** (ms, {LatencyMs.Count:N0} samples) | **{Stats.Ms(Stats.Percentile(LatencyMs, 50))} / {Stats.Ms(Stats.Percentile(LatencyMs, 90))} / {Stats.Ms(Stats.Percentile(LatencyMs, 99))}** / {Stats.Ms(LatencyMs.Count > 0 ? LatencyMs[^1] : double.NaN)} |");
        md.AppendLine($"| latency, first tab only: p50 / p99 (ms) | {Stats.Ms(Stats.Percentile(FirstTabMs, 50))} / {Stats.Ms(Stats.Percentile(FirstTabMs, 99))} |");
        md.AppendLine($"| per-tab p99: best / median / worst tab (ms) | {(TabP99Ms.Count > 0 ? $"{Stats.Ms(TabP99Ms[0])} / {Stats.Ms(Stats.Percentile(TabP99Ms, 50))} / {Stats.Ms(TabP99Ms[^1])}" : "–")} |");
        md.AppendLine($"| target p99 < 250 ms | {(Stats.Percentile(LatencyMs, 99) < 250 ? "met" : "**NOT met**")} |");
        md.AppendLine($"| server CPU from release to the last tab final | {ServerCpuS:0.00} s in {StreamSeconds:0.0} s ({ServerCpuS / StreamSeconds * 100:0} % of one core) |");
        md.AppendLine($"| server RSS: before the tabs / tabs open / at the end; peak (VmHWM{(PeakReset ? ", reset before the tabs" : ", NOT reset: peak of the process")}) | {RssBeforeKb / 1024} / {RssOpenKb / 1024} / {RssAfterKb / 1024} MB; **{PeakKb / 1024} MB** |");
        md.AppendLine($"| **memory per circuit** ((RSS tabs open − before) / tabs; idle circuits, the log shared) | **{(Opened > 0 ? (RssOpenKb - RssBeforeKb) / 1024.0 / Opened : double.NaN):0.0} MB** |");
        md.AppendLine($"| Chromium (all its processes): CPU during the stream / peak RSS sum | {BrowserCpuS:0.0} s / {BrowserRssKb / 1024} MB |");
        md.AppendLine($"| busy time of both cores during the stream (every process on the machine) | {BusyS:0.0} s of {2 * StreamSeconds:0.0} s |");
        md.AppendLine($"| load average before → after | {LoadBefore} → {LoadAfter} |");
        md.AppendLine();
        Cost.Write(md, Opened, Shared, StreamSeconds);
    }
}
