namespace Batou.Engine.Planning;

/// <summary>
/// Notices components that were created while configuring but never added to the model
/// (batou's "initialized but never added" warning). One per configuring thread.
/// </summary>
internal sealed class ConfigureTracker
{
    [ThreadStatic] private static ConfigureTracker? s_current;

    private readonly Dictionary<Component, (RootComponent? Root, string? CreatedBy, SourceFrame? Where)> _created = new(ReferenceEqualityComparer.Instance);
    private RootComponent? _root;

    public static ConfigureTracker? Current => s_current;

    public Component? Configuring { get; set; }

    public static ConfigureTracker Begin()
    {
        s_current = new ConfigureTracker();
        return s_current;
    }

    public static void End() => s_current = null;

    public void StartRoot(RootComponent root)
    {
        _root = root;
        foreach (var c in _created.Where(kv => kv.Value.Root == root).Select(kv => kv.Key).ToList())
            _created.Remove(c);
    }

    public void Created(Component component)
    {
        // The root instance itself is created by the engine and prepared right away: no location needed.
        var where = Configuring is null ? null : SourceFrame.Caller(_root?.Environment.BaseDir);
        _created[component] = (_root, Configuring?.Breadcrumbs, where);
    }

    public void Prepared(Component component) => _created.Remove(component);

    public IEnumerable<(Component Component, RootComponent Root, string? CreatedBy, SourceFrame? Where)> Unused() =>
        _created.Where(kv => kv.Value.Root is not null).Select(kv => (kv.Key, kv.Value.Root!, kv.Value.CreatedBy, kv.Value.Where));
}
