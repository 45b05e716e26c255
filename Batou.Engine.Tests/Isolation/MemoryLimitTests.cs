using Batou.Engine.Api;
using Batou.Engine.Tests.Fixtures;

namespace Batou.Engine.Tests.Isolation;

/// <summary>The engine's managed heap is limited: a component that allocates without end gets an error, not the machine's memory.</summary>
public sealed class MemoryLimitTests : IDisposable
{
    private readonly TestRepository _repo = new TestRepository()
        .Component("hungry", """
            public class Hungry : Component
            {
                private static readonly List<byte[]> Kept = new();
                protected override void Configure()
                {
                    for (var i = 0; i < 64; i++)
                    {
                        var chunk = new byte[64 << 20];
                        System.Array.Fill(chunk, (byte)1);
                        Kept.Add(chunk);
                    }
                }
            }
            """)
        .LocalEnvironment("hungry");

    [Fact]
    public async Task A_component_that_allocates_4_GiB_under_a_768_MiB_limit_gets_an_out_of_memory_error()
    {
        using var engine = Isolated.Engine(new EngineProcessOptions { MemoryLimitBytes = 768L << 20 });
        var overview = await engine.DescribeAsync(_repo.Root, "test");
        var error = overview.Errors.First(e => e.Kind == "UnknownComponentConfigurationError");
        Assert.Equal("hungry", error.Component);
        Assert.Equal("localhost", error.Host);
        Assert.Contains(error.Details, d => d.Label == "Exception" && d.Value.StartsWith("OutOfMemoryException", StringComparison.Ordinal));
    }

    public void Dispose() => _repo.Dispose();
}
