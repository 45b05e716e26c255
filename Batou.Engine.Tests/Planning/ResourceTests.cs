using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Planning;

/// <summary>Provide/Require, convergence and configure-time errors (scenarios #30–#38).</summary>
public sealed class ResourceTests : IDisposable
{
    private const string Local = "[environment]\nconnect_method = local\n\n";

    private readonly TestRepository _repo = new TestRepository()
        .Component("provider", """
            public class Provider : Component
            {
                protected override void Configure()
                {
                    Provide("the-answer", 42);
                    // sub-components added after Provide must not reset the root's resources
                    Add(new Note("after provide"));
                }
            }

            public class Note : Component
            {
                public Note(string text) { Text = text; }
                public string Text { get; }
            }
            """)
        .Component("consumer", """
            public class Consumer : Component
            {
                protected override void Configure()
                {
                    var values = Require<int>("the-answer");
                    Log($"consumer on {Host.Name} got [{string.Join(",", values)}]");
                }
            }
            """)
        .Component("hostconsumer", """
            public class HostConsumer : Component
            {
                protected override void Configure()
                {
                    Log("value " + RequireOne("the-answer", host: Host));
                }
            }
            """)
        .Component("needsunrelated", """
            public class NeedsUnrelated : Component
            {
                protected override void Configure() => Require("unrelated");
            }
            """)
        .Component("greedy", """
            public class Greedy : Component
            {
                protected override void Configure()
                {
                    RequireOne("the-answer");
                }
            }
            """)
        .Component("cycles", """
            public class Cycle1 : Component
            {
                protected override void Configure()
                {
                    Require("a");
                    Provide("b", "from cycle1");
                }
            }

            public class Cycle2 : Component
            {
                protected override void Configure()
                {
                    Require("b");
                    Provide("a", "from cycle2");
                }
            }

            public class Dirty1 : Component
            {
                protected override void Configure()
                {
                    Require("dirty2", reverse: true, dirty: true);
                    Provide("dirty1", "one");
                }
            }

            public class Dirty2 : Component
            {
                protected override void Configure()
                {
                    Require("dirty1");
                    Provide("dirty2", "two");
                }
            }
            """)
        .Component("broken", """
            public class Broken : Component
            {
                protected override void Configure()
                {
                    var empty = new Dictionary<string, string>();
                    Log(empty["missing"]);
                }
            }
            """)
        .Component("logging", """
            public class LogProvider : Component
            {
                protected override void Configure()
                {
                    Provide("greeting", "hi");
                    Log("Provide");
                }
            }

            public class LogHello : Component
            {
                protected override void Configure()
                {
                    RequireOne("greeting");
                    Log("Pre sub");
                    Add(new LogSub());
                    Log("Post sub");
                }

                protected override void Verify() => Log($"{this} verify: asdf=None");
            }

            public class LogSub : Component
            {
                protected override void Configure() => Log("Sub!");
            }
            """)
        .Environment("order", Local + "[hosts]\nlocalhost = consumer, provider\n")
        .Environment("lone", Local + "[hosts]\nlocalhost = provider\n")
        .Environment("hostfiltered", Local + "[hosts]\nhost1 = hostconsumer, needsunrelated\nhost2 = provider\n")
        .Environment("multihost", Local + "[hosts]\nhost1 = consumer, provider\nhost2 = consumer, provider\n")
        .Environment("greedy", Local + "[hosts]\nhost1 = provider, greedy\nhost2 = provider\n")
        .Environment("cycle", Local + "[hosts]\nlocalhost = cycle1, cycle2\n")
        .Environment("dirty", Local + "[hosts]\nlocalhost = dirty1, dirty2\n")
        .Environment("broken", Local + "[hosts]\nlocalhost = broken\n")
        .Environment("logs", Local + "[hosts]\nhost1 = loghello\nhost2 = logprovider\n");

    private DeploymentResult Check(string environment) => _repo.Deploy(environment, DeploymentMode.ConsistencyOnly);

    [Fact]
    public void A_consumer_declared_before_its_provider_gets_the_value_and_depends_on_it()
    {
        var result = Check("order");
        Assert.True(result.Success, result.ToString());
        Assert.Equal(["consumer on localhost got [42]"], result.ConfigureLogs());
        Assert.Equal(["localhost:provider"], result.Root("localhost", "consumer").DependsOn);
        Assert.Empty(result.Root("localhost", "provider").DependsOn);
        Assert.Equal(["provider", "consumer"], result.Of<ModelConfigured>().Single().Roots.Select(r => r.Component));
    }

    [Fact]
    public void A_provider_without_consumer_is_exactly_one_UnusedResources_error_naming_key_component_and_location()
    {
        var result = Check("lone");
        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal("UnusedResources", error.Kind);
        Assert.Contains("Resource \"the-answer\" provided by localhost:provider with value ['42']", error.Body, StringComparison.Ordinal);
        Assert.Equal("localhost", error.Host);
        Assert.Equal("provider", error.Component);
        Assert.Equal(Path.Combine("components", "provider", "component.cs"), error.File);
        Assert.Equal(5, error.Line);
    }

