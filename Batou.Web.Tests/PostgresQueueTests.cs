using System.Globalization;
using Batou.Web.Engine;
using Npgsql;

namespace Batou.Web.Tests;

/// <summary>
/// Scale-out: two dashboard processes on one PostgreSQL database (a throwaway cluster that test.sh starts with
/// scripts/test-pg.sh and names in BATOU_TEST_PG). 50 concurrent requests, sent to both, run one at a time in order.
/// </summary>
[Collection("dashboard")]
public sealed class PostgresQueueTests(DashboardFixture app)
{
    public static string Server() =>
        Environment.GetEnvironmentVariable("BATOU_TEST_PG") is { Length: > 0 } cs ? cs
            : throw new InvalidOperationException("BATOU_TEST_PG is not set: ./test.sh starts a throwaway PostgreSQL (scripts/test-pg.sh prints the connection string)");

    /// <summary>A fresh database on the test cluster; dropped when disposed.</summary>
    public static async Task<string> CreateDatabaseAsync(string name)
    {
        await using var c = new NpgsqlConnection(Server());
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE); CREATE DATABASE {name}";
        await cmd.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(Server()) { Database = name }.ConnectionString;
    }

    [Fact]
    public async Task Fifty_concurrent_requests_for_one_environment_on_two_dashboards_sharing_postgresql_run_one_at_a_time_in_order()
    {
        var database = "batou_queue_" + Guid.NewGuid().ToString("n")[..8];
        var cs = await CreateDatabaseAsync(database);
        var settings = new Dictionary<string, string> { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Batou"] = cs, ["Batou:Deployments:Workers"] = "4",
            ["Batou:Engine:PoolSize"] = DashboardEngineOptions.DefaultPoolSize.ToString(CultureInfo.InvariantCulture) };   // warm engines, as in production
        await using var one = await DashboardProcess.StartAsync(app, Path.Combine(app.Root, database + "-1"), settings);
        await using var two = await DashboardProcess.StartAsync(app, Path.Combine(app.Root, database + "-2"), settings);
        using var first = await one.SignedInClientAsync();    // creates the admin in the shared database
        using var second = await two.SignedInClientAsync();   // signs in with it on the other process
        var ids = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => DashboardApi.DeployAsync(i % 2 == 0 ? first : second, "tick", app.MainHead))));
        Assert.Equal(50, ids.Distinct().Count());
        foreach (var id in ids) await DashboardApi.WaitAsync(first, id, seconds: 240);
        var rows = await Task.WhenAll(ids.Order().Select(id => DashboardApi.GetAsync(second, id)));
        QueueAssert.OneAtATimeInOrder(rows);
        // every claim was made by one of the two processes (lease owner "machine:pid:instance")
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT DISTINCT split_part(\"LeaseOwner\", ':', 2)::int FROM deployments";
        var owners = new List<int>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) owners.Add(r.GetInt32(0));
        Assert.NotEmpty(owners);
        Assert.All(owners, pid => Assert.Contains(pid, new[] { one.Pid, two.Pid }));

        // a cancel sent to the process that does not run the deployment reaches the one that does (its heartbeat)
        await File.WriteAllTextAsync(app.TwinHoldFile, "hold");
        try
        {
            var held = await DashboardApi.DeployAsync(first, "twins", app.MainHead);
            await DashboardApi.WaitAsync(first, held, d => d.Status == "running");
            cmd.CommandText = $"SELECT split_part(\"LeaseOwner\", ':', 2)::int FROM deployments WHERE \"Id\" = {held}";
            var runner = (int)(await cmd.ExecuteScalarAsync())!;
            var other = runner == one.Pid ? second : first;
            Assert.True((await DashboardApi.CancelAsync(other, held)).IsSuccessStatusCode);
            Assert.True((await DashboardApi.GetAsync(first, held)).Cancelling);
            File.Delete(app.TwinHoldFile);
            var done = await DashboardApi.WaitAsync(other, held);
            Assert.Equal(("cancelled", DashboardFixture.User), (done.Status, done.CancelledBy));
        }
        finally
        {
            File.Delete(app.TwinHoldFile);
        }
    }

    [Fact]
    public async Task When_one_of_two_dashboards_dies_the_other_interrupts_its_deployment_once_the_lease_expires_and_runs_the_queue()
    {
        var database = "batou_lease_" + Guid.NewGuid().ToString("n")[..8];
        var cs = await CreateDatabaseAsync(database);
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = "Postgres", ["ConnectionStrings:Batou"] = cs,
            ["Batou:Deployments:LeaseSeconds"] = "4", ["Batou:Deployments:HeartbeatSeconds"] = "1",
        };
        await using var one = await DashboardProcess.StartAsync(app, Path.Combine(app.Root, database + "-1"), settings);
        await using var two = await DashboardProcess.StartAsync(app, Path.Combine(app.Root, database + "-2"), settings);
        using var client1 = await one.SignedInClientAsync();
        using var client2 = await two.SignedInClientAsync();
        await File.WriteAllTextAsync(app.HoldFile, "hold");   // the victim waits in its third nap until the kill
        long victim, next;
        try
        {
            victim = await DashboardApi.DeployAsync(client1, "slow", app.MainHead);
            await DashboardApi.UntilAsync(async () => (await DashboardApi.EventsAsync(client1, victim)).Any(e => e.Event.ToString().Contains("napping 2", StringComparison.Ordinal)), "napping 2");
            next = await DashboardApi.DeployAsync(client1, "slow", app.MainHead);
        }
        catch
        {
            File.Delete(app.HoldFile);
            throw;
        }
        // kill the process that runs it; the survivor only learns of it from the lease that stops moving
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT split_part(\"LeaseOwner\", ':', 2)::int FROM deployments WHERE \"Id\" = {victim}";
        var owner = (int)(await cmd.ExecuteScalarAsync())!;
        var (dead, second) = owner == one.Pid ? (one, client2) : (two, client1);
        var seen = await DashboardApi.EventsAsync(second, victim);
        dead.Kill();
        var killed = DateTime.UtcNow;
        File.Delete(app.HoldFile);
        var interrupted = await DashboardApi.WaitAsync(second, victim);
        Assert.Equal("interrupted", interrupted.Status);
        // not before the lease ran out: the other process has no way to know the first one died but its silence
        Assert.True(interrupted.FinishedUtc >= killed.AddSeconds(2), $"interrupted at {interrupted.FinishedUtc:O}, killed at {killed:O}");
        var stored = await DashboardApi.EventsAsync(second, victim);
        Assert.Equal(seen.Select(e => e.Seq), stored.Take(seen.Count).Select(e => e.Seq));
        Assert.Contains("Interrupted", stored[^1].Event.ToString());
        var done = await DashboardApi.WaitAsync(second, next);
        Assert.Equal("succeeded", done.Status);
        Assert.True(done.StartedUtc >= interrupted.FinishedUtc);
    }
}
