using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Isolation;

/// <summary>Through <c>batou engine</c> the API answers as in process: overviews, environments, the event stream.</summary>
public sealed class EngineProcessTests : IDisposable
{
    private readonly TestRepository _repo = new TestRepository()
        .Component("hello", """
            public class Hello : Component
            {
                public string Greeting { get; set; } = "hello";
                public string Who { get; set; } = "";
                protected override void Configure()
                {
                    // noise on stdout must not break the protocol
                    System.Console.WriteLine("{\"$type\":\"done\"}");
                    System.Console.Out.Flush();
                    Who = System.Environment.UserName;
                    Add(new File("hello") { Content = Greeting });
                }
            }
            """)
        .LocalEnvironment("hello", "\n[component:hello]\ngreeting = hi there\n");

    private readonly EngineProcess _engine = Isolated.Engine();

    [Fact]
    public async Task Describe_gives_the_same_overview_as_in_process()
    {
        using var salted = Isolated.Engine(new EngineProcessOptions { SecretSalt = "salt" });
        var isolated = await salted.DescribeAsync(_repo.Root, "test");
        var inProcess = BatouEngine.Describe(_repo.Root, "test", "salt");
        Assert.Empty(isolated.Errors);
        Assert.NotNull(isolated.Fingerprint);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(inProcess, EventJson.Options),
            System.Text.Json.JsonSerializer.Serialize(isolated, EventJson.Options));
        Assert.Equal("hi there", isolated.Roots[0].Settings["greeting"]);
    }

    [Fact]
    public async Task Environments_are_listed()
    {
        _repo.LocalEnvironment("hello", name: "other");
        Assert.Equal(["other", "test"], await _engine.EnvironmentsAsync(_repo.Root));
    }

    [Fact]
    public async Task A_run_streams_the_engines_events_and_deploys()
    {
        var result = await _engine.RunToEndAsync(new DeploymentRequest(_repo.Root, "test") { Mode = DeploymentMode.Deploy, Jobs = 1 });
        Assert.True(result.Success, result.ToString());
        Assert.IsType<DeploymentStarted>(result.Events[0]);
        Assert.Contains(result.Updated, u => u.StartsWith("Hello > File('work/hello/hello')", StringComparison.Ordinal));
        Assert.Equal("hi there", _repo.Read("work/hello/hello"));

        var predicted = await _engine.RunToEndAsync(new DeploymentRequest(_repo.Root, "test") { Mode = DeploymentMode.Predict });
        Assert.True(predicted.Success);
        Assert.Equal(DeploymentMode.Predict, predicted.Finished.Mode);
        Assert.Empty(predicted.Updated);
    }

    [Fact]
    public async Task A_missing_executable_is_a_clear_error()
    {
        using var engine = new EngineProcess(new EngineProcessOptions { Executable = "/nonexistent/batou" });
        var error = await Assert.ThrowsAsync<BatouException>(() => engine.DescribeAsync(_repo.Root, "test"));
        Assert.Equal("EngineProcessNotStarted", Assert.Single(error.Errors).Kind);
        Assert.Contains("/nonexistent/batou", error.Message);
    }

    [Fact]
    public async Task The_engine_can_run_as_another_user()
    {
        if (System.Environment.UserName != "root") return;   // runuser needs root; sudo is documented
        System.Diagnostics.Process.Start("chown", ["-R", "batou-host1:batou-host1", _repo.Root])!.WaitForExit();
        using var engine = Isolated.Engine(new EngineProcessOptions { User = "batou-host1" });
        var overview = await engine.DescribeAsync(_repo.Root, "test");
        Assert.Empty(overview.Errors);
        Assert.Equal("batou-host1", overview.Roots[0].Settings["who"]);
    }

    public void Dispose()
    {
        _engine.Dispose();
        _repo.Dispose();
    }
}
