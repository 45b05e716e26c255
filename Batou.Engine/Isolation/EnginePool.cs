using Batou.Engine.Api;

namespace Batou.Engine.Isolation;

/// <summary>
/// Started, warmed-up <c>batou engine</c> processes waiting for their one request
/// (<see cref="EngineProcessOptions.PoolSize"/>). A process is handed out once and never comes back:
/// repository code never shares a process with another request. Taking one starts its replacement;
/// a process idle longer than <see cref="EngineProcessOptions.PoolIdleLifetime"/>, or one that died
/// while it waited, is replaced; disposing kills every idle process with its group.
/// </summary>
internal sealed class EnginePool : IDisposable
{
    private readonly EngineProcessOptions _options;
    private readonly long _lifetimeMs;
    private readonly List<EngineChild> _idle = [];
    private readonly Lock _gate = new();
    private readonly Timer _timer;
    private int _starting;
    private bool _disposed;

    public EnginePool(EngineProcessOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PoolSize, 1, nameof(options.PoolSize));
        if (options.PoolIdleLifetime <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), "EngineProcessOptions.PoolIdleLifetime must be positive.");
        _options = options;
        _lifetimeMs = (long)Math.Min(options.PoolIdleLifetime.TotalMilliseconds, long.MaxValue / 2);
        // fills at once, then looks for expired or dead processes a few times per lifetime
        var tend = TimeSpan.FromMilliseconds(Math.Clamp(_lifetimeMs / 4, 250, 30_000));
        _timer = new Timer(_ => Tend(), null, TimeSpan.Zero, tend);
    }

    /// <summary>The engine process ids of the idle processes (tests, diagnostics).</summary>
    public IReadOnlyList<int> IdlePids
    {
        get { lock (_gate) return [.. _idle.Select(c => c.Pid)]; }
    }

    /// <summary>A started, living child that has had no request yet, or null (the caller starts one); starts its replacement.</summary>
    public EngineChild? TryTake()
    {
        EngineChild? taken = null;
        var stale = new List<EngineChild>();
        lock (_gate)
        {
            if (_disposed) return null;
            while (taken is null && _idle.Count > 0)
            {
                var child = _idle[0];
                _idle.RemoveAt(0);
                if (child.HasExited || Expired(child)) stale.Add(child);
                else taken = child;
            }
        }
        foreach (var child in stale) child.Dispose(killGroup: true);
        ThreadPool.UnsafeQueueUserWorkItem(static pool => pool.Fill(), this, preferLocal: false);
        return taken;
    }

    private bool Expired(EngineChild child) => System.Environment.TickCount64 - child.StartedAt > _lifetimeMs;

    private void Tend()
    {
        List<EngineChild> stale;
        lock (_gate)
        {
            if (_disposed) return;
            stale = _idle.Where(c => c.HasExited || Expired(c)).ToList();
            _idle.RemoveAll(stale.Contains);
        }
        foreach (var child in stale) child.Dispose(killGroup: true);
        Fill();
    }

    /// <summary>Starts processes until the pool is full; stops at the first that cannot start (the next request reports why).</summary>
    private void Fill()
    {
        while (true)
        {
            lock (_gate)
            {
                if (_disposed || _idle.Count + _starting >= _options.PoolSize) return;
                _starting++;
            }
            EngineChild? child = null;
            try
            {
                child = EngineChild.Spawn(_options, pooled: true);
            }
            catch (BatouException)
            {
            }
            var keep = false;
            lock (_gate)
            {
                _starting--;
                if (child is not null && !_disposed)
                {
                    _idle.Add(child);
                    keep = true;
                }
            }
            if (keep) continue;
            child?.Dispose(killGroup: true);
            return;
        }
    }

    public void Dispose()
    {
        List<EngineChild> idle;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }
        _timer.Dispose();
        foreach (var child in idle)
        {
            child.Kill();
            child.Dispose();
        }
    }
}
