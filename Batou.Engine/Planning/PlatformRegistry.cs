namespace Batou.Engine.Planning;

/// <summary>Platform-specific components by (component type, platform name); exact types only.</summary>
internal sealed class PlatformRegistry
{
    /// <summary>
    /// The engine's own classes with <see cref="PlatformAttribute"/> (none yet). A list, not a scan: loading every
    /// type of the engine (closures and state machines included) to read their attributes cost each run a good part of
    /// its configure step and five more assemblies. A test scans the engine and keeps this list complete.
    /// </summary>
    public static IReadOnlyList<Type> EngineTypes { get; } = [];

    private readonly Dictionary<(Type, string), Type> _platforms = [];

    public PlatformRegistry(IEnumerable<Type> types)
    {
        foreach (var type in types)
            foreach (var attribute in type.GetCustomAttributes(typeof(PlatformAttribute), false).Cast<PlatformAttribute>())
                _platforms[(attribute.For, attribute.Name)] = type;
    }

    public Type? Find(Type component, string? platform) =>
        platform is not null && _platforms.TryGetValue((component, platform), out var type) ? type : null;
}
