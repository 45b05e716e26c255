using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Configuration;

/// <summary>[component:x] overrides and features on root components (scenarios #25, #26, #41, #42).</summary>
public sealed class OverrideTests : IDisposable
{
    private const string Local = "[environment]\nconnect_method = local\n\n";

    private readonly TestRepository _repo = new TestRepository()
        .Component("settings", """
            public enum Speed { Fast, Slow }

            public class Settings : Component
            {
                public int Port { get; set; } = 9001;
                public bool Enabled { get; set; }
                public List<string> Names { get; set; } = new();
                public TimeSpan Wait { get; set; } = TimeSpan.FromSeconds(1);
                public Speed Speed { get; set; }
                public string Address { get; set; } = "default";
                public string Raw { get; set; } = "";

                protected override void Configure()
                {
                    Log($"port={Port} enabled={Enabled} names={string.Join("|", Names)} wait={Wait.TotalSeconds} speed={Speed} address={Address} raw={Raw}");
                }
            }
            """)
        .Component("zeo", """
            public class Zeo : Component
            {
                public Zeo() { Features = new[] { "test", "test2" }; }

                protected override void Configure() => Log($"{Host.Name}: {string.Join(",", Features)}");
            }
            """)
        .Environment("defaults", Local + "[hosts]\nlocalhost = settings\n")
        .Environment("overrides", Local + """
            [hosts]
            localhost = settings

            [component:settings]
            port = 9002
            enabled = yes
            names = a, b,
            wait = 5m
            speed = slow
            address = {{host.Name}}:80
            raw = 9{{component.Port}}00
            """)
        .Environment("features", Local + """
            [hosts]
            localhost = zeo
            host2 = zeo:test
            """)
        .Environment("unknownkeys", Local + """
            [hosts]
            localhost = settings

            [component:settings]
            port = 9003
            this_does_not_exist = 1
            this_also_does_not_exist = 2
            """)
        .Environment("badvalue", Local + """
            [hosts]
            localhost = settings

            [component:settings]
            port = ninethousand
            """)
        .Environment("badtemplate", Local + """
            [hosts]
            localhost = settings

            [component:settings]
            address = {{component.Nothere}}
            """)
        .Environment("unknownsection", Local + """
            [hosts]
            localhost = settings

            [component:nonexisting]
            foo = bar
            """);

    private DeploymentResult Check(string environment) => _repo.Deploy(environment, DeploymentMode.ConsistencyOnly);

    [Fact]
    public void Without_overrides_the_property_defaults_stay()
    {
        var result = Check("defaults");
        Assert.True(result.Success, result.ToString());
        Assert.Equal(["port=9001 enabled=False names= wait=1 speed=Fast address=default raw="], result.ConfigureLogs());
    }

    [Fact]
    public void Overrides_are_expanded_as_templates_and_converted_to_the_property_type()
    {
        var result = Check("overrides");
        Assert.True(result.Success, result.ToString());
        // raw is expanded after port was set (overrides apply in file order)
        Assert.Equal(["port=9002 enabled=True names=a|b wait=300 speed=Slow address=localhost:80 raw=9900200"], result.ConfigureLogs());
    }

    [Fact]
    public void A_feature_on_a_host_entry_replaces_the_class_default_only_for_that_root()
    {
        var result = Check("features");
        Assert.True(result.Success, result.ToString());
        Assert.Equal(["localhost: test,test2", "host2: test"], result.ConfigureLogs());
    }

    [Fact]
    public void Unknown_override_keys_are_one_MissingOverrideAttributes_error_listing_all_of_them_with_file_and_line()
    {
        var result = Check("unknownkeys");
        Assert.False(result.Success);
        var error = result.Error("MissingOverrideAttributes");
        Assert.Equal("this_does_not_exist, this_also_does_not_exist", error.Detail("Attributes"));
        Assert.Equal("Settings", error.Component);
        Assert.Equal("localhost", error.Host);
        Assert.Equal(Path.Combine("environments", "unknownkeys", "environment.cfg"), error.File);
        Assert.Equal(9, error.Line);
        Assert.Single(result.Errors, e => e.Kind == "MissingOverrideAttributes");
        Assert.Equal(Phase.Connect, result.Finished.FailedDuring);
    }

    [Fact]
    public void A_value_that_does_not_convert_is_a_ConversionError_naming_setting_value_file_and_line()
    {
        var result = Check("badvalue");
        Assert.False(result.Success);
        var error = result.Error("ConversionError");
        Assert.Equal("ninethousand", error.Detail("Value"));
        Assert.Contains("port", error.Detail("Setting"), StringComparison.Ordinal);
        Assert.Equal("Settings", error.Component);
        Assert.Equal("localhost", error.Host);
        Assert.Equal(8, error.Line);
        Assert.EndsWith("environment.cfg", error.File, StringComparison.Ordinal);
    }

    [Fact]
    public void An_override_template_naming_something_unknown_is_a_TemplatingError_with_file_and_line()
    {
        var result = Check("badtemplate");
        Assert.False(result.Success);
        var error = result.Error("TemplatingError");
        Assert.Equal("Settings", error.Component);
        Assert.Equal("localhost", error.Host);
        Assert.Equal(Path.Combine("environments", "badtemplate", "environment.cfg"), error.File);
        Assert.Equal(8, error.Line);
    }

    [Fact]
    public void An_override_section_for_an_unknown_component_is_a_SuperfluousComponentSection_error_with_its_line()
    {
        var result = Check("unknownsection");
        Assert.False(result.Success);
        var error = result.Error("SuperfluousComponentSection");
        Assert.Equal("nonexisting", error.Detail("Component"));
        Assert.Equal(7, error.Line);
        Assert.Equal(Phase.Load, result.Finished.FailedDuring);
    }

    public void Dispose() => _repo.Dispose();
}
