using System.Diagnostics;
using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Isolation;

/// <summary>Endless loops in two views at once do not block a third: each engine process is killed at its limit.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly TestRepository _looping = new TestRepository()
        .Component("looping", "public class Looping : Component { protected override void Configure() { while (true) { } } }")
        .LocalEnvironment("looping");
    private readonly TestRepository _healthy = new TestRepository()
        .Component("healthy", "public class Healthy : Component { public string Greeting { get; set; } = \"hi\"; }")
        .LocalEnvironment("healthy");

    [Fact]
    public async Task Two_endless_describes_are_killed_at_the_limit_and_a_healthy_one_succeeds_meanwhile()
    {
        using var engine = Isolated.Engine(new EngineProcessOptions { DescribeLimit = TimeSpan.FromSeconds(30) });
        var watch = Stopwatch.StartNew();
        var first = engine.DescribeAsync(_looping.Root, "test");
        var second = engine.DescribeAsync(_looping.Root, "test");
        var healthy = await engine.DescribeAsync(_healthy.Root, "test");
        Assert.Empty(healthy.Errors);
        Assert.Equal("hi", Assert.Single(healthy.Roots).Settings["greeting"]);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the healthy describe waited for the looping ones ({watch.Elapsed})");
        Assert.False(first.IsCompleted || second.IsCompleted);

        foreach (var overview in await Task.WhenAll(first, second))
        {
            var error = Assert.Single(overview.Errors);
            Assert.Equal("EngineProcessTimeout", error.Kind);
            Assert.Equal("looping", error.Component);
        }
        Assert.InRange(watch.Elapsed.TotalSeconds, 29, 50);
        // and the caller still works afterwards
        Assert.Empty((await engine.DescribeAsync(_healthy.Root, "test")).Errors);
    }

    public void Dispose()
    {
        _looping.Dispose();
        _healthy.Dispose();
    }
}
