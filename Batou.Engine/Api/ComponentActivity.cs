namespace Batou.Engine.Api;

/// <summary>
/// Whose code is running: set around every component's <c>Configure</c>, <c>Verify</c> and
/// <c>Update</c> and inherited by the threads, tasks and timers it starts (it flows with the
/// execution context). A host process uses it to name the component when that code throws on a
/// thread of its own or ends the process.
/// </summary>
public static class ComponentActivity
{
    private static readonly AsyncLocal<string?> s_current = new();
    // the steps running now, oldest first; a list of objects under a lock, not a dictionary of value tuples: a
    // value-type instantiation of a framework collection is JIT-compiled in every run, this is precompiled
    private static readonly List<Step> s_running = [];

    /// <summary>"Component on host (step)" of the code running on this thread or the component that started it.</summary>
    public static string? Current => s_current.Value;

    /// <summary>Every component step running right now (several with parallel roots).</summary>
    public static IReadOnlyList<string> Running
    {
        get
        {
            lock (s_running)
            {
                var descriptions = new string[s_running.Count];
                for (var i = 0; i < descriptions.Length; i++) descriptions[i] = s_running[i].Description;
                return descriptions;
            }
        }
    }

    /// <summary>The innermost component step running on the thread with <paramref name="managedThreadId"/>.</summary>
    internal static string? RunningOn(int managedThreadId)
    {
        lock (s_running)
        {
            for (var i = s_running.Count - 1; i >= 0; i--)
                if (s_running[i].Thread == managedThreadId) return s_running[i].Description;
            return null;
        }
    }

    /// <summary>
    /// The component whose code threw <paramref name="exception"/>, from its stack (lambdas and
    /// closures are nested in the component's class), with host and step when it is still running.
    /// The handler of an unhandled exception no longer sees the thread's <see cref="Current"/>.
    /// </summary>
    public static string? Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        foreach (var frame in new System.Diagnostics.StackTrace(exception).GetFrames())
        {
            for (var type = frame.GetMethod()?.DeclaringType; type is not null; type = type.DeclaringType)
            {
                if (!typeof(Component).IsAssignableFrom(type) || type.Assembly == typeof(Component).Assembly) continue;
                var prefix = type.Name + " on host ";
                return Running.LastOrDefault(r => r.StartsWith(prefix, StringComparison.Ordinal)) ?? type.Name;
            }
        }
        return null;
    }

    internal static Scope Enter(Component component, string step)
    {
        var description = $"{component.GetType().Name} on host {component.RootState?.Host.Name ?? "?"} ({step})";
        var running = new Step(Environment.CurrentManagedThreadId, description);
        lock (s_running) s_running.Add(running);
        var previous = s_current.Value;
        s_current.Value = description;
        return new Scope(running, previous);
    }

    private sealed class Step(int thread, string description)
    {
        public int Thread { get; } = thread;
        public string Description { get; } = description;
    }

    internal readonly struct Scope(object running, string? previous) : IDisposable
    {
        public void Dispose()
        {
            lock (s_running)
            {
                // mostly the last one (steps nest); parallel roots end in any order
                var index = s_running.LastIndexOf((Step)running);
                if (index >= 0) s_running.RemoveAt(index);
            }
            s_current.Value = previous;
        }
    }
}
