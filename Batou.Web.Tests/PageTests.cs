using System.Net;
using Microsoft.Extensions.DependencyInjection;
using AngleSharp.Html.Parser;

namespace Batou.Web.Tests;

[Collection("dashboard")]
public sealed class PageTests(DashboardFixture app)
{
    private static readonly HtmlParser Parser = new();

    [Fact]
    public async Task Anonymous_requests_go_to_setup_or_sign_in()
    {
        using var client = app.NewClient();
        var response = await client.GetAsync("/deployments");
        Assert.Matches("^/(setup|account/login)$", response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task Environment_page_lists_hosts_components_and_the_graph()
    {
        using var client = await app.SignedInClientAsync();
        var doc = Parser.ParseDocument(await client.GetStringAsync($"/repos/example/at/{app.MainHead}/env/local"));
        Assert.Equal(["app", "backup", "proxy", "schedule"], doc.QuerySelectorAll(".root-link").Select(a => a.TextContent).Order().ToArray());
        Assert.Contains("digraph", doc.QuerySelector("#graph")!.GetAttribute("data-dot"));
        Assert.Empty(doc.QuerySelectorAll(".config-errors"));
        var component = Parser.ParseDocument(await client.GetStringAsync($"/repos/example/at/{app.MainHead}/env/local/host/localhost/component/app"));
        Assert.Contains("8081", component.QuerySelector("#settings")!.TextContent);
    }

    [Fact]
    public async Task A_commit_with_a_configuration_error_shows_the_error()
    {
        using var client = await app.SignedInClientAsync();
        var response = await client.GetAsync($"/repos/example/at/{app.BrokenHead}/env/local");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.NotNull(doc.QuerySelector(".config-errors"));
        Assert.Contains("environment.cfg", doc.QuerySelector(".config-errors")!.TextContent);
    }

    [Theory]
    [InlineData("/repos/nope")]
    [InlineData("/repos/example/at/0123456789abcdef/env/local")]
    [InlineData("/repos/example/at/main/env/nope")]
    [InlineData("/deployments/999999")]
    [InlineData("/no/such/page")]
    public async Task Unknown_things_in_urls_are_a_404_page(string url)
    {
        using var client = await app.SignedInClientAsync();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_post_without_antiforgery_token_is_rejected()
    {
        using var client = await app.SignedInClientAsync();
        var response = await client.PostAsync("/repos/example/deploy", new FormUrlEncodedContent(new Dictionary<string, string> { ["Environment"] = "local", ["Commit"] = "main" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_repository_that_cannot_be_cloned_shows_a_message_and_the_dashboard_keeps_working()
    {
        using var client = await app.SignedInClientAsync();
        var doc = Parser.ParseDocument(await client.GetStringAsync("/repos/unreachable"));
        Assert.NotNull(doc.QuerySelector("#repo-error"));
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task A_broken_environment_deploys_and_fails_fast_with_the_errors_in_its_log()
    {
        using var client = await app.SignedInClientAsync();
        var response = await DashboardFixture.PostFormAsync(client, $"/repos/example/at/{app.BrokenHead}/env/local", "/repos/example/deploy",
            new() { ["Environment"] = "local", ["Commit"] = app.BrokenHead, ["Predict"] = "false" });
        var id = response.RequestMessage!.RequestUri!.Segments[^1];
        var status = await WaitForFinalAsync(client, id);
        Assert.Equal("failed", status);
        var log = await client.GetStringAsync($"/deployments/{id}/log.txt");
        Assert.Contains("environment.cfg", log);
    }

    [Fact]
    public async Task Second_deployment_of_an_environment_queues_and_a_queued_one_can_be_cancelled()
    {
        using var client = await app.SignedInClientAsync();
        var page = $"/repos/example/at/{app.MainHead}/env/slow";
        var form = new Dictionary<string, string> { ["Environment"] = "slow", ["Commit"] = app.MainHead, ["Predict"] = "false" };
        await File.WriteAllTextAsync(app.HoldFile, "hold");   // the first deployment waits at its third step until released
        var first = (await DashboardFixture.PostFormAsync(client, page, "/repos/example/deploy", new(form))).RequestMessage!.RequestUri!.Segments[^1];
        var second = (await DashboardFixture.PostFormAsync(client, page, "/repos/example/deploy", new(form))).RequestMessage!.RequestUri!.Segments[^1];
        var third = (await DashboardFixture.PostFormAsync(client, page, "/repos/example/deploy", new(form))).RequestMessage!.RequestUri!.Segments[^1];
        var secondPage = Parser.ParseDocument(await client.GetStringAsync($"/deployments/{second}"));
        Assert.Equal("queued", secondPage.QuerySelector("#deployment")!.GetAttribute("data-status"));
        await DashboardFixture.PostFormAsync(client, $"/deployments/{third}", $"/deployments/{third}/cancel", []);
        Assert.Equal("cancelled", await WaitForFinalAsync(client, third));
        File.Delete(app.HoldFile);
        Assert.Equal("succeeded", await WaitForFinalAsync(client, first));
        Assert.Equal("succeeded", await WaitForFinalAsync(client, second));
        // the history grid loads its rows over the circuit (EndToEndTests filters it in a browser); here the record itself
        using var scope = app.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Batou.Web.Data.BatouDb>();
        Assert.Equal("cancelled", db.Deployments.Single(d => d.Id == long.Parse(third)).Status);
    }

    [Fact]
    public async Task The_detail_page_lists_each_changed_component_with_its_reason_and_duration()
    {
        using var client = await app.SignedInClientAsync();
        var response = await DashboardFixture.PostFormAsync(client, $"/repos/example/at/{app.MainHead}/env/slow", "/repos/example/deploy",
            new() { ["Environment"] = "slow", ["Commit"] = app.MainHead, ["Predict"] = "false" });
        var id = response.RequestMessage!.RequestUri!.Segments[^1];
        Assert.Equal("succeeded", await WaitForFinalAsync(client, id));
        var page = Parser.ParseDocument(await client.GetStringAsync($"/deployments/{id}"));
        var rows = page.QuerySelectorAll("#components tr[data-component='localhost:Slow > Nap']").ToList();
        Assert.Equal(6, rows.Count);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => "nap " + i), rows.Select(r => r.QuerySelector(".reason")!.TextContent.Trim()));
        Assert.All(rows, r => Assert.Matches(@"^\d+\.\d\d s$", r.QuerySelector(".duration")!.TextContent.Trim()));   // each nap sleeps 0.4 s
    }

    [Fact]
    public async Task Sse_resumes_after_the_last_event_id()
    {
        using var client = await app.SignedInClientAsync();
        var response = await DashboardFixture.PostFormAsync(client, $"/repos/example/at/{app.MainHead}/env/local", "/repos/example/deploy",
            new() { ["Environment"] = "local", ["Commit"] = app.MainHead, ["Predict"] = "true" });
        var id = response.RequestMessage!.RequestUri!.Segments[^1];
        await WaitForFinalAsync(client, id);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/deployments/{id}/events");
        request.Headers.Add("Last-Event-ID", "3");
        using var sse = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await sse.Content.ReadAsStringAsync();
        // events travel one per "ev" message or several per "evs" (an array); each message's id is its last event
        var seqs = new List<int>();
        var ids = new List<int>();
        foreach (var message in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = message.Split('\n');
            var kind = lines.FirstOrDefault(l => l.StartsWith("event: ", StringComparison.Ordinal))?[7..];
            if (kind is not ("ev" or "evs")) continue;
            using var data = System.Text.Json.JsonDocument.Parse(string.Concat(lines.Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..])));
            var items = kind == "ev" ? [data.RootElement] : data.RootElement.EnumerateArray().ToList();
            seqs.AddRange(items.Select(i => i.GetProperty("s").GetInt32()));
            ids.Add(int.Parse(lines.Single(l => l.StartsWith("id: ", StringComparison.Ordinal))[4..]));
            Assert.Equal(seqs[^1], ids[^1]);
        }
        Assert.Equal(4, seqs[0]);
        Assert.Equal(Enumerable.Range(4, seqs.Count), seqs);   // every later event, once, in order
        Assert.Contains("event: status", body);
    }

    internal static async Task<string> WaitForFinalAsync(HttpClient client, string id)
    {
        for (var i = 0; i < 600; i++)
        {
            var doc = Parser.ParseDocument(await client.GetStringAsync($"/deployments/{id}"));
            var status = doc.QuerySelector("#deployment")!.GetAttribute("data-status")!;
            if (status is not ("queued" or "running")) return status;
            await Task.Delay(100);
        }
        throw new TimeoutException($"deployment {id} did not finish");
    }
}
