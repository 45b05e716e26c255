using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;
using Batou.Engine.Tests.Model;

namespace Batou.Engine.Tests.Planning;

/// <summary>
/// <see cref="DeploymentRequest.Only"/> (<c>--only</c>, the dashboard's "Retry failed"): the whole model is configured,
/// only the selected roots verify and update, in the usual order; unknown names are refused before anything runs.
/// </summary>
public sealed class RootSelectionTests : IDisposable
{
    private const string Local = "[environment]\nconnect_method = local\n";

    private readonly TestRepository _repo = new TestRepository()
        .Component("roots", """
            public class Provider : Component
            {
                protected override void Configure() => Provide("port", 8080);
                protected override void Verify() { Log($"provider verify on {Host.Name}"); throw new UpdateNeeded("always"); }
                protected override void Update() => Log($"provider update on {Host.Name}");
            }

            public class Consumer : Component
            {
                protected override void Configure() => Log("consumer got " + string.Join(",", Require<int>("port")));
                protected override void Verify() { Log($"consumer verify on {Host.Name}"); throw new UpdateNeeded("always"); }
                protected override void Update() => Log($"consumer update on {Host.Name}");
            }

            public class Extra : Component
            {
                protected override void Verify() => Log($"extra verify on {Host.Name}");
            }
            """)
        .Environment("multi", Local + "[hosts]\nhost1 = consumer, extra\nhost2 = provider, extra\n");

    private Task<DeploymentResult> DeployAsync(params string[] only) =>
        TestRepository.DeployAsync(new DeploymentRequest(_repo.Root, "multi") { Only = only });

    [Fact]
    public async Task Only_the_selected_roots_verify_and_update_and_the_model_is_configured_whole()
    {
        var result = await DeployAsync("consumer@host1", "extra@host2");
        Assert.True(result.Success, result.ToString());
        // the consumer on host1 still got the value the (unselected) provider on host2 provides
        Assert.Contains("consumer got 8080", result.Of<ConfigureLog>().Select(l => l.Text));
        Assert.Equal(4, result.Of<ModelConfigured>().Single().Roots.Count);
        Assert.Equal(["consumer verify on host1", "consumer update on host1", "extra verify on host2"], result.DeployLogs());
        Assert.Equal(["host1:consumer", "host2:extra"], result.Of<RootScheduled>().Select(s => $"{s.Host}:{s.Component}"));
        var skipped = result.Of<RootSkipped>().ToList();
        Assert.Equal(["host1:extra", "host2:provider"], skipped.Select(s => $"{s.Host}:{s.Component}").Order());
        Assert.All(skipped, s => Assert.Equal(DeploymentRequest.NotSelected, s.Reason));
    }

    [Fact]
    public async Task The_selected_roots_run_in_the_order_of_a_full_deployment()
    {
        var full = await DeployAsync();
        Assert.True(full.Success, full.ToString());
        var order = full.Of<RootScheduled>().Select(s => $"{s.Component}@{s.Host}").ToList();
        Assert.Equal(4, order.Count);
        Assert.True(order.IndexOf("provider@host2") < order.IndexOf("consumer@host1"), string.Join(", ", order));

        // selected in the reverse order: still the provider first
        var some = await DeployAsync("consumer@host1", "provider@host2");
        Assert.True(some.Success, some.ToString());
        Assert.Equal(["provider@host2", "consumer@host1"], some.Of<RootScheduled>().Select(s => $"{s.Component}@{s.Host}"));
        Assert.Equal(["provider verify on host2", "provider update on host2", "consumer verify on host1", "consumer update on host1"], some.DeployLogs());
    }

    [Fact]
    public async Task A_host_selects_every_root_of_that_host()
    {
        var result = await DeployAsync("HOST2");
        Assert.True(result.Success, result.ToString());
        Assert.Equal(["host2:provider", "host2:extra"], result.Of<RootScheduled>().Select(s => $"{s.Host}:{s.Component}"));
        Assert.DoesNotContain(result.DeployLogs(), l => l.EndsWith("on host1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_roots_and_hosts_are_named_and_nothing_runs()
    {
        var result = await DeployAsync("consumer@host2", "host9", "extra@host1");
        Assert.False(result.Success);
        Assert.Equal(Phase.Load, result.Finished.FailedDuring);
        var errors = result.Errors.Where(e => e.Kind == "UnknownSelection").ToList();
        Assert.Equal(2, errors.Count);
        Assert.Equal("Unknown root in the selection", errors[0].Message);
        Assert.Equal("consumer@host2", errors[0].Detail("Selected"));
        Assert.Contains("consumer@host1", errors[0].Detail("Roots"), StringComparison.Ordinal);
        Assert.Equal("Unknown host in the selection", errors[1].Message);
        Assert.Equal("host9", errors[1].Detail("Selected"));
        Assert.Equal("multi", errors[1].Detail("Environment"));
        Assert.Empty(result.Of<RootScheduled>());
        Assert.Empty(result.DeployLogs());
    }

    [Fact]
    public void The_cli_takes_only_as_a_comma_separated_list()
    {
        var (code, stdout, stderr) = Fixtures.Cli.Run(_repo.Root, "deploy", "--only", "extra@host1,extra@host2", "multi");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("extra verify on host1", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("consumer verify", stdout, StringComparison.Ordinal);

        var (bad, output, errors) = Fixtures.Cli.Run(_repo.Root, "deploy", "--only", "nothing@host1", "multi");
        Assert.Equal(1, bad);
        Assert.Contains("Unknown root in the selection", output + errors, StringComparison.Ordinal);
    }

    public void Dispose() => _repo.Dispose();
}
