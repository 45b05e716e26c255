using Batou.Engine.Api;

namespace Batou.Engine.Execution;

/// <summary>
/// The events of one run for a reader that blocks (the CLI's main thread): any thread adds, one thread takes, in the
/// order added. A plain lock and <see cref="Monitor"/>, so nothing generic over our types is JIT-compiled on the way.
/// </summary>
internal sealed class EventQueue
{
    private readonly Queue<DeploymentEvent> _events = new();
    private bool _completed;

    public void Add(DeploymentEvent e)
    {
        lock (_events)
        {
            _events.Enqueue(e);
            if (_events.Count == 1) Monitor.Pulse(_events);
        }
    }

    /// <summary>No more events: <see cref="Take"/> returns false once the queue is empty.</summary>
    public void Complete()
    {
        lock (_events)
        {
            _completed = true;
            Monitor.Pulse(_events);
        }
    }

    /// <summary>Waits for the next event; false when the run completed and every event was taken.</summary>
    public bool Take(out DeploymentEvent? e)
    {
        lock (_events)
        {
            while (_events.Count == 0 && !_completed) Monitor.Wait(_events);
            return _events.TryDequeue(out e);
        }
    }
}
