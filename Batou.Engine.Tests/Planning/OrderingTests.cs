using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Planning;

/// <summary>Root scheduling: dependencies, <c>-j</c> parallelism, stopping after the first failure.</summary>
public sealed class OrderingTests : IDisposable
{
    private const string Local = "[environment]\nconnect_method = local\n";

    private readonly TestRepository _repo = new TestRepository()
        .Component("roots", """
            public class Base : Component
            {
                protected override void Configure() => Provide("base", "value");
                protected override void Verify() => Thread.Sleep(300);
            }

            public class App : Component
            {
                protected override void Configure() => Require("base");
            }

            public class Indep1 : Component
            {
                protected override void Verify() => Thread.Sleep(400);
            }

            public class Indep2 : Component
            {
                protected override void Verify() => Thread.Sleep(400);
            }

            public class Failing : Component
            {
                protected override void Verify() => throw new UpdateNeeded("always");
                protected override void Update() => Cmd("echo out; echo err >&2; exit 3");
            }

            public class Later : Component
            {
                protected override void Verify() => Log("later ran");
            }
            """)
        .Environment("deps", Local + "\n[hosts]\nlocalhost = app, base\n")
        .Environment("independent", Local + "\n[hosts]\nlocalhost = indep1, indep2\n")
        .Environment("parallel", Local + "jobs = 2\n\n[hosts]\nlocalhost = indep1, indep2\n")
        .Environment("failure", Local + "\n[hosts]\nlocalhost = failing, later\n");

    private static int IndexOf<T>(DeploymentResult result, Func<T, bool> match) where T : DeploymentEvent
    {
        for (var i = 0; i < result.Events.Count; i++)
            if (result.Events[i] is T e && match(e)) return i;
        throw new Xunit.Sdk.XunitException($"no matching {typeof(T).Name} in\n{result}");
    }

    private static int Scheduled(DeploymentResult r, string component) => IndexOf<RootScheduled>(r, e => e.Component == component);

    private static int Finished(DeploymentResult r, string component) => IndexOf<RootFinished>(r, e => e.Component == component);

    [Fact]
    public void With_two_jobs_a_consumer_never_starts_before_its_provider_finished()
    {
        var result = _repo.Deploy("deps", jobs: 2);
        Assert.True(result.Success, result.ToString());
        Assert.True(Finished(result, "base") < Scheduled(result, "app"), result.ToString());
    }

    [Fact]
    public void With_two_jobs_independent_roots_overlap()
    {
        var result = _repo.Deploy("independent", jobs: 2);
        Assert.True(result.Success, result.ToString());
        Assert.Equal(2, result.Of<DeploymentStarted>().Single().Jobs);
        var firstFinished = Math.Min(Finished(result, "indep1"), Finished(result, "indep2"));
        Assert.True(Scheduled(result, "indep1") < firstFinished && Scheduled(result, "indep2") < firstFinished, result.ToString());
    }

    [Fact]
    public void With_one_job_independent_roots_run_one_after_the_other()
    {
        var result = _repo.Deploy("independent");
        Assert.True(result.Success, result.ToString());
        Assert.Equal(1, result.Of<DeploymentStarted>().Single().Jobs);
        Assert.True(Finished(result, "indep1") < Scheduled(result, "indep2"), result.ToString());
    }

    [Fact]
    public void The_jobs_setting_of_the_environment_is_used_when_the_request_gives_none()
    {
        var result = _repo.Deploy("parallel");
        Assert.True(result.Success, result.ToString());
        Assert.Equal(2, result.Of<DeploymentStarted>().Single().Jobs);
        var firstFinished = Math.Min(Finished(result, "indep1"), Finished(result, "indep2"));
        Assert.True(Scheduled(result, "indep2") < firstFinished, result.ToString());
    }

    [Fact]
    public void The_first_failure_stops_scheduling_and_the_deployment_fails_during_deploy()
    {
        var result = _repo.Deploy("failure");
        Assert.False(result.Success);
        Assert.Equal(Phase.Deploy, result.Finished.FailedDuring);
        var failed = Assert.Single(result.Of<RootFailed>());
        Assert.Equal("failing", failed.Component);
        Assert.DoesNotContain(result.Of<RootScheduled>(), s => s.Component == "later");
        Assert.DoesNotContain("later ran", result.DeployLogs());
        var skipped = Assert.Single(result.Of<RootSkipped>());
        Assert.Equal("later", skipped.Component);
        var error = failed.Error;
        Assert.Equal("localhost", error.Host);
        Assert.Equal("Failing", error.Component);
        Assert.Equal("3", error.Detail("Return code"));
        Assert.Equal(Path.Combine("components", "roots", "component.cs"), error.File);
        Assert.Equal(25, error.Line);
        Assert.Contains("STDOUT\nout", error.Body, StringComparison.Ordinal);
        Assert.Contains("STDERR\nerr", error.Body, StringComparison.Ordinal);
    }

    public void Dispose() => _repo.Dispose();
}
