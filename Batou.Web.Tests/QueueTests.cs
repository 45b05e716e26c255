namespace Batou.Web.Tests;

/// <summary>
/// Cancelling and the per-environment queue through the JSON API, on a dashboard of its own each.
/// In the "dashboard" collection because the fixture's hold files are shared.
/// </summary>
[Collection("dashboard")]
public sealed class QueueTests(DashboardFixture app)
{
    [Fact]
    public async Task A_cancelled_deployment_whose_parallel_roots_all_finish_ends_cancelled_not_succeeded()
    {
        await using var dashboard = DashboardInstance.Start(app);
        using var client = await dashboard.SignedInClientAsync();
        await File.WriteAllTextAsync(app.TwinHoldFile, "hold");
        long id;
        try
        {
            id = await DashboardApi.DeployAsync(client, "twins", app.MainHead, jobs: 2);
            // both roots are inside their update (held), so cancelling cannot stop either before it finishes
            await DashboardApi.UntilAsync(async () =>
                (await DashboardApi.EventsAsync(client, id)).Count(e => e.Event.ToString().Contains(" working", StringComparison.Ordinal)) == 2, "both twins working");
            var cancel = await DashboardApi.CancelAsync(client, id);
            Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());
            var cancelling = await DashboardApi.GetAsync(client, id);
            Assert.Equal(("running", true, DashboardFixture.User), (cancelling.Status, cancelling.Cancelling, cancelling.CancelledBy));
        }
        finally
        {
            File.Delete(app.TwinHoldFile);
        }
        var done = await DashboardApi.WaitAsync(client, id);
        Assert.Equal("cancelled", done.Status);
        var text = string.Join("\n", (await DashboardApi.EventsAsync(client, id)).Select(e => e.Event.ToString()));
        Assert.Contains("TwinA done", text);   // both roots finished their running component...
        Assert.Contains("TwinB done", text);
        var again = await DashboardApi.CancelAsync(client, id);   // ...and a finished deployment cannot be cancelled again
        Assert.Equal(System.Net.HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_queued_deployment_is_cancelled_at_once_and_the_next_one_runs()
    {
        await using var dashboard = DashboardInstance.Start(app);
        using var client = await dashboard.SignedInClientAsync();
        await File.WriteAllTextAsync(app.TwinHoldFile, "hold");
        long first, second, third;
        try
        {
            first = await DashboardApi.DeployAsync(client, "twins", app.MainHead);
            await DashboardApi.WaitAsync(client, first, d => d.Status == "running");
            second = await DashboardApi.DeployAsync(client, "twins", app.MainHead);
            third = await DashboardApi.DeployAsync(client, "tick", app.MainHead);   // another environment does not wait
            Assert.Equal("succeeded", (await DashboardApi.WaitAsync(client, third)).Status);
            Assert.Equal("queued", (await DashboardApi.GetAsync(client, second)).Status);
            Assert.True((await DashboardApi.CancelAsync(client, second)).IsSuccessStatusCode);
            var cancelled = await DashboardApi.GetAsync(client, second);
            Assert.Equal(("cancelled", (DateTime?)null), (cancelled.Status, cancelled.StartedUtc));
        }
        finally
        {
            File.Delete(app.TwinHoldFile);
        }
        Assert.Equal("succeeded", (await DashboardApi.WaitAsync(client, first)).Status);
        Assert.Empty(await DashboardApi.EventsAsync(client, second));
    }

    [Fact]
    public async Task Fifty_concurrent_requests_for_one_environment_all_run_one_at_a_time_in_order_on_sqlite()
    {
        // the dashboard's own pool of warm engine processes (the product's default, off in most tests): 50 deployments
        // in a row each take a warm engine while the next one warms up
        await using var dashboard = DashboardInstance.Start(app, settings: new() { ["Batou:Engine:PoolSize"] = null });
        using var client = await dashboard.SignedInClientAsync();
        var ids = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => DashboardApi.DeployAsync(client, "tick", app.MainHead))));
        Assert.Equal(50, ids.Distinct().Count());
        foreach (var id in ids) await DashboardApi.WaitAsync(client, id, seconds: 180);
        var rows = await Task.WhenAll(ids.Order().Select(id => DashboardApi.GetAsync(client, id)));
        QueueAssert.OneAtATimeInOrder(rows);
    }
}

internal static class QueueAssert
{
    /// <summary>All succeeded; by id, each started after the one before it finished (so never two at once, and FIFO).</summary>
    public static void OneAtATimeInOrder(IReadOnlyList<DashboardApi.Deployment> byId)
    {
        Assert.All(byId, d => Assert.Equal("succeeded", d.Status));
        InOrder(byId);
    }

    public static void InOrder(IReadOnlyList<DashboardApi.Deployment> byId)
    {
        for (var i = 1; i < byId.Count; i++)
            Assert.True(byId[i].StartedUtc >= byId[i - 1].FinishedUtc,
                $"deployment {byId[i].Id} started at {byId[i].StartedUtc:O}, before {byId[i - 1].Id} finished at {byId[i - 1].FinishedUtc:O}");
    }
}
