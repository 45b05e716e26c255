using System.Globalization;
using System.Text;

namespace WebBlazor;

/// <summary>
/// The browser's side of one tabs run: an idle window (tabs open, nothing changing) and the stream, Chromium's counters
/// (<see cref="BrowserCost"/>) summed over the tabs and for the first tab alone, CPU by process kind, DOM updates
/// (MutationObserver callbacks ≈ render batches) per tab, running animations in the first tab, and the profile's top functions.
/// </summary>
internal sealed record TabCost(double IdleSeconds, int Animations, Dictionary<string, double> Idle, Dictionary<string, double> IdleFirst,
    Dictionary<string, double> IdleCpu, Dictionary<string, double> Stream, Dictionary<string, double> StreamFirst, Dictionary<string, double> StreamCpu,
    IReadOnlyList<int> Batches, IReadOnlyList<(string Function, double SelfMs)> Profile)
{
    private int BatchSum => Math.Max(1, Batches.Sum());

    /// <summary>Renderer main-thread ms per DOM update: per tab (own renderer) or the shared renderer's over every tab's updates.</summary>
    private double TaskMsPerUpdate(bool shared) => (shared ? StreamFirst["TaskDuration"] : Stream["TaskDuration"]) * 1000 / BatchSum;

    public Dictionary<string, object> Summary(int tabs, bool shared, double streamSeconds) => new()
    {
        ["idle_s"] = IdleSeconds, ["animations"] = Animations,
        ["idle_browser_cpu_per_s"] = IdleCpu.Values.Sum() / IdleSeconds,
        ["idle_task_ms_per_tab_s"] = (shared ? IdleFirst["TaskDuration"] / Math.Max(1, tabs) : Idle["TaskDuration"] / Math.Max(1, tabs)) * 1000 / IdleSeconds,
        ["updates_per_tab_s"] = Batches.Count > 0 ? Batches.Average() / streamSeconds : 0,
        ["task_ms_per_update"] = TaskMsPerUpdate(shared),
        ["script_ms_per_update"] = Stream["ScriptDuration"] * 1000 / BatchSum,
        ["layout_ms_per_update"] = Stream["LayoutDuration"] * 1000 / BatchSum,
        ["style_ms_per_update"] = Stream["RecalcStyleDuration"] * 1000 / BatchSum,
        ["layouts_per_update"] = Stream["LayoutCount"] / BatchSum,
        ["styles_per_update"] = Stream["RecalcStyleCount"] / BatchSum,
        ["browser_cpu_ms_per_update"] = StreamCpu.Values.Sum() * 1000 / BatchSum,
        ["stream_cpu"] = StreamCpu, ["idle_cpu"] = IdleCpu,
    };

    public void Write(StringBuilder md, int tabs, bool shared, double streamSeconds)
    {
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine("| browser cost | value |").AppendLine("|---|---:|");
        md.AppendLine(inv, $"| running animations in the first tab (document.getAnimations) | {Animations} |");
        md.AppendLine(inv, $"| idle window ({IdleSeconds:0.0} s, tabs open, no updates): Chromium CPU s per s by process | {BrowserCost.Kinds(IdleCpu, IdleSeconds)} (all {IdleCpu.Values.Sum() / IdleSeconds:0.00}) |");
        md.AppendLine(inv, $"| idle: renderer main-thread task ms per tab per s | {(shared ? IdleFirst["TaskDuration"] / Math.Max(1, tabs) : Idle["TaskDuration"] / Math.Max(1, tabs)) * 1000 / IdleSeconds:0.00} |");
        md.AppendLine(inv, $"| stream: Chromium CPU s by process | {BrowserCost.Kinds(StreamCpu, 1)} |");
        md.AppendLine(inv, $"| DOM updates (MutationObserver callbacks) per tab: median; per tab per s | {(Batches.Count > 0 ? Batches.Order().ElementAt(Batches.Count / 2) : 0):N0}; {(Batches.Count > 0 ? Batches.Average() / streamSeconds : 0):0.0} |");
        md.AppendLine(inv, $"| **per DOM update: Chromium CPU (all processes) ms; renderer main-thread task ms** | **{StreamCpu.Values.Sum() * 1000 / BatchSum:0.00}; {TaskMsPerUpdate(shared):0.00}** |");
        md.AppendLine(inv, $"| per DOM update: script / layout / style ms; layouts / style recalcs | {Stream["ScriptDuration"] * 1000 / BatchSum:0.00} / {Stream["LayoutDuration"] * 1000 / BatchSum:0.00} / {Stream["RecalcStyleDuration"] * 1000 / BatchSum:0.00}; {Stream["LayoutCount"] / BatchSum:0.00} / {Stream["RecalcStyleCount"] / BatchSum:0.00} |");
        md.AppendLine();
        if (Profile.Count == 0) return;
        md.AppendLine("First tab's renderer main thread, sampled CPU profile during the stream (self time):").AppendLine();
        md.AppendLine("| function | self ms |").AppendLine("|---|---:|");
        foreach (var (f, ms) in Profile) md.AppendLine(inv, $"| `{f.Replace("|", "\\|")}` | {ms:0.0} |");
        md.AppendLine();
    }
}
