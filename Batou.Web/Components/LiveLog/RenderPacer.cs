namespace Batou.Web.Components.LiveLog;

/// <summary>
/// Paces a live component's renders by its browser: a change renders at once when no render is on its way (and the
/// previous one started at least <c>interval</c> ago), otherwise it is folded into the one render that follows the
/// browser's acknowledgement (plus <c>pause</c>, and no sooner than <c>interval</c> after the previous render). A fast browser sees
/// each line within a round trip; a slow one (a busy machine, many tabs) gets fewer, larger batches instead of a queue.
/// </summary>
/// <remarks>
/// Blazor Server calls <c>OnAfterRender</c> once the browser acknowledged the render batch, so the component calls
/// <see cref="Rendered"/> there. <c>render</c> runs through <c>invoke</c> (the component's <c>InvokeAsync</c>). A render
/// that is never acknowledged (a lost connection) blocks the next one for at most <see cref="Stuck"/>.
/// </remarks>
public sealed class RenderPacer(Func<Action, Task> invoke, Action render, TimeSpan pause, Func<TimeSpan> interval) : IDisposable
{
    public RenderPacer(Func<Action, Task> invoke, Action render, TimeSpan pause, TimeSpan interval = default)
        : this(invoke, render, pause, () => interval)
    {
    }

    public static readonly TimeSpan Stuck = TimeSpan.FromSeconds(2);
    private int _dirty, _scheduled, _disposed;
    private long _scheduledAt, _renderedAt = long.MinValue / 2;

    /// <summary>The log changed (any thread).</summary>
    public void Notify()
    {
        Interlocked.Exchange(ref _dirty, 1);
        Schedule(TimeSpan.Zero);
    }

    /// <summary>A render reached the browser (the component's <c>OnAfterRender</c>): the next may go.</summary>
    public void Rendered()
    {
        Interlocked.Exchange(ref _scheduled, 0);
        if (Volatile.Read(ref _dirty) == 1) Schedule(pause);
    }

    private void Schedule(TimeSpan delay)
    {
        var now = Environment.TickCount64;
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) != 0 && now - Volatile.Read(ref _scheduledAt) < Stuck.TotalMilliseconds) return;
        Volatile.Write(ref _scheduledAt, now);
        // at most one render per interval, counted from the previous render's start: every render costs each browser a
        // fixed amount (a batch, a style and layout pass, a frame), whatever the number of lines in it; the interval may
        // change between renders (it grows with the number of watchers: LogWatchers)
        var wait = Volatile.Read(ref _renderedAt) + (long)interval().TotalMilliseconds - now;
        if (wait > delay.TotalMilliseconds) delay = TimeSpan.FromMilliseconds(wait);
        _ = RunAsync(delay);
    }

    private async Task RunAsync(TimeSpan delay)
    {
        try
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay);
            if (Volatile.Read(ref _disposed) == 1) return;
            await invoke(() =>
            {
                if (Volatile.Read(ref _disposed) == 1) return;
                // cleared before the log is read: whatever is appended from now on is seen by the next render
                Interlocked.Exchange(ref _dirty, 0);
                Volatile.Write(ref _renderedAt, Environment.TickCount64);
                render();
            });
        }
        catch (ObjectDisposedException)
        {
            // the circuit went away meanwhile
        }
    }

    public void Dispose() => Interlocked.Exchange(ref _disposed, 1);
}
