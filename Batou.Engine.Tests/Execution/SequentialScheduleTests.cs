using Batou.Engine.Api;
using Batou.Engine.Configuration;
using Batou.Engine.Execution;
using Batou.Engine.Loading;
using Batou.Engine.Planning;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Execution;

/// <summary>
/// With one job the roots are scheduled on the run's own thread (<c>RootScheduler.Sequential.cs</c>), not by one async
/// method per root: the same model, scheduled both ways with one job, gives the same roots in the same order, the same
/// skips and the same failures.
/// </summary>
public sealed class SequentialScheduleTests : IDisposable
{
    private readonly TestRepository _repo = new TestRepository()
        .Component("roots", """
            public class Base : Component
            {
                protected override void Configure() => Provide("base", "value");
                protected override void Verify() => Thread.Sleep(200);   // the roots behind it are all created meanwhile
            }

            public class App : Component
            {
                protected override void Configure() => Require("base");
            }

            public class Indep : Component
            {
                protected override void Verify() => Log("indep ran");
            }

            public class Failing : Component
            {
                protected override void Configure() => Provide("base", "value");
                protected override void Verify() { Thread.Sleep(200); throw new UpdateNeeded("always"); }
                protected override void Update() => Cmd("exit 3");
            }
            """)
        .LocalEnvironment("base, app, indep", name: "queue")
        .LocalEnvironment("app, !indep, base", name: "ignored")
        .LocalEnvironment("failing, app, indep", name: "failure");

    private sealed record Schedule(int Failures, List<DeploymentEvent> Events)
    {
        public List<string> Scheduled => [.. Events.OfType<RootScheduled>().Select(e => e.Component)];
        public List<string> Ended => [.. Events.Where(e => e is RootFinished or RootFailed).Select(e => e is RootFinished f ? f.Component + " finished" : ((RootFailed)e).Component + " failed")];
        public List<string> Skipped => [.. Events.OfType<RootSkipped>().Select(e => $"{e.Component}: {e.Reason}").Order(StringComparer.Ordinal)];
    }

    private Schedule Run(string environment, bool sequential)
    {
        var errors = new List<BatouError>();
        var warnings = new List<BatouError>();
        var config = EnvironmentLoader.Load(_repo.Root, environment, errors, warnings)!;
        var library = ComponentLoader.Load(_repo.Root, errors);
        var model = ModelBuilder.Build(_repo.Root, config, library, null, null, errors);
        Assert.Empty(errors);
        Assert.Empty(ModelConfigurator.Configure(model!).Errors);
        using var connections = new HostConnections(model!, null, _ => { }, CancellationToken.None);
        Assert.True(connections.TryConnectLocal());
        var events = new List<DeploymentEvent>();
        var scheduler = new RootScheduler(model!, connections.Executors, 1, false, e => { lock (events) events.Add(e); }, CancellationToken.None, CancellationToken.None);
        var failures = sequential ? scheduler.Run() : scheduler.RunAsync().GetAwaiter().GetResult();
        return new Schedule(failures, events);
    }

    [Fact]
    public void A_root_waiting_for_the_slot_goes_before_a_dependant_that_became_ready_later()
    {
        var sequential = Run("queue", sequential: true);
        var asynchronous = Run("queue", sequential: false);
        Assert.Equal(["base", "indep", "app"], sequential.Scheduled);
        Assert.Equal(asynchronous.Scheduled, sequential.Scheduled);
        Assert.Equal(asynchronous.Ended, sequential.Ended);
        Assert.Equal(0, sequential.Failures);
    }

    [Fact]
    public void An_ignored_root_is_skipped_and_its_neighbours_run_in_the_same_order()
    {
        var sequential = Run("ignored", sequential: true);
        var asynchronous = Run("ignored", sequential: false);
        Assert.Equal(["base", "app"], sequential.Scheduled);
        Assert.Equal(["indep: Component ignored"], sequential.Skipped);
        Assert.Equal(asynchronous.Scheduled, sequential.Scheduled);
        Assert.Equal(asynchronous.Skipped, sequential.Skipped);
        Assert.DoesNotContain(sequential.Events.OfType<LogLine>(), l => l.Text.Contains("indep ran", StringComparison.Ordinal));
    }

    [Fact]
    public void After_a_failure_nothing_starts_and_what_waited_is_reported_as_not_started()
    {
        var sequential = Run("failure", sequential: true);
        var asynchronous = Run("failure", sequential: false);
        Assert.Equal(1, sequential.Failures);
        Assert.Equal(["failing"], sequential.Scheduled);
        Assert.Equal(["failing failed"], sequential.Ended);
        Assert.Equal(["app: Not started: an earlier component failed", "indep: Not started: an earlier component failed"], sequential.Skipped);
        Assert.Equal(asynchronous.Failures, sequential.Failures);
        Assert.Equal(asynchronous.Scheduled, sequential.Scheduled);
        Assert.Equal(asynchronous.Ended, sequential.Ended);
        Assert.Equal(asynchronous.Skipped, sequential.Skipped);
    }

    public void Dispose() => _repo.Dispose();
}
