namespace Batou.Engine.Planning;

/// <summary>Root components and "deploys after" edges; sorts them and finds cycles.</summary>
internal sealed class DependencyGraph
{
    private readonly IReadOnlyList<RootComponent> _roots;
    private readonly Dictionary<RootComponent, HashSet<RootComponent>> _dependsOn;

    public DependencyGraph(IReadOnlyList<RootComponent> roots, IEnumerable<(RootComponent Dependent, RootComponent Dependency)> edges)
    {
        _roots = roots;
        _dependsOn = roots.ToDictionary(r => r, _ => new HashSet<RootComponent>());
        foreach (var (dependent, dependency) in edges)
            _dependsOn[dependent].Add(dependency);
    }

    public IReadOnlySet<RootComponent> DependenciesOf(RootComponent root) => _dependsOn[root];

    /// <summary>Roots in an order where dependencies come first, or the first cycle found.</summary>
    public (IReadOnlyList<RootComponent> Order, IReadOnlyList<RootComponent>? Cycle) Sort()
    {
        var order = new List<RootComponent>();
        var state = new Dictionary<RootComponent, int>();
        var stack = new List<RootComponent>();
        IReadOnlyList<RootComponent>? cycle = null;

        bool Visit(RootComponent root)
        {
            state.TryGetValue(root, out var s);
            if (s == 2) return true;
            if (s == 1)
            {
                var start = stack.IndexOf(root);
                cycle = stack.Skip(start).ToList();
                return false;
            }
            state[root] = 1;
            stack.Add(root);
            foreach (var dependency in _dependsOn[root].OrderBy(d => d.Index))
                if (!Visit(dependency)) return false;
            stack.RemoveAt(stack.Count - 1);
            state[root] = 2;
            order.Add(root);
            return true;
        }

        foreach (var root in _roots)
            if (!Visit(root))
                return (order, cycle);
        return (order, null);
    }
}
