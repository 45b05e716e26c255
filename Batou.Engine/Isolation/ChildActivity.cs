using Batou.Engine.Api;

namespace Batou.Engine.Isolation;

/// <summary>What the child was doing, from its progress messages and events: "configuring X on H", "deploying X on H".</summary>
internal sealed class ChildActivity
{
    private readonly Lock _gate = new();
    private readonly List<(string Host, string Component)> _deploying = [];
    private EngineProgress? _configuring;
    private Phase? _phase;
    private EngineCrash? _crash;

    public Phase? Phase
    {
        get { lock (_gate) return _phase; }
    }

    /// <summary>True once the model is configured (or failed to): the configure limit no longer applies.</summary>
    public bool PastConfigure { get; private set; }

    public EngineCrash? Crash
    {
        get { lock (_gate) return _crash; }
    }

    public void Apply(EngineMessage message)
    {
        lock (_gate)
        {
            switch (message)
            {
                case EngineProgress { Step: "configuring" } p:
                    _configuring = p;
                    // a run configures while connecting; the progress line can overtake the step's event, and a
                    // component that ends the process right then would otherwise be blamed on loading
                    if (_phase is null or Api.Phase.Load) _phase = Api.Phase.Connect;
                    break;
                case EngineCrash crash:
                    _crash = crash;
                    break;
                case EngineEvent { Event: var e }:
                    Apply(e);
                    break;
            }
        }
    }

    private void Apply(DeploymentEvent e)
    {
        switch (e)
        {
            case StepStarted s:
                _phase = s.Phase;
                break;
            case ModelConfigured or ConfigurationFailed or DeploymentFinished:
                _configuring = null;
                PastConfigure = true;
                break;
            case RootScheduled r:
                _deploying.Add((r.Host, r.Component));
                break;
            case RootFinished r:
                _deploying.Remove((r.Host, r.Component));
                break;
            case RootFailed r:
                _deploying.Remove((r.Host, r.Component));
                break;
        }
    }

    /// <summary>The host and component to blame, when known.</summary>
    public (string? Host, string? Component) Culprit()
    {
        lock (_gate)
        {
            if (_deploying.Count > 0) return _deploying[0];
            return (_configuring?.Host, _configuring?.Component);
        }
    }

    /// <summary>" while configuring x on h" (or deploying), empty when nothing is known.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            if (_deploying.Count > 0)
                return " while deploying " + string.Join(", ", _deploying.Select(d => $"{d.Component} on {d.Host}"));
            return _configuring is { Component: { } c, Host: { } h } ? $" while configuring {c} on {h}" : "";
        }
    }
}
