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

    // values are objects and the queries plain loops: value tuples in a framework collection (and LINQ over its
    // pairs) are generic code the runtime JIT-compiles in every run, while these instantiations are precompiled
    private readonly Dictionary<Component, Creation> _created = new(ReferenceEqualityComparer.Instance);
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
        if (_created.Count == 0) return;
        var stale = new List<Component>();
        foreach (var entry in _created)
            if (entry.Value.Root == root) stale.Add(entry.Key);
        foreach (var component in stale) _created.Remove(component);
    }

    public void Created(Component component)
    {
        // The root instance itself is created by the engine and prepared right away: no location needed.
        var where = Configuring is null || !CaptureLocations ? null : SourceFrame.Caller(_root?.Environment.BaseDir);
        _created[component] = new Creation(_root, Configuring, where);
    }

    public void Prepared(Component component) => _created.Remove(component);

    public IEnumerable<(Component Component, RootComponent Root, string? CreatedBy, SourceFrame? Where)> Unused()
    {
        foreach (var entry in _created)
            if (entry.Value.Root is { } root)
                yield return (entry.Key, root, entry.Value.CreatedBy?.Breadcrumbs, entry.Value.Where);
    }

    /// <summary>The roots that created components they never added.</summary>
    public IEnumerable<RootComponent> RootsWithUnused()
    {
        var roots = new List<RootComponent>();
        foreach (var creation in _created.Values)
            if (creation.Root is { } root && !roots.Contains(root)) roots.Add(root);
        return roots;
    }

    private sealed record Creation(RootComponent? Root, Component? CreatedBy, SourceFrame? Where);
}
