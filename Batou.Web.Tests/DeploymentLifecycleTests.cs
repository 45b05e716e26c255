using AngleSharp.Html.Parser;

namespace Batou.Web.Tests;

/// <summary>
/// Cancelling a running deployment, restarts, previews and history filters, each on a dashboard of its own
/// (fresh data directory) so the rows and files it checks are only its own. In the "dashboard" collection
/// because the slow environment's hold file is shared.
/// </summary>
[Collection("dashboard")]
public sealed class DeploymentLifecycleTests(DashboardFixture app)
{
    private static readonly HtmlParser Parser = new();

    private static AngleSharp.Html.Dom.IHtmlDocument Page(string html) => Parser.ParseDocument(html);

    [Fact]
    public async Task Cancelling_a_running_deployment_finishes_the_current_component_and_ends_cancelled_with_its_log()
    {
        await using var dashboard = DashboardInstance.Start(app);
        using var client = await dashboard.SignedInClientAsync();
        await File.WriteAllTextAsync(app.HoldFile, "hold");
        string id;
        try
        {
            id = await DashboardInstance.DeployAsync(client, "slow", app.MainHead);
            await DashboardInstance.WaitForLogAsync(client, id, "napping 2");   // the third nap is running (and held)
            var running = Page(await client.GetStringAsync($"/deployments/{id}"));
            Assert.Equal("running", running.QuerySelector("#deployment")!.GetAttribute("data-status"));
            Assert.NotNull(running.QuerySelector("#cancel"));
            var cancel = await DashboardFixture.PostFormAsync(client, $"/deployments/{id}", $"/deployments/{id}/cancel", []);
            Assert.True(cancel.IsSuccessStatusCode);
            // still running: the current component is not killed
            Assert.Equal("running", Page(await client.GetStringAsync($"/deployments/{id}")).QuerySelector("#deployment")!.GetAttribute("data-status"));
        }
        finally
        {
            File.Delete(app.HoldFile);
        }
        var deployment = id;
        Assert.Equal("cancelled", await PageTests.WaitForFinalAsync(client, deployment));
        var log = await client.GetStringAsync($"/deployments/{deployment}/log.txt");
        Assert.Contains("napping 0", log);
        Assert.Contains("napping 2", log);       // the component that was running when cancelled finished
        Assert.DoesNotContain("napping 3", log); // the ones after it never ran
        Assert.DoesNotContain("napping 5", log);
        Assert.Contains("cancelled", log, StringComparison.OrdinalIgnoreCase);
        var page = Page(await client.GetStringAsync($"/deployments/{deployment}"));
        Assert.Null(page.QuerySelector("#cancel"));
        Assert.Contains(DashboardFixture.User, page.QuerySelector(".meta")!.TextContent[page.QuerySelector(".meta")!.TextContent.IndexOf("cancelled by", StringComparison.Ordinal)..]);
        Assert.Contains(page.QuerySelectorAll("#log .log-line"), l => l.TextContent.Contains("napping 2", StringComparison.Ordinal));
        var cancelled = Page(await client.GetStringAsync("/deployments?status=cancelled")).QuerySelectorAll(".history-row").Select(r => r.GetAttribute("data-id")!).ToArray();
        Assert.Equal([deployment], cancelled);
    }

    [Fact]
    public async Task A_deployment_queued_when_the_dashboard_stops_runs_after_a_restart()
    {
        string dataDir, first, second;
        var stopped = false;
        var dashboard = DashboardInstance.Start(app);
        try
        {
            dataDir = dashboard.DataDir;
            using var client = await dashboard.SignedInClientAsync();
            await File.WriteAllTextAsync(app.HoldFile, "hold");
            first = await DashboardInstance.DeployAsync(client, "slow", app.MainHead);
            await DashboardInstance.WaitForLogAsync(client, first, "napping 2");
            second = await DashboardInstance.DeployAsync(client, "slow", app.MainHead);
            Assert.Equal("queued", Page(await client.GetStringAsync($"/deployments/{second}")).QuerySelector("#deployment")!.GetAttribute("data-status"));
            // stop the dashboard while the first runs (held) and the second waits
            var stopping = dashboard.DisposeAsync().AsTask();
            await dashboard.WaitForSchedulerShutdownAsync();
            File.Delete(app.HoldFile);
            await stopping;
            stopped = true;
        }
        finally
        {
            File.Delete(app.HoldFile);
            if (!stopped) await dashboard.DisposeAsync();
        }
        using (var db = DashboardInstance.OpenDb(dataDir))
        {
            Assert.Equal("queued", DashboardInstance.Scalar(db, "SELECT Status FROM deployments WHERE Id = $id", ("$id", long.Parse(second))));
            Assert.Equal("interrupted", DashboardInstance.Scalar(db, "SELECT Status FROM deployments WHERE Id = $id", ("$id", long.Parse(first))));
        }
        await using var restarted = DashboardInstance.Start(app, dataDir);
        using var again = await restarted.SignedInClientAsync();
        Assert.Equal("succeeded", await PageTests.WaitForFinalAsync(again, second));
        Assert.Equal("interrupted", await PageTests.WaitForFinalAsync(again, first));
        var log = await again.GetStringAsync($"/deployments/{second}/log.txt");
        Assert.Contains("napping 5", log);
    }

