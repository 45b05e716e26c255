using System.Runtime.ExceptionServices;
using Batou.Engine.Api;

namespace Batou.Engine.Execution;

/// <summary>
/// Runs repository code that must not hang the run (configuring the model) on a thread of its
/// own under a wall-clock limit. .NET cannot stop a thread: on timeout the thread is left
/// running (a background thread, so the CLI still exits) and the run fails naming the component.
/// </summary>
internal static class WallClock
{
    public static T Run<T>(Func<T> work, TimeSpan limit, string step)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
        }) { IsBackground = true, Name = "batou " + step };
        thread.Start();
        if (!thread.Join(limit))
        {
            var running = ComponentActivity.RunningOn(thread.ManagedThreadId);
            throw new BatouException(BatouError.Create("Timeout", $"The {step} step did not finish within the environment's `timeout`",
                    ("Component", running ?? "(none running: batou's own work)"),
                    ("Limit", $"{limit.TotalSeconds:0.##}s (environment setting `timeout`)"),
                    ("Hint", "An endless loop or a wait without end in Configure()? The component keeps running until batou exits."))
                with { Component = running?.Split(' ')[0] });
        }
        failure?.Throw();
        return result;
    }
}
