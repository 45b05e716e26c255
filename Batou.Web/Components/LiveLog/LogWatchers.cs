using System.Runtime.CompilerServices;
using Batou.Web.Live;

namespace Batou.Web.Components.LiveLog;

/// <summary>
/// How many live log panes (circuits) show each deployment's log now, and the render interval that follows from it:
/// every render costs each watching browser a fixed amount (a batch, a style and layout pass, a paint, a frame) whatever
/// the number of lines in it, and on one machine the watchers' browsers share its cores. So the more panes watch, the
/// further apart each one's renders: <c>perWatcher × watchers</c>, at least <c>min</c> and at most <c>max</c>
/// (bench/results/2026-12-01-tabs-s8.md).
/// </summary>
public static class LogWatchers
{
    private static readonly ConditionalWeakTable<DeploymentLog, StrongBox<int>> Counts = new();

    public static int Of(DeploymentLog log) => Counts.TryGetValue(log, out var box) ? Volatile.Read(ref box.Value) : 0;

    public static void Add(DeploymentLog log) => Interlocked.Increment(ref Counts.GetOrCreateValue(log).Value);

    public static void Remove(DeploymentLog log)
    {
        if (Counts.TryGetValue(log, out var box)) Interlocked.Decrement(ref box.Value);
    }

    /// <summary>The interval between one pane's renders when <paramref name="watchers"/> panes watch its log.</summary>
    public static TimeSpan Interval(int watchers, TimeSpan min, TimeSpan perWatcher, TimeSpan max)
    {
        var scaled = perWatcher * Math.Max(0, watchers);
        if (scaled > max) scaled = max;
        return scaled > min ? scaled : min;
    }
}
