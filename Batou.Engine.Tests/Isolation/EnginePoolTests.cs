using System.Diagnostics;
using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Isolation;

/// <summary>
/// A pool of started, warmed-up <c>batou engine</c> processes (<see cref="EngineProcessOptions.PoolSize"/>): each
/// serves one request and is never reused, the pool refills, and crashes, endless loops and disposal behave as
/// without a pool.
/// </summary>
public sealed class EnginePoolTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private static EngineProcess Pooled(int size = 1, EngineProcessOptions? options = null) =>
        Isolated.Engine((options ?? new EngineProcessOptions()) with { PoolSize = size });

    /// <summary>Waits until the pool holds <paramref name="count"/> idle processes other than <paramref name="not"/>.</summary>
    private static IReadOnlyList<int> WaitForIdle(EngineProcess engine, int count = 1, int[]? not = null)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            var idle = engine.IdlePids.Where(p => not?.Contains(p) != true).ToList();
            if (idle.Count >= count) return idle;
            Thread.Sleep(50);
        }
        throw new TimeoutException($"the pool did not fill: {string.Join(", ", engine.IdlePids)}");
    }

    /// <summary>A component that appends the id of the process configuring it to <paramref name="pidFile"/>.</summary>
    private void PidComponent(string pidFile) =>
        _repo.Component("who", $$"""
            public class Who : Component
            {
                protected override void Configure()
                {
                    System.IO.File.AppendAllText("{{pidFile}}", System.Environment.ProcessId + "\n");
                    Add(new File("who") { Content = "me" });
                }
            }
            """).LocalEnvironment("who");

    private static int LastPid(string pidFile) => int.Parse(File.ReadAllLines(pidFile)[^1]);

    [Fact]
    public async Task A_pooled_process_serves_one_request_is_never_reused_and_the_pool_refills()
    {
        var pidFile = _repo.PathOf("pids");
        PidComponent(pidFile);
        using var engine = Pooled();
        var first = Assert.Single(WaitForIdle(engine));

        var overview = await engine.DescribeAsync(_repo.Root, "test");
        Assert.Empty(overview.Errors);
        Assert.Equal(first, LastPid(pidFile));   // served by the process that waited in the pool

        var second = Assert.Single(WaitForIdle(engine, not: [first]));   // refilled with a new process
        Assert.DoesNotContain(first, engine.IdlePids);
        var result = await engine.RunToEndAsync(new DeploymentRequest(_repo.Root, "test") { Mode = DeploymentMode.Deploy, Jobs = 1 });
        Assert.True(result.Success, result.ToString());
        Assert.Equal("me", _repo.Read("work/who/who"));
        Assert.Equal(second, LastPid(pidFile));
        Assert.NotEqual(first, second);
        Assert.Equal(2, File.ReadAllLines(pidFile).Distinct().Count());
        Assert.False(Isolated.Running(first), $"pooled engine {first} still runs after its request");
    }

    [Fact]
    public async Task Exit_in_a_pooled_process_is_reported_as_without_a_pool()
    {
        _repo.Component("broken", """
            public class Broken : Component
            {
                protected override void Configure() => System.Environment.Exit(3);
            }
            """).LocalEnvironment("broken");
        using var engine = Pooled();
        WaitForIdle(engine);
        var error = Assert.Single((await engine.DescribeAsync(_repo.Root, "test")).Errors);
        Assert.Equal("EngineProcessEnded", error.Kind);
        Assert.Equal("The component process ended with exit code 3 while configuring broken on localhost", error.Message);

        WaitForIdle(engine);
        var run = await engine.RunToEndAsync(new DeploymentRequest(_repo.Root, "test"));
        Assert.False(run.Success);
        Assert.Equal("The component process ended with exit code 3 while configuring broken on localhost", run.Error("EngineProcessEnded").Message);
        Assert.IsType<DeploymentFinished>(run.Events[^1]);
    }

    [Fact]
    public async Task An_endless_loop_in_a_pooled_process_is_killed_at_the_limit_counted_from_the_request()
    {
        _repo.Component("broken", """
            public class Broken : Component
            {
                protected override void Configure() { while (true) { } }
            }
            """).LocalEnvironment("broken");
        // compiled ahead (not run): the 5 s are for configure, not for Roslyn on a loaded machine
        var compileErrors = new List<BatouError>();
        Batou.Engine.Loading.ComponentLoader.Load(_repo.Root, compileErrors);
        Assert.Empty(compileErrors);
        using var engine = Pooled(options: new EngineProcessOptions { DescribeLimit = TimeSpan.FromSeconds(5) });
        var pid = Assert.Single(WaitForIdle(engine));
        Thread.Sleep(TimeSpan.FromSeconds(6));   // idle longer than the limit: the clock starts with the request
        var watch = Stopwatch.StartNew();
        var error = Assert.Single((await engine.DescribeAsync(_repo.Root, "test")).Errors);
        Assert.Equal("EngineProcessTimeout", error.Kind);
        Assert.Equal("The component process did not finish within 5s while configuring broken on localhost and was killed", error.Message);
        Assert.InRange(watch.Elapsed.TotalSeconds, 4.5, 25);
        Assert.False(Isolated.Running(pid));
    }

    [Fact]
    public void Disposing_kills_the_idle_processes()
    {
        var engine = Pooled(size: 2);
        var idle = WaitForIdle(engine, count: 2);
        Assert.All(idle, pid => Assert.True(Isolated.Running(pid)));
        engine.Dispose();
        var until = DateTime.UtcNow.AddSeconds(10);
        while (idle.Any(Isolated.Running) && DateTime.UtcNow < until) Thread.Sleep(50);
        Assert.DoesNotContain(idle, Isolated.Running);
        Assert.Empty(engine.IdlePids);
    }

    [Fact]
    public void An_idle_process_past_its_lifetime_is_replaced()
    {
        using var engine = Pooled(options: new EngineProcessOptions { PoolIdleLifetime = TimeSpan.FromSeconds(2) });
        var first = Assert.Single(WaitForIdle(engine));
        var next = Assert.Single(WaitForIdle(engine, not: [first]));
        Assert.NotEqual(first, next);
        var until = DateTime.UtcNow.AddSeconds(10);
        while (Isolated.Running(first) && DateTime.UtcNow < until) Thread.Sleep(50);
        Assert.False(Isolated.Running(first), $"expired engine {first} still runs");
    }

    [Fact]
    public void Bad_pool_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EngineProcess(new EngineProcessOptions { PoolSize = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EngineProcess(new EngineProcessOptions { PoolSize = 1, PoolIdleLifetime = TimeSpan.Zero }));
    }

    public void Dispose() => _repo.Dispose();
}