    [Fact]
    public async Task A_deployment_running_when_the_process_died_is_interrupted_keeps_its_log_and_frees_the_environment()
    {
        string dataDir, id;
        int eventsBefore;
        await using (var dashboard = DashboardInstance.Start(app))
        {
            dataDir = dashboard.DataDir;
            using var client = await dashboard.SignedInClientAsync();
            id = await DashboardInstance.DeployAsync(client, "local", app.MainHead);
            Assert.Equal("succeeded", await PageTests.WaitForFinalAsync(client, id));
        }
        // what a crash leaves: the row still running, the events written so far, no final event, no roots
        using (var db = DashboardInstance.OpenDb(dataDir))
        {
            var last = Convert.ToInt64(DashboardInstance.Scalar(db, "SELECT MAX(Seq) FROM deployment_events WHERE DeploymentId = $id", ("$id", long.Parse(id))));
            Assert.Equal(1, DashboardInstance.Execute(db, "DELETE FROM deployment_events WHERE DeploymentId = $id AND Seq = $seq AND Type = 'DeploymentFinished'", ("$id", long.Parse(id)), ("$seq", last)));
            DashboardInstance.Execute(db, "DELETE FROM deployment_roots WHERE DeploymentId = $id", ("$id", long.Parse(id)));
            Assert.Equal(1, DashboardInstance.Execute(db, "UPDATE deployments SET Status = 'running', FinishedUtc = NULL, EventCount = $n WHERE Id = $id", ("$id", long.Parse(id)), ("$n", last - 1)));
            eventsBefore = (int)(last - 1);
        }
        await using var restarted = DashboardInstance.Start(app, dataDir);
        using var again = await restarted.SignedInClientAsync();
        var page = Page(await again.GetStringAsync($"/deployments/{id}"));
        Assert.Equal("interrupted", page.QuerySelector("#deployment")!.GetAttribute("data-status"));
        Assert.Equal(eventsBefore + 1, int.Parse(page.QuerySelector("#deployment")!.GetAttribute("data-after")!));
        var log = await again.GetStringAsync($"/deployments/{id}/log.txt");
        Assert.Contains("The dashboard stopped while this deployment was running", log);
        Assert.Contains("app", log);
        Assert.True(log.Split('\n').Length > 5, log);   // the earlier lines are kept
        var interrupted = Page(await again.GetStringAsync("/deployments?status=interrupted")).QuerySelectorAll(".history-row").Select(r => r.GetAttribute("data-id")!).ToArray();
        Assert.Equal([id], interrupted);
        // the environment is not stuck: a new deployment of it runs
        var next = await DashboardInstance.DeployAsync(again, "local", app.MainHead);
        Assert.Equal("succeeded", await PageTests.WaitForFinalAsync(again, next));
    }

