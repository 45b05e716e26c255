using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Model;

/// <summary>Deploy order, before-update events, platforms and configure-time warnings (scenarios #31, #39, #43, #44).</summary>
public sealed class ComponentLifecycleTests : IDisposable
{
    private const string Local = "[environment]\nconnect_method = local\n\n";

    private readonly TestRepository _repo = new TestRepository()
        .Component("nested", """
            public class Outer : Component
            {
                protected override void Configure() => Add(new Inner());
                protected override void Verify() { Log("1:verify"); throw new UpdateNeeded(); }
                protected override void Update() => Log("1:update");
            }

            public class Inner : Component
            {
                protected override void Verify() { Log("2:verify"); throw new UpdateNeeded(); }
                protected override void Update() => Log("2:update");
            }
            """)
        .Component("events", """
            public class Foo : Component
            {
                public Foo(string id) { Id = id; }
                public string Id { get; }
                protected override string? BreadcrumbValue => Id;
                protected override void Verify() => throw new UpdateNeeded();

                [HandleEvent("before-update", "precursor")]
                public void Evade(Component updating) => Log($"precursor {Id} sees {((Foo)updating).Id}");
            }

            public class StarFoo : Component
            {
                public StarFoo(string id) { Id = id; }
                public string Id { get; }
                protected override void Verify() => throw new UpdateNeeded();

                [HandleEvent("before-update", "*")]
                public void Watch(Component updating) => Log($"star {Id} sees {((StarFoo)updating).Id}");
            }

            public class Precursor : Component
            {
                protected override void Configure() { Add(new Foo("1")); Add(new Foo("2")); }
            }

            public class Star : Component
            {
                protected override void Configure() { Add(new StarFoo("1")); Add(new StarFoo("2")); }
            }
            """)
        .Component("platforms", """
            public class MyComponent : Component
            {
                protected override void Configure() => Add(new Part());
            }

            public class MyOtherComponent : MyComponent { }

            public class Part : Component { }

            [Platform("testplatform", typeof(MyComponent))]
            public class MyPlatform : Component
            {
                protected override void Configure() => Log($"platform for {Parent!.GetType().Name} on {Host.Name}");
            }
            """)
        .Component("warnings", """
            public class BadUnused : Component
            {
                protected override void Configure()
                {
                    _ = new Part();
                }
            }

            public class UpdateOnly : Component
            {
                protected override void Update() => Log("never");
            }
            """)
        .Component("located", """
            public class Located : Component
            {
                protected override void Configure()
                {
                    Log("configured");
                    Add(new Holder());
                }
            }

            public class Holder : Component
            {
                protected override void Configure()
                {
                    Provide("located", 1);
                    _ = new Piece();
                }
                protected override void Verify() { Log("verified"); throw new UpdateNeeded(); }
            }

            public class Piece : Component { }

            public class User : Component
            {
                protected override void Configure() => Log($"got {string.Join(",", Require<int>("located"))}");
            }
            """)
        .Environment("located", Local + "[hosts]\nlocalhost = user, located\n")
        .Environment("nested", Local + "[hosts]\nlocalhost = outer\n")
        .Environment("precursor", Local + "[hosts]\nlocalhost = precursor\n")
        .Environment("star", Local + "[hosts]\nlocalhost = star\n")
        .Environment("platforms", Local + "[host:localhost]\nplatform = testplatform\ncomponents = mycomponent, myothercomponent\n\n[host:other]\ncomponents = mycomponent\n")
        .Environment("warnings", Local + "[hosts]\nlocalhost = badunused, updateonly\n");

    [Fact]
    public void Sub_components_are_verified_and_updated_before_their_parent()
    {
        var result = _repo.Deploy("nested");
        Assert.True(result.Success, result.ToString());
        Assert.Equal(["2:verify", "2:update", "1:verify", "1:update"], result.DeployLogs());
        Assert.Equal(["Outer > Inner", "Outer"], result.Updated);
        Assert.True(Assert.Single(result.Of<RootFinished>()).Changed);
    }

    [Fact]
    public void Predicting_verifies_but_never_updates()
    {
        var result = _repo.Deploy("nested", DeploymentMode.Predict);
        Assert.True(result.Success, result.ToString());
        Assert.Equal(["2:verify", "1:verify"], result.DeployLogs());
        Assert.All(result.Of<ComponentNeedsUpdate>(), e => Assert.True(e.Predicting));
        Assert.Empty(result.Of<ComponentUpdated>());
    }

    [Fact]
    public void A_precursor_handler_only_hears_about_components_deployed_before_it()
    {
        var result = _repo.Deploy("precursor");
        Assert.True(result.Success, result.ToString());
        Assert.Equal(["precursor 2 sees 1"], result.DeployLogs());
    }

