using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Batou.Web.Governance.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests;

/// <summary>
/// "Retry failed" (issue #9): a deployment of the "retry" environment fails on one root while a marker file exists and
/// never starts the next; the marker goes; the retry runs only those two roots, at the same commit, and succeeds.
/// A viewer sees no button and gets 403 from the endpoint.
/// </summary>
[Collection("dashboard")]
public sealed class RetryTests(DashboardFixture app) : BrowserSession(app)
{
    private async Task<(string Name, IPage Page, HttpClient Client)> PersonAsync(string prefix, string? role)
    {
        var name = await Identity.People.CreateAsync(App, prefix);
        if (role is not null) await Identity.People.GrantAsync(App, name, role);
        var client = await Identity.People.SignedInAsync(App, name);
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(App.BaseUrl + "/");
        await page.FillAsync("#UserName", name);
        await page.FillAsync("#Password", Identity.People.Password);
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator("#repositories")).ToBeVisibleAsync();
        return (name, page, client);
    }

    private static async Task<List<string>> ScheduledAsync(HttpClient client, long id) =>
        (await DashboardApi.EventsAsync(client, id)).Where(e => e.Type == "RootScheduled")
        .Select(e => e.Event.GetProperty("component").GetString() + "@" + e.Event.GetProperty("host").GetString()).ToList();

    [Fact]
    public async Task A_failed_deployment_is_retried_for_the_failed_and_never_started_roots_only()
    {
        var (deployerName, deployer, deployerApi) = await PersonAsync("retrier", "deployer");
        var (_, viewer, viewerApi) = await PersonAsync("retry-viewer", null);
        await File.WriteAllTextAsync(App.RetryMarkerFile, "fail");
        long failedId;
        try
        {
            failedId = await DashboardApi.DeployAsync(deployerApi, "retry", App.MainHead);
            var failed = await DashboardApi.WaitAsync(deployerApi, failedId);
            Assert.Equal("failed", failed.Status);
        }
        finally
        {
            File.Delete(App.RetryMarkerFile);
        }
        var first = await DashboardApi.EventsAsync(deployerApi, failedId);
        Assert.Contains(first, e => e.Type == "RootFinished" && e.Event.GetProperty("component").GetString() == "tick");
        Assert.Contains(first, e => e.Type == "RootFailed" && e.Event.GetProperty("component").GetString() == "flaky");
        Assert.Contains(first, e => e.Type == "RootSkipped" && e.Event.GetProperty("component").GetString() == "twina");

        // a viewer: no button, and the endpoint refuses
        await GoAsync(viewer, $"/deployments/{failedId}");
        await Expect(viewer.Locator("#deployment")).ToHaveAttributeAsync("data-status", "failed");
        await Expect(viewer.Locator("#retry-failed")).ToHaveCountAsync(0);
        var refused = await viewerApi.PostAsJsonAsync($"/api/deployments/{failedId}/retry", new { });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        // the deployer: the dialog lists the roots (failed, not started) and the commit
        await GoAsync(deployer, $"/deployments/{failedId}");
        await deployer.ClickAsync("#retry-failed");
        await Expect(deployer.Locator("#retry-roots tr[data-root]")).ToHaveCountAsync(2);
        await Expect(deployer.Locator("#retry-roots tr[data-root='flaky@localhost']")).ToContainTextAsync("failed");
        await Expect(deployer.Locator("#retry-roots tr[data-root='twina@localhost']")).ToContainTextAsync("not started");
        await Expect(deployer.Locator("#retry-what")).ToContainTextAsync(App.MainHead[..10]);
        await Expect(deployer.Locator("#retry-fingerprint")).Not.ToContainTextAsync("Reading the configuration", new() { Timeout = 60_000 });
        await ShotAsync(deployer, "retry-dialog.png");
        Assert.Empty(await AxeAsync(deployer));
        await deployer.ClickAsync("#retry-confirm");
        await Expect(deployer.Locator($"#deployment:not([data-id='{failedId}'])")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var retryId = long.Parse((await deployer.Locator("#deployment").GetAttributeAsync("data-id"))!, System.Globalization.CultureInfo.InvariantCulture);
        await Expect(deployer.Locator("#retry-of")).ToHaveAttributeAsync("data-of", failedId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var retried = await DashboardApi.WaitAsync(deployerApi, retryId);
        Assert.Equal("succeeded", retried.Status);
        Assert.Equal(["flaky@localhost", "twina@localhost"], await ScheduledAsync(deployerApi, retryId));
        var events = await DashboardApi.EventsAsync(deployerApi, retryId);
        var tick = Assert.Single(events, e => e.Type == "RootSkipped");
        Assert.Equal("tick", tick.Event.GetProperty("component").GetString());
        Assert.Equal(Batou.Engine.Api.DeploymentRequest.NotSelected, tick.Event.GetProperty("reason").GetString());

        // the row references the original, at the same commit, with its selection; audited as a retry
        await using (var db = await App.Factory.Services.GetRequiredService<ApprovalDbs>().CreateDbContextAsync())
        {
            var d = await db.Deployments.AsNoTracking().FirstAsync(x => x.Id == retryId);
            Assert.Equal(App.MainHead, d.Commit);
            Assert.Equal(deployerName, d.RequestedBy);
            var request = await db.DeploymentRequests.AsNoTracking().FirstAsync(r => r.DeploymentId == retryId);
            Assert.Equal(RequestKinds.Retry, request.Kind);
            Assert.Equal(failedId, request.RetryOf);
            Assert.Equal("flaky@localhost\ntwina@localhost", request.Roots);
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "retry.requested" && a.User == deployerName && a.Target == $"deployment #{retryId}"));
        }

        // history labels it; a succeeded deployment has nothing to retry
        await GoAsync(deployer, "/deployments?env=retry");
        await Expect(deployer.Locator($".retry-label[data-of='{failedId}']")).ToBeVisibleAsync();
        var again = await deployerApi.PostAsJsonAsync($"/api/deployments/{retryId}/retry", new { });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("only a failed", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Serious or critical axe violations of what the page shows now (the dialog open).</summary>
    private static async Task<string[]> AxeAsync(IPage page)
    {
        var axe = Path.Combine(DashboardFixture.SourceRoot(), "wwwroot-assets", "node_modules", "axe-core", "axe.min.js");
        await page.EvaluateAsync("() => { " + await File.ReadAllTextAsync(axe) + "\n; window.axe = axe; }");
        return await page.EvaluateAsync<string[]>("""
            async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")}`)
            """);
    }

    [Fact]
    public async Task The_api_retries_an_unknown_deployment_with_404()
    {
        using var client = await App.SignedInClientAsync();
        var response = await client.PostAsJsonAsync("/api/deployments/987654321/retry", new { });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("987654321", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
