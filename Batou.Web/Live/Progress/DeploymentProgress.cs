using Batou.Engine.Api;
using Batou.Web.Deployments;

namespace Batou.Web.Live.Progress;

/// <summary>
/// How far a deployment has got, as its shared <see cref="DeploymentLog"/> tells it: the state of every root
/// component, how many are done, how many components were updated, how many log lines there are. Computed from the
/// log's few state events (the same <see cref="RootTracker"/> rules as the stored results), so it is the same whether
/// the deployment runs in this process or in another one (PostgreSQL) whose rows the log follows.
/// </summary>
public sealed record DeploymentProgress(int Lines, int LastSeq, int RootsDone, int RootsTotal, int ComponentsUpdated,
    IReadOnlyDictionary<(string Host, string Component), string> Roots)
{
    public static readonly DeploymentProgress None = new(0, 0, 0, 0, 0, new Dictionary<(string, string), string>());

    public static DeploymentProgress Of(DeploymentLog log) => new ProgressTracker().Advance(log);

    /// <summary>"1 of 3 roots done · 4 components updated · 120 log lines"; before the model is configured only the lines.</summary>
    public string Summary =>
        (RootsTotal == 0 ? "" : $"{RootsDone} of {RootsTotal} root{(RootsTotal == 1 ? "" : "s")} done · ")
        + (ComponentsUpdated == 0 ? "" : $"{ComponentsUpdated} component{(ComponentsUpdated == 1 ? "" : "s")} updated · ")
        + $"{Lines:N0} log line{(Lines == 1 ? "" : "s")}";
}

/// <summary>Follows one log's progress incrementally: each <see cref="Advance"/> applies only the state events that arrived since the last.</summary>
public sealed class ProgressTracker
{
    private readonly RootTracker _roots = new();
    private int _seen, _updated;

    public DeploymentProgress Advance(DeploymentLog log)
    {
        var lines = log.Count;
        var lastSeq = log.LastSeq;
        var states = log.StatesFrom(_seen);
        _seen += states.Count;
        foreach (var e in states)
        {
            _roots.Apply(e);
            if (e is ComponentUpdated) _updated++;
        }
        var roots = _roots.Roots.ToDictionary(r => (r.Host, r.Component), r => r.Status);
        var done = roots.Values.Count(s => s is not (RootTracker.Waiting or RootTracker.Verifying or RootTracker.Updating));
        return new DeploymentProgress(lines, lastSeq, done, roots.Count, _updated, roots);
    }
}
