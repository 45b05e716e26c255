using Batou.Engine.Execution;
using Batou.Engine.Loading;

namespace Batou.Engine.Planning;

/// <summary>A value for a setting from the environment (or, later, the secrets), with its origin.</summary>
internal sealed record OverrideValue(string Value, string File, int Line, bool Secret = false);

/// <summary>One component assigned to one host: the unit that is configured, ordered and deployed.</summary>
internal sealed class RootComponent(
    ComponentModel model,
    ComponentDefinition definition,
    Host host,
    int index,
    IReadOnlyList<string>? features,
    bool ignore,
    IReadOnlyDictionary<string, OverrideValue> overrides)
{
    public ComponentModel Model { get; } = model;
    public ComponentDefinition Definition { get; } = definition;
    public string Name => Definition.Name;
    public Host Host { get; } = host;
    public int Index { get; } = index;
    public IReadOnlyList<string>? Features { get; } = features;
    public bool Ignore { get; } = ignore;
    public IReadOnlyDictionary<string, OverrideValue> Overrides { get; } = overrides;
    public DeploymentEnvironment Environment => Model.Environment;
    public string Workdir => Path.Combine(Environment.WorkBase, Name);
    public Component? Instance { get; private set; }
    public List<string> ConfigureLogs { get; } = [];
    public DeploySession? Session { get; set; }
    /// <summary>Whether the last remote deployment of this root changed something (set by the agent's reply).</summary>
    public bool? RemoteChanged { get; set; }
    /// <summary>Event handlers and positions of <see cref="Instance"/>, built on first use while deploying.</summary>
    public EventIndex? EventIndex { get; set; }

    public string Id => $"{Host.Name}:{Name}";

    /// <summary>Creates a fresh instance and configures it (again).</summary>
    public void Prepare()
    {
        ConfigureLogs.Clear();
        Instance = null;
        EventIndex = null;
        var instance = (Component)Activator.CreateInstance(Definition.Type)!;
        Instance = instance;
        instance.PrepareIn(this, null);
    }

    public override string ToString() => Id;
}