    [Fact]
    public async Task A_preview_shows_the_changes_per_host_and_component_with_diffs_and_changes_nothing()
    {
        await using var dashboard = DashboardInstance.Start(app);
        using var client = await dashboard.SignedInClientAsync();
        var work = Path.Combine(dashboard.DataDir, "deploy", "example", "local", "work");
        var id = await DashboardInstance.DeployAsync(client, "local", app.MainHead, predict: true);
        Assert.Equal("succeeded", await PageTests.WaitForFinalAsync(client, id));
        var page = Page(await client.GetStringAsync($"/deployments/{id}"));
        Assert.Contains("Preview of", page.QuerySelector("#deployment h1")!.TextContent);
        var roots = page.QuerySelectorAll("#roots tr[data-root]").Select(r => r.GetAttribute("data-root")!).Order().ToArray();
        Assert.Equal(["localhost:app", "localhost:backup", "localhost:proxy", "localhost:schedule"], roots);
        Assert.Equal("would change", page.QuerySelector("#roots tr[data-root='localhost:app'] .root-state")!.TextContent);
        Assert.Null(page.QuerySelector("#roots .root-changed"));   // predicted, not done
        var diffs = page.QuerySelectorAll("#diffs .file-diff").ToList();
        var appConf = Assert.Single(diffs, d => d.GetAttribute("data-path")!.EndsWith("/app.conf", StringComparison.Ordinal));
        Assert.Contains("localhost", appConf.TextContent);
        Assert.Contains("+listen = 127.0.0.1:8081", appConf.GetAttribute("data-diff"));
        // nothing was written (but the engine's compiled-component cache under work/.batou)
        var written = Directory.Exists(work)
            ? Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories).Where(f => !Path.GetRelativePath(work, f).StartsWith(".batou", StringComparison.Ordinal)).ToList()
            : [];
        Assert.True(written.Count == 0, "a preview wrote: " + string.Join(", ", written));
        // ...while deploying the same commit does write there (so the check above looks at the right place)
        var deploy = await DashboardInstance.DeployAsync(client, "local", app.MainHead);
        Assert.Equal("succeeded", await PageTests.WaitForFinalAsync(client, deploy));
        Assert.Contains("listen = 127.0.0.1:8081", await File.ReadAllTextAsync(Path.Combine(work, "app", "app.conf")));
        // and a preview now predicts no change and still leaves the file alone
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(work, "app", "app.conf"));
        var again = await DashboardInstance.DeployAsync(client, "local", app.MainHead, predict: true);
        Assert.Equal("succeeded", await PageTests.WaitForFinalAsync(client, again));
        var second = Page(await client.GetStringAsync($"/deployments/{again}"));
        Assert.Null(second.QuerySelector("#roots .root-would-change"));
        Assert.Equal("unchanged", second.QuerySelector("#roots tr[data-root='localhost:app'] .root-state")!.TextContent);
        Assert.NotNull(second.QuerySelector("#diffs .no-diffs"));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(work, "app", "app.conf")));
    }

    [Fact]
    public async Task History_filters_by_user_and_by_commit_return_exactly_the_matching_rows()
    {
        await using var dashboard = DashboardInstance.Start(app);
        using var admin = await dashboard.SignedInClientAsync();
        await dashboard.CreateUserAsync("bob", "bob-password-1", role: "deployer");
        using var bob = await dashboard.SignedInClientAsync("bob", "bob-password-1");
        var adminMain = await DashboardInstance.DeployAsync(admin, "local", app.MainHead, predict: true);
        var bobBroken = await DashboardInstance.DeployAsync(bob, "local", app.BrokenHead);
        var bobMain = await DashboardInstance.DeployAsync(bob, "local", app.MainHead, predict: true);
        var adminBroken = await DashboardInstance.DeployAsync(admin, "local", app.BrokenHead, predict: true);
        foreach (var id in new[] { adminMain, bobBroken, bobMain, adminBroken }) await PageTests.WaitForFinalAsync(admin, id);

        async Task<string[]> Rows(string query) =>
            Page(await admin.GetStringAsync("/deployments" + query)).QuerySelectorAll(".history-row").Select(r => r.GetAttribute("data-id")!).ToArray();

        Assert.Equal([adminBroken, bobMain, bobBroken, adminMain], await Rows(""));
        Assert.Equal([bobMain, bobBroken], await Rows("?user=bob"));
        Assert.Equal([adminBroken, adminMain], await Rows("?user=" + DashboardFixture.User));
        Assert.Empty(await Rows("?user=nobody"));
        Assert.Equal([bobMain, adminMain], await Rows("?commit=" + app.MainHead));
        Assert.Equal([adminBroken, bobBroken], await Rows("?commit=" + app.BrokenHead[..7]));   // a prefix, as typed
        Assert.Equal([bobBroken], await Rows($"?user=bob&commit={app.BrokenHead[..10]}"));
        var bobRows = Page(await admin.GetStringAsync("/deployments?user=bob")).QuerySelectorAll(".history-row");
        Assert.All(bobRows, r => Assert.Contains("bob", r.TextContent));
        // the filter form keeps what was asked for
        var form = Page(await admin.GetStringAsync($"/deployments?user=bob&commit={app.MainHead[..8]}"));
        Assert.Equal("bob", form.QuerySelector("#filters input[name=user]")!.GetAttribute("value"));
        Assert.Equal(app.MainHead[..8], form.QuerySelector("#filters input[name=commit]")!.GetAttribute("value"));
    }
}