    [Fact]
    public void A_star_handler_hears_about_every_update_of_its_root()
    {
        var result = _repo.Deploy("star");
        Assert.True(result.Success, result.ToString());
        var logs = result.DeployLogs();
        Assert.Equal(["star 1 sees 1", "star 1 sees 2"], logs.Where(l => l.StartsWith("star 1", StringComparison.Ordinal)));
        Assert.Equal(["star 2 sees 1", "star 2 sees 2"], logs.Where(l => l.StartsWith("star 2", StringComparison.Ordinal)));
    }

    [Fact]
    public void Predicting_reports_handlers_instead_of_calling_them()
    {
        var result = _repo.Deploy("precursor", DeploymentMode.Predict);
        Assert.True(result.Success, result.ToString());
        Assert.Empty(result.DeployLogs());
        var triggered = Assert.Single(result.Of<EventTriggered>());
        Assert.Equal("before-update", triggered.EventName);
        Assert.Equal("Foo('2').Evade", triggered.Handler);
    }

    [Fact]
    public void A_platform_component_is_added_last_only_for_the_exact_class_on_hosts_with_that_platform()
    {
        var overview = BatouEngine.Describe(_repo.Root, "platforms");
        Assert.Empty(overview.Errors);
        RootOverview Root(string host, string component) => overview.Roots.Single(r => r.Host == host && r.Component == component);
        Assert.Equal(["MyComponent > Part", "MyComponent > MyPlatform"], Root("localhost", "mycomponent").SubComponents);
        Assert.Equal(["MyOtherComponent > Part"], Root("localhost", "myothercomponent").SubComponents);
        Assert.Equal(["MyComponent > Part"], Root("other", "mycomponent").SubComponents);
    }

    [Fact]
    public void The_platform_of_the_request_replaces_the_environment_platform_but_not_a_host_platform()
    {
        Assert.Equal(["platform for MyComponent on localhost"],
            _repo.Deploy("platforms", DeploymentMode.ConsistencyOnly).ConfigureLogs());
        Assert.Equal(["platform for MyComponent on localhost"],   // [host:localhost] platform = testplatform wins over -p ""
            _repo.Deploy("platforms", DeploymentMode.ConsistencyOnly, platform: "").ConfigureLogs());
        Assert.Equal(["platform for MyComponent on localhost", "platform for MyComponent on other"],
            _repo.Deploy("platforms", DeploymentMode.ConsistencyOnly, platform: "testplatform").ConfigureLogs());
    }

    [Fact]
    public void A_component_created_but_never_added_is_a_warning_naming_class_root_and_line_and_the_deployment_succeeds()
    {
        var result = _repo.Deploy("warnings");
        Assert.True(result.Success, result.ToString());
        var unused = Assert.Single(result.Warnings, w => w.Kind == "UnusedComponentsInitialized");
        Assert.Equal("Part", unused.Component);
        Assert.Equal("localhost", unused.Host);
        Assert.Equal("localhost:badunused", unused.Detail("Root"));
        Assert.Equal(Path.Combine("components", "warnings", "component.cs"), unused.File);
        Assert.Equal(5, unused.Line);
    }

    [Fact]
    public void Finding_where_an_unused_component_was_created_configures_its_root_again_without_changing_the_deployment()
    {
        // locations are captured only in a second configure pass of the roots a warning is about
        var result = _repo.Deploy("located");
        Assert.True(result.Success, result.ToString());
        var unused = Assert.Single(result.Warnings, w => w.Kind == "UnusedComponentsInitialized");
        Assert.Equal("Piece", unused.Component);
        Assert.Equal("Located > Holder", unused.Detail("Created in"));
        Assert.Equal(Path.Combine("components", "located", "component.cs"), unused.File);
        Assert.Equal(15, unused.Line);
        Assert.Equal(["configured", "got 1"], result.ConfigureLogs().Order(StringComparer.Ordinal));
        Assert.Equal(["verified"], result.DeployLogs());
        Assert.Equal(["localhost:located"], result.Root("localhost", "user").DependsOn);
    }

    [Fact]
    public void Update_without_Verify_is_a_warning_naming_the_class_and_its_file()
    {
        var result = _repo.Deploy("warnings");
        var warning = Assert.Single(result.Warnings, w => w.Kind == "ComponentWithUpdateWithoutVerify");
        Assert.Equal("UpdateOnly", warning.Component);
        Assert.Equal("localhost", warning.Host);
        Assert.Equal(Path.Combine("components", "warnings", "component.cs"), warning.File);
        Assert.DoesNotContain("never", result.DeployLogs());
    }

    public void Dispose() => _repo.Dispose();
}
