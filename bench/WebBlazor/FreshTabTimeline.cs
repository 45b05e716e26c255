using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace WebBlazor;

/// <summary>
/// A fresh tab's way to interactive, step by step, on the page's own clock (ms from navigation start): the document's
/// response, DOMContentLoaded, the circuit's WebSocket opening, every message over it (sent or received, with its size)
/// and the interactive mark. Medians per step over the loads (after a warm-up load). A gap before a received message is
/// the server's time; a gap before a sent one is the browser's.
/// </summary>
internal static class FreshTabTimeline
{
    /// <summary>Records the circuit's WebSocket in <c>window.__tl.ws</c>: created, open, every message sent or received with its size.</summary>
    private const string SocketRecorder = """
        (() => {
          const t = window.__tl = { ws: [] };
          const Native = window.WebSocket;
          window.WebSocket = class extends Native {
            constructor(...a) {
              super(...a);
              t.ws.push(['create', performance.now(), 0]);
              this.addEventListener('open', () => t.ws.push(['open', performance.now(), 0]));
              this.addEventListener('message', e => t.ws.push(['recv', performance.now(), e.data.byteLength ?? e.data.length ?? 0]));
            }
            send(d) { t.ws.push(['send', performance.now(), d.byteLength ?? d.length ?? 0]); return super.send(d); }
          };
        })();
        """;

    /// <summary>One fresh tab after a warm-up load, recorded as a Chromium performance trace (JSON, for chrome://tracing or a script).</summary>
    public static async Task TraceAsync(IBrowser browser, string baseUrl, string path, string traceFile, string? state)
    {
        await using var context = await Floor.ContextAsync(browser, state);
        var warmUp = await context.NewPageAsync();
        await Floor.OpenAsync(warmUp, baseUrl + path);
        await warmUp.CloseAsync();

        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        var events = new List<JsonElement>();
        var complete = new TaskCompletionSource();
        cdp.Event("Tracing.dataCollected").OnEvent += (_, e) => { if (e is { } v) lock (events) events.AddRange(v.GetProperty("value").EnumerateArray().Select(x => x.Clone())); };
        cdp.Event("Tracing.tracingComplete").OnEvent += (_, _) => complete.TrySetResult();
        await cdp.SendAsync("Tracing.start", new Dictionary<string, object>
        {
            ["transferMode"] = "ReportEvents",
            ["traceConfig"] = new Dictionary<string, object>
            {
                ["includedCategories"] = new[] { "devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "v8.execute", "blink", "loading", "toplevel", "netlog" },
            },
        });
        await Floor.OpenAsync(page, baseUrl + path);
        await cdp.SendAsync("Tracing.end");
        await complete.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await File.WriteAllTextAsync(traceFile, JsonSerializer.Serialize(new { traceEvents = events }));
        await page.CloseAsync();
    }

    public static async Task RunAsync(IBrowser browser, string baseUrl, string path, int loads, string? state)
    {
        await using var context = await Floor.ContextAsync(browser, state);
        await context.AddInitScriptAsync(SocketRecorder);
        var runs = new List<List<(string Step, double At, double Bytes)>>();
        for (var i = 0; i < loads + 1; i++)
        {
            var page = await context.NewPageAsync();
            await Floor.OpenAsync(page, baseUrl + path);
            await page.WaitForTimeoutAsync(300);
            var json = await page.EvaluateAsync<JsonElement>("""
                () => { const n = performance.getEntriesByType('navigation')[0];
                        return { nav: [['request', n.requestStart], ['first byte', n.responseStart], ['document received', n.responseEnd],
                                       ['DOM interactive', n.domInteractive], ['DOMContentLoaded', n.domContentLoadedEventEnd]],
                                 ws: window.__tl.ws, interactive: window.__t.interactive }; }
                """);
            await page.CloseAsync();
            if (i == 0) continue;
            var steps = new List<(string, double, double)>();
            foreach (var n in json.GetProperty("nav").EnumerateArray()) steps.Add((n[0].GetString()!, n[1].GetDouble(), 0));
            var counts = new Dictionary<string, int>();
            var interactive = json.GetProperty("interactive").GetDouble();
            foreach (var w in json.GetProperty("ws").EnumerateArray())
            {
                var kind = w[0].GetString()!;
                var at = w[1].GetDouble();
                if (at > interactive + 1) continue;
                counts[kind] = counts.GetValueOrDefault(kind) + 1;
                steps.Add(($"ws {kind} #{counts[kind]}", at, w[2].GetDouble()));
            }
            steps.Add(("**interactive**", interactive, 0));
            runs.Add([.. steps.OrderBy(s => s.Item2)]);
        }
        // the steps in the order of the median run, each with its median time (present in how many runs)
        var names = runs.OrderBy(r => r[^1].At).ElementAt(runs.Count / 2).Select(s => s.Step).ToList();
        Console.WriteLine($"{path}, {loads} fresh tabs: median ms from navigation start (bytes: median size)");
        var previous = 0.0;
        foreach (var name in names)
        {
            var at = runs.SelectMany(r => r.Where(s => s.Step == name)).Select(s => s.At).Order().ToList();
            var bytes = runs.SelectMany(r => r.Where(s => s.Step == name)).Select(s => s.Bytes).Order().ToList();
            var median = at[at.Count / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-22} {median,8:0.0}  (+{median - previous,6:0.0}) {(bytes[bytes.Count / 2] > 0 ? bytes[bytes.Count / 2] + " B" : ""),-10} in {at.Count}/{runs.Count}"));
            previous = median;
        }
    }
}
