using Batou.Engine.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Batou.Web.Tests;

/// <summary>
/// <c>Batou:Engine:PoolSize</c>: the dashboard keeps warm engine processes, an environment page is described by
/// one of them (which is then gone), and stopping the dashboard leaves no engine process behind.
/// </summary>
[Collection("dashboard")]
public sealed class EnginePoolTests(DashboardFixture app)
{
    [Fact]
    public async Task Pooled_engines_describe_pages_once_and_die_with_the_dashboard()
    {
        var dashboard = DashboardInstance.Start(app, settings: new() { ["Batou:Engine:PoolSize"] = "2" });
        var seen = new HashSet<int>();
        try
        {
            var engine = dashboard.Factory.Services.GetRequiredService<EngineProcess>();
            var before = await IdleAsync(engine, 2, []);
            seen.UnionWith(before);

            using var client = await dashboard.SignedInClientAsync();
            var page = await client.GetStringAsync($"/repos/example/at/{app.MainHead}/env/local");
            Assert.Contains("id=\"hosts\"", page, StringComparison.Ordinal);
            Assert.DoesNotContain("batou-error", page, StringComparison.Ordinal);

            // one of them served the describe and was not put back; new ones took the places of those taken
            var after = await IdleAsync(engine, 2, []);
            seen.UnionWith(after);
            var used = before.Except(after).ToList();
            Assert.NotEmpty(used);
            await GoneAsync(used);
        }
        finally
        {
            await dashboard.DisposeAsync();
        }
        await GoneAsync(seen);
    }

    [Fact]
    public async Task A_dashboard_keeps_two_warm_engines_unless_told_otherwise()
    {
        // the test default (no pool) taken away again: what a dashboard started without the setting does
        var dashboard = DashboardInstance.Start(app, settings: new() { ["Batou:Engine:PoolSize"] = null });
        try
        {
            var engine = dashboard.Factory.Services.GetRequiredService<EngineProcess>();
            var idle = await IdleAsync(engine, 2, []);
            Assert.All(idle, pid => Assert.True(Running(pid), $"engine process {pid} is not running"));
            await Task.Delay(1000);   // filled, and no more than that
            Assert.Equal(2, engine.IdlePids.Count);
        }
        finally
        {
            await dashboard.DisposeAsync();
        }
    }

    private static async Task GoneAsync(IEnumerable<int> pids)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (pids.Any(Running) && DateTime.UtcNow < until) await Task.Delay(50);
        Assert.DoesNotContain(pids, Running);
    }

    private static async Task<IReadOnlyList<int>> IdleAsync(EngineProcess engine, int count, int[] not)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            var idle = engine.IdlePids.Except(not).ToList();
            if (idle.Count >= count) return idle;
            await Task.Delay(50);
        }
        throw new TimeoutException("the engine pool did not fill: " + string.Join(", ", engine.IdlePids));
    }

    private static bool Running(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
