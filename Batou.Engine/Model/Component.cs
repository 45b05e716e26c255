using Batou.Engine.Api;
using Batou.Engine.Planning;

namespace Batou;

/// <summary>
/// The base of every component. <see cref="Configure"/> builds the model (sub-components,
/// resources), <see cref="Verify"/> throws <see cref="UpdateNeeded"/> when the target differs,
/// <see cref="Update"/> converges it. Sub-components deploy first (post-order).
/// Public settable properties of subclasses are settings: <c>[component:x]</c> overrides them.
/// </summary>
public abstract partial class Component
{
    private readonly List<Component> _subComponents = [];
    private Component? _parent;
    private string? _workdir;
    private bool _prepared;
    private bool _configuring;

    protected Component()
    {
        ConfigureTracker.Current?.Created(this);
    }

    internal RootComponent? RootState { get; private set; }

    internal RootComponent RootOrThrow =>
        RootState ?? throw new InvalidOperationException($"{GetType().Name} is not part of a model yet: add it with Add() in Configure().");

    internal bool IsPrepared => _prepared;

    [NotASetting] public Component? Parent => _parent;

    [NotASetting] public IReadOnlyList<Component> SubComponents => _subComponents;

    /// <summary>The last component given to <see cref="Add{T}"/> (batou's <c>self._</c>).</summary>
    [NotASetting] public Component? Last { get; private set; }

    /// <summary>Whether this component or one of its sub-components changed (or would change) in this deployment.</summary>
    [NotASetting] public bool Changed { get; internal set; }

    [NotASetting] public Host Host => RootOrThrow.Host;

    [NotASetting] public DeploymentEnvironment Environment => RootOrThrow.Environment;

    /// <summary>The name of this component's root (the lower-case class name of the root component).</summary>
    [NotASetting] public string RootName => RootOrThrow.Name;

    /// <summary>
    /// Where templates and source files are found: the root component's folder — or, for a component
    /// class from a component package (and its sub-components), the package's extracted templates.
    /// </summary>
    [NotASetting] public string Defdir => Engine.Loading.ComponentPackages.DefdirOf(GetType()) ?? _parent?.Defdir ?? RootOrThrow.Definition.Defdir;

    /// <summary><c>work/&lt;root&gt;/</c> unless a component sets its own; relative paths resolve here.</summary>
    [NotASetting]
    public string Workdir
    {
        get => _workdir ?? _parent?.Workdir ?? RootOrThrow.Workdir;
        set => _workdir = value;
    }

    /// <summary>Features given in the environment (<c>[hosts] host = component:feature</c>).</summary>
    [NotASetting] public IReadOnlyList<string> Features { get; set; } = [];

    /// <summary>True while a predict-only deployment verifies: Update will not run.</summary>
    [NotASetting] protected bool Predicting => RootState?.Session?.Predicting ?? false;

    /// <summary>The value shown in parentheses in breadcrumbs, e.g. a path.</summary>
    protected virtual string? BreadcrumbValue => null;

    [NotASetting] public string Breadcrumb => BreadcrumbValue is { } v ? $"{GetType().Name}('{v}')" : GetType().Name;

    [NotASetting]
    public string Breadcrumbs => _parent is null ? Breadcrumb : _parent.Breadcrumbs + " > " + Breadcrumb;

    /// <summary>Builds the model: add sub-components, provide and require resources. May run many times.</summary>
    protected virtual void Configure() { }

    /// <summary>Throws <see cref="UpdateNeeded"/> (or calls an <c>Assert*</c> helper) when an update is needed.</summary>
    protected virtual void Verify() { }

    /// <summary>Brings the target to the wanted state. Only runs after <see cref="Verify"/> asked for it.</summary>
    protected virtual void Update() { }

    /// <summary>When the managed thing last changed, for <see cref="AssertComponentIsCurrent"/>; null if unknown.</summary>
    public virtual DateTime? LastUpdated() =>
        throw new NotSupportedException($"{GetType().Name} does not report when it was last updated.");

    /// <summary>Adds a sub-component and configures it immediately (batou's <c>self += c</c>).</summary>
    protected T Add<T>(T component) where T : Component
    {
        ArgumentNullException.ThrowIfNull(component);
        component.ThrowIfConfiguring();   // before it joins the tree: a cycle there recurses everywhere
        _subComponents.Add(component);
        component.PrepareIn(RootOrThrow, this);
        Last = component;
        return component;
    }

    /// <summary>Configures a component in this context without adding it (batou's <c>self |= c</c>).</summary>
    protected T Prepare<T>(T component) where T : Component
    {
        ArgumentNullException.ThrowIfNull(component);
        component.PrepareIn(RootOrThrow, this);
        return component;
    }

    private void ThrowIfConfiguring()
    {
        if (_configuring)
            throw new InvalidOperationException($"{GetType().Name} is added to itself (or to one of its own sub-components) while it configures");
    }

    internal void PrepareIn(RootComponent root, Component? parent)
    {
        if (_prepared) return;
        ThrowIfConfiguring();
        RootState = root;
        _parent = parent;
        _subComponents.Clear();
        var tracker = ConfigureTracker.Current;
        tracker?.Prepared(this);
        if (parent is null)
        {
            if (root.Features is { } features) Features = features;
            SettingBinder.Apply(this, root.Overrides);
        }
        SettingBinder.MapPaths(this);
        var previous = tracker?.Configuring;
        if (tracker is not null) tracker.Configuring = this;
        try
        {
            using var activity = ComponentActivity.Enter(this, "configure");
            _configuring = true;
            Configure();
        }
        finally
        {
            _configuring = false;
            if (tracker is not null) tracker.Configuring = previous;
        }
        if (root.Model.Platforms.Find(GetType(), Host.Platform) is { } platformType)
            Add((Component)Activator.CreateInstance(platformType)!);
        _prepared = true;
    }

    public override string ToString() => $"<{GetType().Name} ({RootState?.Host.Name}) \"{Breadcrumbs}\">";
}
