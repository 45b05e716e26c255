using System.Diagnostics;
using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Isolation;

/// <summary>What an engine process started dies with it: on timeout, on cancel, when the caller disposes it.</summary>
public sealed class ProcessGroupTests : IDisposable
{
    private readonly TestRepository _repo = new();

    /// <summary>A component that starts a long <c>sleep</c>, writes its pid to <paramref name="pidFile"/>, then loops (in Configure or in Update).</summary>
    private void SleeperComponent(string pidFile, bool inUpdate)
    {
        var body = $$"""
                var sleep = System.Diagnostics.Process.Start("sleep", "1000")!;
                System.IO.File.WriteAllText("{{pidFile}}", sleep.Id + "\n");
                while (true) { }
            """;
        _repo.Component("sleeper", inUpdate
            ? $$"""
                public class Sleeper : Component
                {
                    protected override void Verify() => throw new UpdateNeeded();
                    protected override void Update()
                    {
                        {{body}}
                    }
                }
                """
            : $$"""
                public class Sleeper : Component
                {
                    protected override void Configure()
                    {
                        {{body}}
                    }
                }
                """).LocalEnvironment("sleeper");
    }

    [Fact]
    public async Task A_timed_out_describe_takes_the_processes_its_component_started_with_it()
    {
        var pidFile = _repo.PathOf("sleep.pid");
        SleeperComponent(pidFile, inUpdate: false);
        using var engine = Isolated.Engine(new EngineProcessOptions { DescribeLimit = TimeSpan.FromSeconds(20) });
        var overview = await engine.DescribeAsync(_repo.Root, "test");
        Assert.Equal("EngineProcessTimeout", Assert.Single(overview.Errors).Kind);
        var pid = int.Parse(Isolated.WaitForFile(pidFile, 1));
        Assert.False(Isolated.Running(pid), $"sleep {pid} outlived its engine process");
    }

    [Fact]
    public async Task A_cancelled_run_is_killed_after_its_grace_with_everything_it_started()
    {
        var pidFile = _repo.PathOf("sleep.pid");
        SleeperComponent(pidFile, inUpdate: true);
        using var engine = Isolated.Engine(new EngineProcessOptions { CancelGrace = TimeSpan.FromSeconds(2) });
        using var cancel = new CancellationTokenSource();
        var run = engine.RunToEndAsync(new DeploymentRequest(_repo.Root, "test"), cancel.Token);
        var pid = int.Parse(Isolated.WaitForFile(pidFile));
        Assert.True(Isolated.Running(pid));
        var watch = Stopwatch.StartNew();
        await cancel.CancelAsync();
        var result = await run;
        Assert.InRange(watch.Elapsed.TotalSeconds, 1.5, 15);
        Assert.False(result.Success);
        var error = result.Error("Cancelled");
        Assert.Contains("while deploying sleeper on localhost", error.Message);
        Assert.False(Isolated.Running(pid), $"sleep {pid} outlived its engine process");
    }

    [Fact]
    public async Task Disposing_the_client_kills_running_engines_and_their_children()
    {
        var pidFile = _repo.PathOf("sleep.pid");
        SleeperComponent(pidFile, inUpdate: true);
        var engine = Isolated.Engine();
        var run = engine.RunToEndAsync(new DeploymentRequest(_repo.Root, "test"));
        var pid = int.Parse(Isolated.WaitForFile(pidFile));
        engine.Dispose();
        var result = await run;
        Assert.False(result.Success);
        Assert.Equal("EngineProcessEnded", Assert.Single(result.Errors).Kind);
        Assert.False(Isolated.Running(pid), $"sleep {pid} outlived its engine process");
    }

    public void Dispose() => _repo.Dispose();
}
