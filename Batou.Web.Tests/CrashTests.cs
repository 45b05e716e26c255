using Microsoft.Data.Sqlite;

namespace Batou.Web.Tests;

/// <summary>
/// kill -9 of a real dashboard process in the middle of deployments, again and again: each killed deployment ends
/// interrupted with the events it had stored, its environment is free again, the queued ones run oldest first,
/// and the database files stay intact.
/// </summary>
[Collection("dashboard")]
public sealed class CrashTests(DashboardFixture app, Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Kills = 10;

    [Fact]
    public async Task Killing_the_dashboard_during_deployments_interrupts_them_keeps_their_events_and_the_queue_goes_on_in_order()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var data = Path.Combine(app.Root, "crash-" + Guid.NewGuid().ToString("n")[..8]);
        var settings = new Dictionary<string, string> { ["Batou:Deployments:LeaseSeconds"] = "4", ["Batou:Deployments:HeartbeatSeconds"] = "1" };
        var dashboard = await DashboardProcess.StartAsync(app, data, settings);
        var client = await dashboard.SignedInClientAsync();
        var all = new List<long>();
        var interrupted = new List<long>();
        try
        {
            // the environment's queue: the first runs, the others wait behind it (the last two are never killed)
            for (var i = 0; i < Kills + 2; i++) all.Add(await DashboardApi.DeployAsync(client, "crash", app.MainHead));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (var attempt = 0; interrupted.Count < Kills && attempt < Kills + 5; attempt++)
            {
                var waiting = new List<long>();
                foreach (var id in all)
                    if ((await DashboardApi.GetAsync(client, id)).Status is "queued" or "running") waiting.Add(id);
                // whichever runs now must be the oldest that was waiting (FIFO across restarts)
                var victim = waiting[0];
                if (waiting.Count < 3) all.Add(await DashboardApi.DeployAsync(client, "crash", app.MainHead));   // one finished before its kill
                await DashboardApi.WaitAsync(client, victim, d => d.Status != "queued");
                foreach (var later in waiting.Skip(1)) Assert.Equal("queued", (await DashboardApi.GetAsync(client, later)).Status);
                // a random point of the deployment: while it loads, or inside one of its four naps
                var nap = random.Next(-1, 5);
                if (nap >= 0)
                    await DashboardApi.UntilAsync(async () => (await DashboardApi.EventsAsync(client, victim)).Any(e => e.Event.ToString().Contains($"napping {nap}", StringComparison.Ordinal))
                        || (await DashboardApi.GetAsync(client, victim)).Status != "running", $"nap {nap} of {victim}");
                await Task.Delay(random.Next(0, nap >= 0 ? 300 : 1300));
                var seen = await DashboardApi.EventsAsync(client, victim);
                var pid = dashboard.Pid;
                dashboard.Kill();
                client.Dispose();
                var killedAt = clock.Elapsed;
                dashboard = await DashboardProcess.StartAsync(app, data, settings);
                output.WriteLine($"kill {interrupted.Count + 1}: deployment {victim} after {seen.Count} events; restarted in {(clock.Elapsed - killedAt).TotalSeconds:0.0} s");
                Assert.NotEqual(pid, dashboard.Pid);
                client = await dashboard.SignedInClientAsync();
                var after = await DashboardApi.GetAsync(client, victim);
                if (after.Status == "succeeded")
                {
                    // it finished just before the kill; the next one may have been running (and is interrupted then)
                    foreach (var id in all.Where(id => id > victim))
                        if ((await DashboardApi.GetAsync(client, id)).Status == "interrupted") interrupted.Add(id);
                    continue;
                }
                Assert.True(after.Status == "interrupted", $"deployment {victim} is {after.Status} after kill #{interrupted.Count + 1} (seed {seed})");
                var stored = await DashboardApi.EventsAsync(client, victim);
                // every event stored before the kill is still there, unchanged, and the interruption is the last one
                Assert.True(stored.Count > seen.Count, $"seed {seed}: {stored.Count} stored, {seen.Count} seen");
                Assert.Equal(seen.Select(e => (e.Seq, e.Type, e.Event.ToString())), stored.Take(seen.Count).Select(e => (e.Seq, e.Type, e.Event.ToString())));
                Assert.Equal(Enumerable.Range(1, stored.Count), stored.Select(e => e.Seq));
                Assert.Equal("ErrorRaised", stored[^1].Type);
                Assert.Contains("Interrupted", stored[^1].Event.ToString());
                // (a DeploymentFinished may be among them: the engine had ended, the final status was not yet written)
                Assert.Equal(stored.Count, after.EventCount);
                interrupted.Add(victim);
            }
            Assert.True(interrupted.Count >= Kills, $"{interrupted.Count} kills");
            output.WriteLine($"{Kills} kills in {clock.Elapsed.TotalSeconds:0} s (seed {seed})");
            // no more kills: what is still queued runs; over the whole run, by id, each started after the one before it ended
            var rows = new List<DashboardApi.Deployment>();
            foreach (var id in all.Order()) rows.Add(await DashboardApi.WaitAsync(client, id));
            Assert.All(rows, d => Assert.Equal(interrupted.Contains(d.Id) ? "interrupted" : "succeeded", d.Status));
            QueueAssert.InOrder(rows);
        }
        finally
        {
            client.Dispose();
            await dashboard.DisposeAsync();
        }
        foreach (var file in new[] { "batou-web.db", "hangfire.db" })
        {
            using var db = new SqliteConnection($"Data Source={Path.Combine(data, file)};Pooling=False");
            db.Open();
            using var check = db.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", check.ExecuteScalar());
        }
    }
}
