using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Batou.Web.Data;
using Batou.Web.Git;
using Batou.Web.Governance.Approvals;
using Batou.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests;

/// <summary>
/// Removing a repository (issue #9 audit "repository added or removed"): administrators only, refused while a deployment of
/// it waits or runs, archived so its history stays readable, audited with the values before; adding the name again restores it.
/// Each test adds a repository of its own (a clone of the fixture's).
/// </summary>
[Collection("dashboard")]
public sealed class RepositoryRemovalTests(DashboardFixture app) : BrowserSession(app)
{
    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, DashboardFixture.User), new Claim(AdminRequirement.ClaimType, AdminRequirement.ClaimValue)], "test"));

    private RepositoryCatalog Catalog => App.Factory.Services.GetRequiredService<RepositoryCatalog>();

    private async Task<RepositoryEntity> AddAsync()
    {
        var name = "removable-" + Guid.NewGuid().ToString("n")[..6];
        return await Catalog.AddAsync(name, App.RepoDir);
    }

    [Fact]
    public async Task Removal_is_refused_while_a_request_waits_then_archives_keeps_history_audits_and_re_adding_restores()
    {
        var repo = await AddAsync();
        var policies = App.Factory.Services.GetRequiredService<PolicyStore>();
        Assert.Null(await policies.SaveAsync(Admin, repo, "tick", PolicyInput.Default with { RequiredApprovals = 1, Approvers = DashboardFixture.User }));
        using var client = await App.SignedInClientAsync();
        var requested = await client.PostAsJsonAsync($"/api/repos/{repo.Name}/deployments", new { environment = "tick", commit = App.MainHead });
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        var id = (await requested.Content.ReadFromJsonAsync<DashboardApi.Deployment>(System.Text.Json.JsonSerializerOptions.Web))!.Id;

        // a viewer may not; a wrong name is not a confirmation; a waiting request refuses it with the reason
        var viewer = await Identity.People.CreateAsync(App, "remover");
        using (var someone = await Identity.People.SignedInAsync(App, viewer))
            Assert.Equal(HttpStatusCode.Forbidden, (await someone.PostAsJsonAsync($"/api/repos/{repo.Name}/remove", new { confirm = repo.Name })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/repos/{repo.Name}/remove", new { confirm = "example" })).StatusCode);
        var busy = await client.PostAsJsonAsync($"/api/repos/{repo.Name}/remove", new { confirm = repo.Name });
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Contains($"#{id} (tick) is awaiting-approval", await busy.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(await Catalog.FindAsync(repo.Name));

        Assert.True((await DashboardApi.CancelAsync(client, id)).IsSuccessStatusCode);
        var removed = await client.PostAsJsonAsync($"/api/repos/{repo.Name}/remove", new { confirm = repo.Name });
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Null(await Catalog.FindAsync(repo.Name));
        Assert.DoesNotContain(await Catalog.AllAsync(), r => r.Name == repo.Name);
        // no new deployment can name it; its old one still reads, with the repository's name
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/repos/{repo.Name}/deployments", new { environment = "tick" })).StatusCode);
        var old = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/deployments/{id}");
        Assert.Equal(repo.Name, old.GetProperty("repository").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/deployments/{id}")).StatusCode);

        await using (var scope = App.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            var entry = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "repository.removed" && a.Repository == repo.Name);
            Assert.Equal(DashboardFixture.User, entry.User);
            Assert.Contains(App.RepoDir, entry.Before, StringComparison.Ordinal);
            Assert.Equal("removed (archived)", entry.After);
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "access.denied" && a.User == viewer && a.Repository == repo.Name));
        }

        var back = await Catalog.AddAsync(repo.Name, App.RepoDir);
        Assert.Equal(repo.Id, back.Id);
        Assert.Null(back.RemovedUtc);
    }

    [Fact]
    public async Task An_admin_removes_a_repository_in_the_dialog_by_typing_its_name()
    {
        var repo = await AddAsync();
        var page = await SignedInPageAsync();
        await GoAsync(page, $"/repos/{repo.Name}");
        await page.ClickAsync("#remove-repository");
        await Expect(page.Locator("#remove-confirm")).ToBeDisabledAsync();
        await page.Locator("#remove-confirm-name").FillAsync(repo.Name);
        await Expect(page.Locator("#remove-confirm")).ToBeEnabledAsync();
        await ShotAsync(page, "remove-repository.png");
        await page.ClickAsync("#remove-confirm");
        try
        {
            await DashboardApi.UntilAsync(async () => await Catalog.FindAsync(repo.Name) is null, "the repository is removed", 60);
            await Expect(page).ToHaveURLAsync(App.BaseUrl + "/", new() { Timeout = 60_000 });
        }
        finally
        {
            await ShotAsync(page, "remove-repository-after.png");
        }
        await Expect(page.Locator($"#repositories a[href='/repos/{repo.Name}']")).ToHaveCountAsync(0);
    }
}
