using System.Collections.Concurrent;

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
    private static readonly ConcurrentDictionary<long, (int Thread, string Description)> s_running = new();
    private static long s_next;

    /// <summary>"Component on host (step)" of the code running on this thread or the component that started it.</summary>
    public static string? Current => s_current.Value;

    /// <summary>Every component step running right now (several with parallel roots).</summary>
    public static IReadOnlyList<string> Running => [.. s_running.OrderBy(r => r.Key).Select(r => r.Value.Description)];

    /// <summary>The innermost component step running on the thread with <paramref name="managedThreadId"/>.</summary>
    internal static string? RunningOn(int managedThreadId) =>
        s_running.Where(r => r.Value.Thread == managedThreadId).OrderByDescending(r => r.Key).Select(r => r.Value.Description).FirstOrDefault();

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
        var id = Interlocked.Increment(ref s_next);
        s_running[id] = (Environment.CurrentManagedThreadId, description);
        var previous = s_current.Value;
        s_current.Value = description;
        return new Scope(id, previous);
    }

    internal readonly struct Scope(long id, string? previous) : IDisposable
    {
        public void Dispose()
        {
            s_running.TryRemove(id, out _);
            s_current.Value = previous;
        }
    }
}
