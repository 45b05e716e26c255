using System.Diagnostics;
using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Isolation;

/// <summary>
/// Repository code that would take its process down (exit, stack overflow, a crashing thread, an
/// endless loop) runs in <c>batou engine</c>: the error names component and host, this process lives on.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private readonly TestRepository _repo = new();
    private readonly EngineProcess _engine = Isolated.Engine(new EngineProcessOptions { DescribeLimit = TimeSpan.FromSeconds(60) });

    private async Task<BatouError> DescribeError(string configure)
    {
        _repo.Component("broken", $$"""
            public class Broken : Component
            {
                protected override void Configure()
                {
                    {{configure}}
                }
            }
            """).LocalEnvironment("broken");
        var overview = await _engine.DescribeAsync(_repo.Root, "test");
        Assert.Empty(overview.Roots);
        return Assert.Single(overview.Errors);
    }

    [Fact]
    public async Task Environment_exit_in_configure_is_an_error_naming_component_and_host()
    {
        var error = await DescribeError("System.Environment.Exit(3);");
        Assert.Equal("EngineProcessEnded", error.Kind);
        Assert.Equal("The component process ended with exit code 3 while configuring broken on localhost", error.Message);
        Assert.Equal("broken", error.Component);
        Assert.Equal("localhost", error.Host);
    }

    [Fact]
    public async Task Stack_overflow_in_configure_is_an_error_naming_component_and_host()
    {
        _repo.Write("components/broken/deep.cs", "public static class Deep { public static int Down(int n) => Down(n + 1) + 1; }\n");
        var error = await DescribeError("Deep.Down(0);");
        Assert.Equal("EngineProcessEnded", error.Kind);
        Assert.Contains("(stack overflow) while configuring broken on localhost", error.Message);
        Assert.Equal("broken", error.Component);
    }

    [Fact]
    public async Task Fail_fast_in_configure_is_named_as_such_not_as_a_stack_overflow()
    {
        var error = await DescribeError("System.Environment.FailFast(\"component gave up\");");
        Assert.Equal("EngineProcessEnded", error.Kind);
        Assert.Equal("The component process ended with exit code 134 (Environment.FailFast) while configuring broken on localhost", error.Message);
        Assert.DoesNotContain("gave up", error.ToString(), StringComparison.Ordinal);   // its text may hold anything: stderr is never shown
    }

    [Fact]
    public async Task Exception_on_a_thread_a_component_started_is_an_error_with_its_location()
    {
        var error = await DescribeError("""
            new System.Threading.Thread(() => throw new System.InvalidOperationException("boom from a thread")).Start();
                    System.Threading.Thread.Sleep(30000);
            """);
        Assert.Equal("EngineProcessEnded", error.Kind);
        Assert.Contains("(an uncaught exception on another thread) while configuring broken on localhost", error.Message);
        Assert.Contains(error.Details, d => d.Label == "Exception" && d.Value == "InvalidOperationException: boom from a thread");
        Assert.Equal("components/broken/component.cs", error.File);
        Assert.Equal(5, error.Line);
        Assert.Equal("localhost", error.Host);
    }

    [Fact]
    public async Task Endless_loop_in_configure_is_killed_at_the_limit()
    {
        using var engine = Isolated.Engine(new EngineProcessOptions { DescribeLimit = TimeSpan.FromSeconds(20) });
        _repo.Component("broken", """
            public class Broken : Component
            {
                protected override void Configure() { while (true) { } }
            }
            """).LocalEnvironment("broken");
        var watch = Stopwatch.StartNew();
        var overview = await engine.DescribeAsync(_repo.Root, "test");
        var error = Assert.Single(overview.Errors);
        Assert.Equal("EngineProcessTimeout", error.Kind);
        Assert.Equal("The component process did not finish within 20s while configuring broken on localhost and was killed", error.Message);
        Assert.InRange(watch.Elapsed.TotalSeconds, 19, 35);
    }

    [Fact]
    public async Task A_run_whose_component_exits_ends_with_an_error_and_a_finished_event()
    {
        _repo.Component("broken", """
            public class Broken : Component
            {
                protected override void Configure() => System.Environment.Exit(7);
            }
            """).LocalEnvironment("broken");
        var result = await _engine.RunToEndAsync(new DeploymentRequest(_repo.Root, "test"));
        Assert.False(result.Success);
        var error = result.Error("EngineProcessEnded");
        Assert.Equal("The component process ended with exit code 7 while configuring broken on localhost", error.Message);
        Assert.Equal(Phase.Connect, result.Finished.FailedDuring);
        Assert.IsType<DeploymentFinished>(result.Events[^1]);
    }

    public void Dispose()
    {
        _engine.Dispose();
        _repo.Dispose();
    }
}
