namespace Batou.Web.Live;

/// <summary>A deployment was queued, started, finished or cancelled; <paramref name="Remote"/>: in another dashboard process (PostgreSQL).</summary>
public sealed record DeploymentChanged(long Id, string Status, bool Remote = false);

/// <summary>
/// In-process publish/subscribe of deployment status changes: every open page that lists deployments (home, history,
/// environment, deployment) subscribes while it is shown and leaves on dispose. Handlers run on the publisher's
/// thread and must only schedule work (a component calls <c>InvokeAsync</c>); one that throws is logged and skipped.
/// </summary>
public sealed class ActivityFeed(ILogger<ActivityFeed> log)
{
    private readonly Lock _gate = new();
    private Action<DeploymentChanged>[] _subscribers = [];

    public IDisposable Subscribe(Action<DeploymentChanged> handler)
    {
        lock (_gate) _subscribers = [.. _subscribers, handler];
        return new Subscription(() =>
        {
            lock (_gate) _subscribers = _subscribers.Where(s => s != handler).ToArray();
        });
    }

    public void Publish(long id, string status, bool remote = false)
    {
        var change = new DeploymentChanged(id, status, remote);
        foreach (var s in Volatile.Read(ref _subscribers))
        {
            try
            {
                s(change);
            }
            catch (Exception e)
            {
                log.LogWarning(e, "A subscriber of the activity feed failed");
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose();
        }
    }
}
