using Batou.Engine.Planning;

namespace Batou.Engine.Tests.Planning;

public sealed class PlatformRegistryTests
{
    [Fact]
    public void The_engine_list_of_platform_components_is_every_engine_class_with_a_Platform_attribute()
    {
        // the runtime no longer scans the engine's types for [Platform]: this scan keeps its list honest
        var scanned = typeof(Component).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(PlatformAttribute), false).Length > 0)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        Assert.Equal(scanned, PlatformRegistry.EngineTypes.OrderBy(t => t.FullName, StringComparer.Ordinal));
    }
}
