using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace WebBlazor;

/// <summary>
/// What the tabs cost the browser: Chromium's own counters per tab (CDP <c>Performance.getMetrics</c>: main-thread task,
/// script, layout and style time and counts), the CPU of Chromium's processes by type (/proc), and optionally a sampled
/// CPU profile of the first tab's renderer main thread (<c>Profiler</c>, <c>BENCH_CPU_PROFILE=DIR</c>).
/// </summary>
/// <remarks>
/// Layout, style and script time are counted per page (per frame); <c>TaskDuration</c> is the renderer main thread's,
/// so with tabs sharing one renderer (<c>shared</c>) every tab's counter sees every tab's tasks: then only the first
/// tab's value is meaningful (it is the whole renderer's).
/// </remarks>
internal sealed class BrowserCost
{
    public static readonly string[] Keys = ["TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "LayoutCount", "RecalcStyleCount"];
    private readonly List<ICDPSession> _sessions;

    private BrowserCost(List<ICDPSession> sessions) => _sessions = sessions;

    public static async Task<BrowserCost> AttachAsync(IReadOnlyList<IPage> pages)
    {
        var sessions = new List<ICDPSession>();
        foreach (var page in pages)
        {
            var s = await page.Context.NewCDPSessionAsync(page);
            await s.SendAsync("Performance.enable");
            sessions.Add(s);
        }
        return new BrowserCost(sessions);
    }

    /// <summary>The counters of every tab (same order as the pages).</summary>
    public async Task<List<Dictionary<string, double>>> ReadAsync()
    {
        var all = new List<Dictionary<string, double>>();
        foreach (var s in _sessions)
        {
            var metrics = new Dictionary<string, double>();
            var r = await s.SendAsync("Performance.getMetrics");
            if (r is { } json)
                foreach (var m in json.GetProperty("metrics").EnumerateArray())
                {
                    var name = m.GetProperty("name").GetString()!;
                    if (Keys.Contains(name)) metrics[name] = m.GetProperty("value").GetDouble();
                }
            all.Add(metrics);
        }
        return all;
    }

    /// <summary>Per key: the sum over tabs of (after − before).</summary>
    public static Dictionary<string, double> Delta(List<Dictionary<string, double>> before, List<Dictionary<string, double>> after, bool firstOnly = false)
    {
        var d = Keys.ToDictionary(k => k, _ => 0.0);
        for (var i = 0; i < Math.Min(before.Count, after.Count) && (!firstOnly || i == 0); i++)
            foreach (var k in Keys)
                d[k] += after[i].GetValueOrDefault(k) - before[i].GetValueOrDefault(k);
        return d;
    }

    /// <summary>CPU seconds of the processes below this one by kind: renderer, gpu, browser, utility, driver (Playwright's node).</summary>
    public static Dictionary<string, double> CpuByKind()
    {
        var cpu = new Dictionary<string, double>();
        foreach (var pid in Proc.Descendants(Environment.ProcessId))
        {
            try
            {
                var cmd = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
                var kind = cmd.Contains("--type=renderer", StringComparison.Ordinal) ? "renderer"
                    : cmd.Contains("--type=gpu-process", StringComparison.Ordinal) ? "gpu"
                    : cmd.Contains("--type=", StringComparison.Ordinal) ? "utility"
                    : cmd.Contains("chrom", StringComparison.Ordinal) ? "browser" : "driver";
                cpu[kind] = cpu.GetValueOrDefault(kind) + Proc.CpuSeconds(pid);
            }
            catch (IOException) { }
        }
        return cpu;
    }

    public static Dictionary<string, double> Minus(Dictionary<string, double> after, Dictionary<string, double> before) =>
        after.Keys.Union(before.Keys).ToDictionary(k => k, k => after.GetValueOrDefault(k) - before.GetValueOrDefault(k));

    public static string Kinds(Dictionary<string, double> cpu, double seconds) =>
        string.Join(", ", cpu.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value / seconds:0.00}"));

    /// <summary>Starts the sampling profiler in the first tab (its renderer's main thread).</summary>
    public async Task StartProfileAsync()
    {
        await _sessions[0].SendAsync("Profiler.enable");
        await _sessions[0].SendAsync("Profiler.setSamplingInterval", new() { ["interval"] = 500 });
        await _sessions[0].SendAsync("Profiler.start");
    }

    /// <summary>Stops it, writes the .cpuprofile and returns the functions with the most self time (ms).</summary>
    public async Task<List<(string Function, double SelfMs)>> StopProfileAsync(string file)
    {
        var r = await _sessions[0].SendAsync("Profiler.stop");
        if (r is not { } json) return [];
        var profile = json.GetProperty("profile");
        await File.WriteAllTextAsync(file, profile.GetRawText());
        var names = new Dictionary<int, string>();
        foreach (var n in profile.GetProperty("nodes").EnumerateArray())
        {
            var f = n.GetProperty("callFrame");
            var url = f.GetProperty("url").GetString() ?? "";
            var fn = f.GetProperty("functionName").GetString();
            names[n.GetProperty("id").GetInt32()] = $"{(string.IsNullOrEmpty(fn) ? "(anonymous)" : fn)} {Path.GetFileName(url.Split('?')[0])}:{f.GetProperty("lineNumber").GetInt32() + 1}".Trim();
        }
        var samples = profile.GetProperty("samples").EnumerateArray().Select(e => e.GetInt32()).ToList();
        var deltas = profile.GetProperty("timeDeltas").EnumerateArray().Select(e => e.GetDouble()).ToList();
        var self = new Dictionary<string, double>();
        for (var i = 0; i + 1 < samples.Count; i++)
            self[names[samples[i]]] = self.GetValueOrDefault(names[samples[i]]) + deltas[i + 1] / 1000.0;
        return [.. self.OrderByDescending(kv => kv.Value).Take(20).Select(kv => (kv.Key, kv.Value))];
    }

    public static void WriteRow(StringBuilder md, string what, Dictionary<string, double> d, double per)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {d["TaskDuration"] * 1000 / per:0.00} | {d["ScriptDuration"] * 1000 / per:0.00} | " +
            $"{d["LayoutDuration"] * 1000 / per:0.00} | {d["RecalcStyleDuration"] * 1000 / per:0.00} | {d["LayoutCount"] / per:0.00} | {d["RecalcStyleCount"] / per:0.00} |");
    }

    public static Dictionary<string, object> Json(Dictionary<string, double> d) => d.ToDictionary(kv => kv.Key, kv => (object)kv.Value);

    public static string Serialize(object o) => JsonSerializer.Serialize(o);
}