    [Fact]
    public void A_host_filtered_requirement_without_provider_on_that_host_is_unsatisfied_and_does_not_converge()
    {
        var result = Check("hostfiltered");
        Assert.False(result.Success);
        Assert.Equal(["UnsatisfiedResources", "NonConvergingWorkingSet"], result.Kinds());
        var unsatisfied = result.Error("UnsatisfiedResources");
        Assert.Contains("Resource \"the-answer\" required by host1:hostconsumer for host host1", unsatisfied.Body, StringComparison.Ordinal);
        Assert.Contains("Resource \"unrelated\" required by host1:needsunrelated", unsatisfied.Body, StringComparison.Ordinal);
        Assert.Equal("host1", unsatisfied.Host);
        Assert.Equal(Path.Combine("components", "hostconsumer", "component.cs"), unsatisfied.File);
        Assert.Equal(5, unsatisfied.Line);
        var nonConverging = result.Error("NonConvergingWorkingSet");
        Assert.Contains("host1:hostconsumer", nonConverging.Message, StringComparison.Ordinal);
        Assert.Contains("host1:needsunrelated", nonConverging.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("provider", nonConverging.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unfiltered_consumers_on_several_hosts_depend_on_the_providers_of_all_hosts()
    {
        var result = Check("multihost");
        Assert.True(result.Success, result.ToString());
        foreach (var host in new[] { "host1", "host2" })
            Assert.Equal(["host1:provider", "host2:provider"], result.Root(host, "consumer").DependsOn.Order());
        Assert.Equal(["consumer on host1 got [42,42]", "consumer on host2 got [42,42]"], result.ConfigureLogs().Order());
        var order = result.Of<ModelConfigured>().Single().Roots.Select(r => r.Component).ToList();
        Assert.True(order.LastIndexOf("provider") < order.IndexOf("consumer"), string.Join(", ", order));
    }

    [Fact]
    public void RequireOne_with_several_values_is_an_error_naming_component_host_and_line()
    {
        var result = Check("greedy");
        Assert.False(result.Success);
        var error = result.Error("ConfigurationError");
        Assert.Contains("Expected only one result, got multiple for (key=the-answer, host=None)", error.Message, StringComparison.Ordinal);
        Assert.Equal("greedy", error.Component);
        Assert.Equal("host1", error.Host);
        Assert.Equal(Path.Combine("components", "greedy", "component.cs"), error.File);
        Assert.Equal(5, error.Line);
    }

    [Fact]
    public void A_dependency_cycle_is_reported_with_the_cycle_and_does_not_converge()
    {
        var result = Check("cycle");
        Assert.False(result.Success);
        Assert.Equal(["CycleErrorDetected", "NonConvergingWorkingSet"], result.Kinds());
        var cycle = result.Error("CycleErrorDetected");
        Assert.Contains("localhost:cycle1 depends on\n        localhost:cycle2", cycle.Body, StringComparison.Ordinal);
        Assert.Contains("localhost:cycle2 depends on\n        localhost:cycle1", cycle.Body, StringComparison.Ordinal);
        Assert.Equal("localhost", cycle.Host);
    }

    [Fact]
    public void A_reverse_dirty_requirement_breaks_the_cycle()
    {
        var result = Check("dirty");
        Assert.True(result.Success, result.ToString());
        Assert.Empty(result.Errors);
        Assert.Empty(result.Root("localhost", "dirty1").DependsOn);
        Assert.Equal(["localhost:dirty1"], result.Root("localhost", "dirty2").DependsOn);
    }

    [Fact]
    public void An_exception_in_Configure_names_component_exception_and_source_line_and_does_not_converge()
    {
        var result = Check("broken");
        Assert.False(result.Success);
        Assert.Equal(["UnknownComponentConfigurationError", "NonConvergingWorkingSet"], result.Kinds());
        var error = result.Error("UnknownComponentConfigurationError");
        Assert.Equal("broken", error.Component);
        Assert.Equal("localhost", error.Host);
        Assert.StartsWith("KeyNotFoundException", error.Detail("Exception"), StringComparison.Ordinal);
        Assert.Equal(Path.Combine("components", "broken", "component.cs"), error.File);
        Assert.Equal(6, error.Line);
        Assert.Contains("component.cs:6", error.Detail("Location"), StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_logs_are_reported_once_in_dependency_order_and_verify_logs_carry_the_host()
    {
        var result = _repo.Deploy("logs");
        Assert.True(result.Success, result.ToString());
        Assert.Equal(["Provide", "Pre sub", "Sub!", "Post sub"], result.ConfigureLogs());
        var verify = Assert.Single(result.Of<LogLine>());
        Assert.Equal("host1", verify.Host);
        Assert.Equal("<LogHello (host1) \"LogHello\"> verify: asdf=None", verify.Text);
    }

    public void Dispose() => _repo.Dispose();
}
