using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Configuration;

/// <summary>
/// Root classes that declare nothing of their own share their base class's settings (looked up once for the
/// base): overrides, mapped paths and the list of available settings in an error stay those of the base class.
/// </summary>
public sealed class InheritedSettingsTests : IDisposable
{
    private readonly TestRepository _repo = new TestRepository()
        .Component("roots", """
            public abstract class Base : Component
            {
                public int Port { get; set; } = 1;
                [Mapped] public string Dir { get; set; } = "data";
                protected override void Configure() => Log($"{GetType().Name}: port={Port} dir={Dir}");
            }
            public sealed class First : Base { }
            public sealed class Second : Base { }
            public sealed class Third : Base { public string Extra { get; set; } = "x"; }
            """);

    [Fact]
    public void Overrides_and_mapped_paths_reach_classes_that_only_inherit_their_settings()
    {
        _repo.LocalEnvironment("first, second, third", "[component:first]\nport = 2\n\n[component:third]\nport = 3\nextra = y\n");
        var result = _repo.Deploy(mode: DeploymentMode.ConsistencyOnly);
        Assert.True(result.Success, result.ToString());
        Assert.Equal([
            $"First: port=2 dir={_repo.Work("first/data")}",
            $"Second: port=1 dir={_repo.Work("second/data")}",
            $"Third: port=3 dir={_repo.Work("third/data")}",
        ], result.ConfigureLogs());
    }

    [Fact]
    public void An_unknown_key_lists_the_inherited_settings_as_available()
    {
        _repo.LocalEnvironment("second", "[component:second]\nextra = y\n");
        var result = _repo.Deploy(mode: DeploymentMode.ConsistencyOnly);
        Assert.False(result.Success);
        var error = result.Error("MissingOverrideAttributes");
        Assert.Equal("extra", error.Detail("Attributes"));
        Assert.Equal("dir, port", error.Detail("Available"));
    }

    public void Dispose() => _repo.Dispose();
}
