namespace Batou.Web.Components.Shared;

/// <summary>
/// Turns a burst of notifications from other threads into at most one piece of work per <see cref="Delay"/>: the
/// first notification schedules <c>work</c> (which a component runs through <c>InvokeAsync</c>), the ones arriving
/// before it runs are folded into it. A circuit that went away meanwhile ends the work quietly.
/// </summary>
public sealed class Coalescer(Func<Task> work)
{
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(100);
    private int _pending;

    public void Notify()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            await Task.Delay(Delay);
            Volatile.Write(ref _pending, 0);
            try
            {
                await work();
            }
            catch (ObjectDisposedException)
            {
                // the circuit went away meanwhile
            }
        });
    }
}
