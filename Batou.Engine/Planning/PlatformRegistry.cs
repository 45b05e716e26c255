namespace Batou.Engine.Planning;

/// <summary>Platform-specific components by (component type, platform name); exact types only.</summary>
internal sealed class PlatformRegistry
{
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
