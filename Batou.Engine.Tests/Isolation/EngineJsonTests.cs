using Batou.Engine.Api;
using Batou.Engine.Isolation;

namespace Batou.Engine.Tests.Isolation;

/// <summary>The engine protocol carries a whole <see cref="DeploymentRequest"/> and the typed events unchanged.</summary>
public sealed class EngineJsonTests
{
    [Fact]
    public void A_run_request_keeps_every_field_of_the_deployment_request()
    {
        var request = new DeploymentRequest("/srv/repo", "prod")
        {
            Mode = DeploymentMode.ConsistencyOnly,
            Jobs = 3,
            Platform = "",
            Dirty = true,
            Timeout = TimeSpan.FromSeconds(90),
        };
        var line = EngineJson.Write(new RunCall(request, 12.5, new Dictionary<string, string> { ["K"] = "v" }, 60));
        Assert.StartsWith("{\"$type\":\"run\"", line);
        var back = Assert.IsType<RunCall>(EngineJson.Read(line));
        Assert.Equal(request, back.Request);
        Assert.Equal(12.5, back.CancelGraceSeconds);
        Assert.Equal("v", back.Variables!["K"]);
        Assert.Equal(60, back.LimitSeconds);
    }

    [Fact]
    public void Events_travel_as_EventJson_writes_them()
    {
        var e = new RootFailed("web1", "app", BatouError.Create("Kind", "message", ("Label", "value")) with { File = "f.cs", Line = 3 });
        var line = EngineJson.Write(new EngineEvent(e));
        Assert.Contains(EventJson.Serialize(e), line);
        var back = Assert.IsType<EngineEvent>(EngineJson.Read(line)).Event;
        Assert.Equal(EventJson.Serialize(e), EventJson.Serialize(back));
    }
}
