namespace Batou.Engine.Planning;

/// <summary>
/// Notices components that were created while configuring but never added to the model
/// (batou's "initialized but never added" warning). One per configuring thread.
/// Source locations (a stack walk with line lookup each) are only captured while
/// <see cref="CaptureLocations"/> is on: the configurator turns it on to configure again the few
/// roots a warning or an error is about (see <see cref="ModelConfigurator"/>).
/// </summary>
internal sealed class ConfigureTracker
{
    [ThreadStatic] private static ConfigureTracker? s_current;

    private readonly Dictionary<Component, (RootComponent? Root, Component? CreatedBy, SourceFrame? Where)> _created = new(ReferenceEqualityComparer.Instance);
    private RootComponent? _root;

    public static ConfigureTracker? Current => s_current;

    public Component? Configuring { get; set; }

    /// <summary>Whether component creations, Provide and Require record where in the repository's code they happened.</summary>
    public bool CaptureLocations { get; set; }

    public static ConfigureTracker Begin()
    {
        s_current = new ConfigureTracker();
        return s_current;
    }

    public static void End() => s_current = null;

    /// <summary>The caller's place in the repository's code, unless a tracker is configuring without capturing locations.</summary>
    public static SourceFrame? CallerIfCaptured(string? baseDir) =>
        s_current is { CaptureLocations: false } ? null : SourceFrame.Caller(baseDir);

    public void StartRoot(RootComponent root)
    {
        _root = root;
        foreach (var c in _created.Where(kv => kv.Value.Root == root).Select(kv => kv.Key).ToList())
            _created.Remove(c);
    }

    public void Created(Component component)
    {
        // The root instance itself is created by the engine and prepared right away: no location needed.
        var where = Configuring is null || !CaptureLocations ? null : SourceFrame.Caller(_root?.Environment.BaseDir);
        _created[component] = (_root, Configuring, where);
    }

    public void Prepared(Component component) => _created.Remove(component);

    public IEnumerable<(Component Component, RootComponent Root, string? CreatedBy, SourceFrame? Where)> Unused() =>
        _created.Where(kv => kv.Value.Root is not null).Select(kv => (kv.Key, kv.Value.Root!, kv.Value.CreatedBy?.Breadcrumbs, kv.Value.Where));

    /// <summary>The roots that created components they never added.</summary>
    public IEnumerable<RootComponent> RootsWithUnused() => _created.Values.Select(v => v.Root).OfType<RootComponent>().Distinct();
}
