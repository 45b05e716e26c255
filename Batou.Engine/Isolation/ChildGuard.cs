using System.Diagnostics;
using Batou.Engine.Api;

namespace Batou.Engine.Isolation;

/// <summary>
/// Watches one child's clock: past a limit (or past the grace of a cancel) it records why and
/// kills the child's process group; the reader then sees the end of its output.
/// </summary>
internal sealed class ChildGuard : IDisposable
{
    private readonly EngineChild _child;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(TimeSpan Limit, string Setting, bool UntilConfigured)> _limits = [];
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private TimeSpan? _cancelledAt;
    private TimeSpan _grace;

    public ChildGuard(EngineChild child)
    {
        _child = child;
        _timer = new Timer(_ => Check(), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
    }

    public BatouError? TimedOut { get; private set; }

    public ChildGuard Limit(TimeSpan? limit, string setting, bool untilConfigured = false)
    {
        if (limit is { } l) lock (_gate) _limits.Add((l, setting, untilConfigured));
        return this;
    }

    /// <summary>
    /// A cancel was sent: the child gets <paramref name="grace"/> from now to finish its running component. A later call
    /// (the engine announced its grace, or somebody asked to stop now) sets the deadline anew.
    /// </summary>
    public void Cancelled(TimeSpan grace)
    {
        lock (_gate)
        {
            _cancelledAt = _clock.Elapsed;
            _grace = grace;
        }
    }

    private void Check()
    {
        BatouError? reason = null;
        lock (_gate)
        {
            if (TimedOut is not null || _child.Killed) return;
            var now = _clock.Elapsed;
            foreach (var (limit, setting, untilConfigured) in _limits)
                if (now > limit && !(untilConfigured && _child.Activity.PastConfigure))
                {
                    reason = ChildFailure.TimedOut(limit, setting, _child.Activity);
                    break;
                }
            if (reason is null && _cancelledAt is { } at && now - at > _grace)
                reason = ChildFailure.TimedOut(_grace, "cancelled; EngineProcessOptions.CancelGrace", _child.Activity) with { Kind = "Cancelled" };
            if (reason is null) return;
            TimedOut = reason;
        }
        _child.Kill();
    }

    public void Dispose() => _timer.Dispose();
}
