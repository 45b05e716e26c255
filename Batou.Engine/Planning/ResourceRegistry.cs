namespace Batou.Engine.Planning;

internal sealed record Subscription(RootComponent Root, string Key, Host? Host, bool Strict, bool Reverse, bool Dirty)
{
    /// <summary>Where the component called Require (for error messages).</summary>
    public SourceFrame? Location { get; init; }
}

/// <summary>
/// Provided and required resources per root component: the data the convergence loop and the
/// dependency graph are built from.
/// </summary>
internal sealed class ResourceRegistry
{
    private readonly Dictionary<string, Dictionary<RootComponent, List<object>>> _provided = [];
    private readonly Dictionary<ProvidedKey, SourceFrame?> _provideLocations = [];   // a record key: see UnusedResource
    private readonly Dictionary<string, List<Subscription>> _subscriptionsByKey = [];
    private readonly Dictionary<RootComponent, List<Subscription>> _subscriptionsByRoot = [];
    private readonly HashSet<RootComponent> _dirty = [];
    private readonly Dictionary<RootComponent, List<string>> _keysByRoot = [];
    private readonly Dictionary<RootComponent, List<Subscription>> _unsatisfied = [];

    public void Provide(RootComponent root, string key, object value)
    {
        if (!_provided.TryGetValue(key, out var byRoot))
            _provided[key] = byRoot = [];
        if (!byRoot.TryGetValue(root, out var values))
        {
            byRoot[root] = values = [];
            _provideLocations[new ProvidedKey(key, root)] = ConfigureTracker.CallerIfCaptured(root.Environment.BaseDir);
            if (!_keysByRoot.TryGetValue(root, out var keys))
                _keysByRoot[root] = keys = [];
            keys.Add(key);
        }
        values.Add(value);
        MarkSubscribersDirty(key, root);
    }

    public IReadOnlyList<object> Require(RootComponent root, string key, Host? host, bool strict, bool reverse, bool dirty)
    {
        var subscription = new Subscription(root, key, host, strict, reverse, dirty) { Location = ConfigureTracker.CallerIfCaptured(root.Environment.BaseDir) };
        Add(_subscriptionsByKey, key, subscription);
        Add(_subscriptionsByRoot, root, subscription);
        var result = new List<object>();
        foreach (var provider in Providers(subscription))
            result.AddRange(_provided[key][provider]);
        if (result.Count == 0 && strict)
            Add(_unsatisfied, root, subscription);
        return result;
    }

    /// <summary>Forgets what a root provided and required before it is configured again.</summary>
    public void Reset(RootComponent root)
    {
        if (_keysByRoot.Remove(root, out var keys))
            foreach (var key in keys)
                if (_provided[key].Remove(root))
                    MarkSubscribersDirty(key, root);
        if (_subscriptionsByRoot.Remove(root, out var subscriptions))
            foreach (var s in subscriptions)
                _subscriptionsByKey[s.Key].Remove(s);
        _unsatisfied.Remove(root);
    }

    public HashSet<RootComponent> TakeDirty()
    {
        var dirty = new HashSet<RootComponent>(_dirty);
        _dirty.Clear();
        return dirty;
    }

    public IEnumerable<string> ProvidedKeys(RootComponent root) =>
        _provided.Where(kv => kv.Value.ContainsKey(root)).Select(kv => kv.Key).Order(StringComparer.Ordinal);

    public IEnumerable<string> RequiredKeys(RootComponent root) =>
        _subscriptionsByRoot.TryGetValue(root, out var subs) ? subs.Select(s => s.Key).Distinct().Order(StringComparer.Ordinal) : [];

    public IEnumerable<RootComponent> UnsatisfiedRoots => _unsatisfied.Keys;

    public IEnumerable<Subscription> Unsatisfied => _unsatisfied.Values.SelectMany(s => s);

    /// <summary>Provided keys (per providing root) that no subscription reaches.</summary>
    public SourceFrame? ProvidedAt(string key, RootComponent root) => _provideLocations.GetValueOrDefault(new ProvidedKey(key, root));

    public List<UnusedResource> Unused()
    {
        var unused = new List<UnusedResource>();
        foreach (var (key, byRoot) in _provided)
            foreach (var (root, values) in byRoot)
            {
                var used = _subscriptionsByKey.TryGetValue(key, out var subs)
                    && subs.Any(s => s.Host is null || s.Host == root.Host);
                if (!used) unused.Add(new UnusedResource(key, root, values));
            }
        return unused;
    }

    /// <summary>Edges "a deploys after b" for every subscription and matching provider.</summary>
    public IEnumerable<(RootComponent Dependent, RootComponent Dependency)> Dependencies()
    {
        foreach (var subscriptions in _subscriptionsByRoot.Values)
            foreach (var s in subscriptions)
                foreach (var provider in Providers(s))
                    yield return s.Reverse ? (provider, s.Root) : (s.Root, provider);
    }

    private IEnumerable<RootComponent> Providers(Subscription s)
    {
        if (!_provided.TryGetValue(s.Key, out var byRoot)) return [];
        return byRoot.Keys.Where(p => s.Host is null || p.Host == s.Host).OrderBy(p => p.Index);
    }

    private void MarkSubscribersDirty(string key, RootComponent provider)
    {
        if (!_subscriptionsByKey.TryGetValue(key, out var subscriptions)) return;
        foreach (var s in subscriptions)
            if (!s.Dirty && s.Root != provider && (s.Host is null || s.Host == provider.Host))
                _dirty.Add(s.Root);
    }

    private static void Add<TKey>(Dictionary<TKey, List<Subscription>> map, TKey key, Subscription s) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
            map[key] = list = [];
        list.Add(s);
    }
}
