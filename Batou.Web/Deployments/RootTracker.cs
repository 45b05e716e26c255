using Batou.Engine.Api;
using Batou.Web.Data;

namespace Batou.Web.Deployments;

/// <summary>The state of every root component (per host) as the events of a deployment tell it.</summary>
public sealed class RootTracker
{
    private readonly Dictionary<(string Host, string Component), (string Status, TimeSpan Duration)> _roots = [];

    public const string Waiting = "waiting", Verifying = "verifying", Updating = "updating", Unchanged = "unchanged",
        Changed = "changed", Failed = "failed", Skipped = "skipped", WouldChange = "would change";

    public IEnumerable<(string Host, string Component, string Status, TimeSpan Duration)> Roots =>
        _roots.Select(r => (r.Key.Host, r.Key.Component, r.Value.Status, r.Value.Duration));

    public int ChangedCount => _roots.Values.Count(v => v.Status is Changed or WouldChange);

    public void Apply(DeploymentEvent e)
    {
        switch (e)
        {
            case ModelConfigured m:
                foreach (var r in m.Roots) _roots[(r.Host, r.Component)] = (r.Ignored ? Skipped : Waiting, TimeSpan.Zero);
                break;
            case RootScheduled s: Set(s.Host, s.Component, Verifying); break;
            case ComponentNeedsUpdate n: Set(n.Host, RootOf(n.Breadcrumbs), n.Predicting ? WouldChange : Updating); break;
            case RootFinished f:
                var predicted = _roots.TryGetValue((f.Host, f.Component), out var v) && v.Status == WouldChange;
                _roots[(f.Host, f.Component)] = (f.Changed || predicted ? (predicted ? WouldChange : Changed) : Unchanged, f.Duration);
                break;
            case RootFailed f: Set(f.Host, f.Component, Failed); break;
            case RootSkipped s: Set(s.Host, s.Component, Skipped); break;
        }
    }

    private void Set(string host, string component, string status)
    {
        var duration = _roots.TryGetValue((host, component), out var v) ? v.Duration : TimeSpan.Zero;
        _roots[(host, component)] = (status, duration);
    }

    /// <summary>"App > File('x')" → "app": the root's name is its class name in lower case.</summary>
    public static string RootOf(string breadcrumbs)
    {
        var first = breadcrumbs.Split(" > ")[0];
        var paren = first.IndexOf('(');
        return (paren >= 0 ? first[..paren] : first).ToLowerInvariant();
    }

    public IEnumerable<DeploymentRootEntity> Results(long deploymentId) =>
        Roots.Select(r => new DeploymentRootEntity
        {
            DeploymentId = deploymentId, Host = r.Host, Component = r.Component,
            Status = r.Status is Verifying or Updating or Waiting ? Skipped : r.Status,
            DurationMs = (long)r.Duration.TotalMilliseconds,
        });
}
