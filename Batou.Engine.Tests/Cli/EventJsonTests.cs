using Batou.Engine.Api;

namespace Batou.Engine.Tests.Cli;

public sealed class EventJsonTests
{
    [Fact]
    public void Every_event_kind_survives_a_round_trip_through_json()
    {
        var error = BatouError.Create("Kind", "message", ("Label", "value")) with { Host = "h", File = "f", Line = 3, Body = "body" };
        DeploymentEvent[] events =
        [
            new DeploymentStarted("env", DeploymentMode.Predict, "1.0.0", 2),
            new StepStarted(Phase.Load, "load", "Loading"),
            new HostConnecting("h", "local", 1, 2),
            new HostIgnored("h2", 2, 2),
            new ConfigureLog("h:app", "text"),
            new WarningRaised(error),
            new ConfigurationFailed([error]),
            new ModelConfigured([new RootSummary("h", "app", ["h:db"], false, null)]),
            new RootScheduled("h", "app"),
            new RootSkipped("h", "app", "Host ignored"),
            new RootFinished("h", "app", true, TimeSpan.FromSeconds(1.5)),
            new RootFailed("h", "app", error),
            new ComponentNeedsUpdate("h", "App > File('x')", "content differs", false),
            new ComponentUpdated("h", "App", TimeSpan.FromMilliseconds(12)),
            new SlowComponent("h", "App", new ComponentTimings(TimeSpan.FromSeconds(11), TimeSpan.FromSeconds(2), null, null)),
            new FileDiff("h", "App", "/x", ["--- ", "+++ ", "+a"], null, null),
            new LogLine("h", "App", "hello"),
            new EventTriggered("h", "before-update", "Foo.Stop"),
            new ErrorRaised(error),
            new DeploymentFinished(false, DeploymentMode.Deploy, Phase.Deploy, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)),
        ];
        foreach (var e in events)
        {
            var json = EventJson.Serialize(e);
            var back = EventJson.Deserialize(json);
            Assert.Equal(e.GetType(), back.GetType());
            Assert.Equal(json, EventJson.Serialize(back));
        }
        Assert.Contains("\"$type\":\"FileDiff\"", EventJson.Serialize(events[15]));
    }
}
