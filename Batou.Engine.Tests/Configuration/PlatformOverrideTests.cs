using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Configuration;

/// <summary><c>-p PLATFORM</c> replaces the environment's platform; a host's own <c>platform =</c> still wins (batou's semantics).</summary>
public sealed class PlatformOverrideTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public PlatformOverrideTests()
    {
        _repo.Component("app", """
                public sealed class App : Component { }

                [Platform("envplat", typeof(App))]
                public sealed class OnEnvPlat : Component { protected override void Configure() => Log($"{Host.Name}: envplat"); }

                [Platform("cliplat", typeof(App))]
                public sealed class OnCliPlat : Component { protected override void Configure() => Log($"{Host.Name}: cliplat"); }

                [Platform("hostplat", typeof(App))]
                public sealed class OnHostPlat : Component { protected override void Configure() => Log($"{Host.Name}: hostplat"); }
                """)
            .Environment("test", """
                [environment]
                connect_method = local
                platform = envplat

                [hosts]
                inherits = app

                [host:own]
                platform = hostplat
                components = app
                """);
    }

    private IReadOnlyList<string> Platforms(string? platform) =>
        _repo.Deploy(mode: DeploymentMode.ConsistencyOnly, platform: platform) is var result && result.Success
            ? result.Of<ConfigureLog>().Select(l => l.Text).Order(StringComparer.Ordinal).ToList()
            : throw new Xunit.Sdk.XunitException(result.ToString());

    [Fact]
    public void Without_p_hosts_inherit_the_environment_platform_unless_they_set_their_own() =>
        Assert.Equal(["inherits: envplat", "own: hostplat"], Platforms(null));

    [Fact]
    public void P_replaces_the_environment_platform_and_a_host_platform_still_wins() =>
        Assert.Equal(["inherits: cliplat", "own: hostplat"], Platforms("cliplat"));

    [Fact]
    public void An_empty_p_means_no_platform_for_hosts_without_their_own() =>
        Assert.Equal(["own: hostplat"], Platforms(""));

    public void Dispose() => _repo.Dispose();
}
