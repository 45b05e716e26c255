using System.Diagnostics;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Cli;

/// <summary>
/// Repository code that throws on threads of its own, exits the process or loops forever ends the
/// CLI with a clean error naming the component: exit code 1, no runtime dump, no hang.
/// </summary>
public sealed class BrokenComponentTests : IDisposable
{
    private readonly TestRepository _repo = new();

    private (int Code, string Out, TimeSpan Took) Deploy(string code, string extra = "")
    {
        _repo.Component("broken", code).LocalEnvironment("broken", extra);
        var clock = Stopwatch.StartNew();
        var (exit, stdout, stderr) = Fixtures.Cli.Run(_repo.Root, ["deploy", "test"]);
        var all = stdout + stderr;
        Assert.DoesNotContain("Unhandled exception", all);
        Assert.DoesNotContain("   at ", all);
        Assert.Equal(1, exit);
        return (exit, all, clock.Elapsed);
    }

    [Theory]
    [InlineData("configure", "protected override void Configure() { new Thread(() => throw new InvalidOperationException(\"boom on a thread\")).Start(); Thread.Sleep(3000); }")]
    [InlineData("update", "protected override void Verify() => throw new UpdateNeeded(\"go\"); protected override void Update() { ThreadPool.QueueUserWorkItem(_ => throw new InvalidOperationException(\"boom on a thread\")); Thread.Sleep(3000); }")]
    [InlineData("verify", "protected override void Verify() { var t = new System.Threading.Timer(_ => throw new InvalidOperationException(\"boom on a thread\"), null, 10, Timeout.Infinite); Thread.Sleep(3000); GC.KeepAlive(t); }")]
    public void An_exception_on_a_thread_a_component_started_names_the_component(string step, string body)
    {
        var (_, output, _) = Deploy($"public sealed class Broken : Component {{ {body} }}");
        Assert.Contains("let an exception escape on a thread of its own", output);
        Assert.Contains($"Component: Broken on host localhost ({step})", output);
        Assert.Contains("InvalidOperationException: boom on a thread", output);
        Assert.Contains("DEPLOYMENT FAILED", output);
    }

    [Theory]
    [InlineData("configure", 0, "protected override void Configure() => System.Environment.Exit(0);")]
    [InlineData("verify", 3, "protected override void Verify() => System.Environment.Exit(3);")]
    [InlineData("update", 0, "protected override void Verify() => throw new UpdateNeeded(\"go\"); protected override void Update() => System.Environment.Exit(0);")]
    public void Environment_Exit_in_a_component_is_reported_naming_it_and_fails(string step, int code, string body)
    {
        var (_, output, _) = Deploy($"public sealed class Broken : Component {{ {body} }}");
        Assert.Contains($"ERROR: Component Broken on host localhost ({step}) ended the process with Environment.Exit({code})", output);
        Assert.Contains("DEPLOYMENT FAILED", output);
    }

    [Fact]
    public void An_endless_loop_in_configure_ends_at_the_environment_timeout_naming_the_component()
    {
        _repo.Component("broken", "public sealed class Broken : Component { protected override void Configure() { while (true) { } } }")
            .Environment("test", "[environment]\nconnect_method = local\ntimeout = 3s\n\n[hosts]\nlocalhost = broken\n");
        var clock = Stopwatch.StartNew();
        var (exit, stdout, stderr) = Fixtures.Cli.Run(_repo.Root, ["deploy", "test"]);
        Assert.Equal(1, exit);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Contains("ERROR: The configure step did not finish within the environment's `timeout`", stdout);
        Assert.Contains("Component: Broken on host localhost (configure)", stdout);
        Assert.Contains("Limit: 3s (environment setting `timeout`)", stdout);
        Assert.Contains("DEPLOYMENT FAILED (during connect)", stdout);
        Assert.DoesNotContain("   at ", stdout + stderr);
    }

    [Fact]
    public void An_exception_whose_message_throws_is_still_reported_naming_the_component()
    {
        var (_, output, _) = Deploy("""
            public sealed class Broken : Component
            {
                protected override void Verify() => throw new UpdateNeeded("go");
                protected override void Update() => throw new Worse();
            }
            public sealed class Worse : Exception { public override string Message => throw new InvalidOperationException("no message"); }
            """);
        Assert.Contains("ERROR: Worse: (its Message threw InvalidOperationException)", output);
        Assert.Contains("Component: Broken", output);
    }

    [Theory]
    [InlineData("public sealed class Broken : Component { public Broken() { throw new InvalidOperationException(\"from the constructor\"); } }", "")]
    [InlineData("public sealed class Broken : Component { static Broken() { throw new InvalidOperationException(\"from the constructor\"); } }", "")]
    [InlineData("public sealed class Broken : Component { public int Port { get => 1; set => throw new InvalidOperationException(\"from the constructor\"); } }", "[component:broken]\nport = 2\n")]
    public void What_a_constructor_or_setter_throws_is_reported_not_the_reflection_wrapper(string code, string extra)
    {
        var (_, output, _) = Deploy(code, extra);
        Assert.Contains("Exception: InvalidOperationException: from the constructor", output);
        Assert.DoesNotContain("TargetInvocationException", output);
    }

    [Fact]
    public void A_component_adding_itself_is_a_configuration_error_not_a_stack_overflow()
    {
        var (_, output, _) = Deploy("public sealed class Broken : Component { protected override void Configure() => Add(this); }");
        Assert.Contains("Broken is added to itself (or to one of its own sub-components) while it configures", output);
        Assert.Contains("Component: broken", output);
        Assert.DoesNotContain("Stack overflow", output);
    }

    [Fact]
    public void A_foreground_thread_left_running_does_not_keep_the_cli_alive()
    {
        _repo.Component("busy", "public sealed class Busy : Component { protected override void Configure() { new Thread(() => { while (true) Thread.Sleep(100); }).Start(); Add(new File(\"done\") { Content = \"x\" }); } }")
            .LocalEnvironment("busy");
        var clock = Stopwatch.StartNew();
        var (exit, stdout, _) = Fixtures.Cli.Run(_repo.Root, ["deploy", "test"]);
        Assert.True(exit == 0, stdout);
        Assert.Contains("DEPLOYMENT FINISHED", stdout);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    public void Dispose() => _repo.Dispose();
}
