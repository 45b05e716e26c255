using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace LogView;

/// <summary>
/// Opens the environment, clicks Deploy, and watches the live page while the (held) deployment streams its lines:
/// long tasks (PerformanceObserver), gaps between animation frames, DOM size and JS heap are recorded inside the
/// page; from outside, a probe (a tiny script) every 100 ms measures how quickly the page answers.
/// </summary>
internal sealed record LiveWatch(long DeploymentId, int Events, double StreamSeconds, int Probes, IReadOnlyList<double> ProbeMs,
    int Frames, IReadOnlyList<double> FrameGapsMs, IReadOnlyList<double> LongTasksMs, int MaxDomLines, double MaxHeapMb)
{
    private const string Instrument = """
        () => {
          const b = window.__bench = { longtasks: [], gaps: [], frames: 0, maxLines: 0, maxHeap: 0 };
          new PerformanceObserver(l => { for (const e of l.getEntries()) b.longtasks.push(e.duration); }).observe({ type: "longtask" });
          let prev = performance.now();
          const log = document.getElementById("log");
          const tick = (t) => {
            b.frames++; b.gaps.push(t - prev); prev = t;
            const n = log.childElementCount; if (n > b.maxLines) b.maxLines = n;
            if (performance.memory && performance.memory.usedJSHeapSize > b.maxHeap) b.maxHeap = performance.memory.usedJSHeapSize;
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }
        """;

    // live: [1, events]; finished: [0, events, frames, maxLines, maxHeap, gaps..., -1, longtasks...]
    private const string Probe = """
        () => {
          const d = document.getElementById("deployment"), b = window.__bench;
          const events = parseInt(document.getElementById("event-count").textContent) || 0;
          if (d.dataset.live === "true") return [1, events];
          return [0, events, b.frames, b.maxLines, b.maxHeap].concat(b.gaps, [-1], b.longtasks);
        }
        """;

    public static async Task<LiveWatch> RunAsync(IPage page, string baseUrl, string repo, string env, string holdFile)
    {
        await page.GotoAsync($"{baseUrl}/repos/{repo}");
        await page.ClickAsync($".env-card[data-env={env}] a");
        await page.Locator("#deploy").WaitForAsync();
        await File.WriteAllTextAsync(holdFile, "hold");
        await page.ClickAsync("#deploy");
        await page.WaitForSelectorAsync("#deployment[data-live=true]", new() { Timeout = 60_000 });
        var id = long.Parse((await page.Locator("#deployment").GetAttributeAsync("data-id"))!);
        await page.EvaluateAsync(Instrument);
        var probes = new List<double>();
        var clock = Stopwatch.StartNew();
        File.Delete(holdFile);
        while (true)
        {
            var asked = clock.Elapsed.TotalMilliseconds;
            var r = await page.EvaluateAsync<double[]>(Probe);
            probes.Add(clock.Elapsed.TotalMilliseconds - asked);
            if (r[0] == 0)
            {
                var seconds = clock.Elapsed.TotalSeconds;
                var rest = r.Skip(5).ToList();
                var cut = rest.IndexOf(-1);
                return new LiveWatch(id, (int)r[1], seconds, probes.Count, Sorted(probes), (int)r[2], Sorted(rest.Take(cut)),
                    Sorted(rest.Skip(cut + 1)), (int)r[3], r[4] / 1024 / 1024);
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException("the deployment did not finish in 10 minutes");
            await Task.Delay(100);
        }
    }

    private static List<double> Sorted(IEnumerable<double> v) => [.. v.Order()];

    public void Write(StringBuilder md)
    {
        md.AppendLine($"### Live: deployment #{DeploymentId} watched while it streams").AppendLine();
        md.AppendLine("| | value |").AppendLine("|---|---:|");
        md.AppendLine($"| events shown by the page at the end | {Events:N0} |");
        md.AppendLine($"| hold released → page saw the final status | {StreamSeconds:0.00} s ({Events / StreamSeconds:N0} events/s) |");
        md.AppendLine($"| probe round trip (a script every 100 ms; {Probes} probes) p50 / p99 / max | {Stats.Ms(Stats.Percentile(ProbeMs, 50))} / {Stats.Ms(Stats.Percentile(ProbeMs, 99))} / **{Stats.Ms(ProbeMs[^1])}** ms |");
        md.AppendLine($"| animation frames / gap between frames p50 / p99 / max | {Frames:N0} / {Stats.Ms(Stats.Percentile(FrameGapsMs, 50))} / {Stats.Ms(Stats.Percentile(FrameGapsMs, 99))} / **{Stats.Ms(FrameGapsMs.Count > 0 ? FrameGapsMs[^1] : double.NaN)}** ms |");
        md.AppendLine($"| long tasks (> 50 ms): count / total / max | {LongTasksMs.Count} / {LongTasksMs.Sum():0} ms / {(LongTasksMs.Count > 0 ? LongTasksMs[^1] : 0):0} ms |");
        md.AppendLine($"| most elements in the log view at any frame | {MaxDomLines:N0} |");
        md.AppendLine($"| JS heap, highest sample | {MaxHeapMb:0.0} MB |");
        md.AppendLine();
    }
}
