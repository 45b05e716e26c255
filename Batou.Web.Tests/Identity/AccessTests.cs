using System.Net;
using System.Net.Http.Json;
using Batou.Web.Data;
using Batou.Web.Governance;
using Batou.Web.Governance.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests.Identity;

/// <summary>Roles (issue #9): a viewer sees no deploy button and gets 403 from every endpoint; a deployer deploys where the role says.</summary>
[Collection("dashboard")]
public sealed class AccessTests(DashboardFixture app) : BrowserSession(app)
{
    private UserAdmin Admin => App.Factory.Services.GetRequiredService<UserAdmin>();

    private async Task<IPage> SignedInAsAsync(string name)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(App.BaseUrl + "/account/login");
        await page.FillAsync("#UserName", name);
        await page.FillAsync("#Password", People.Password);
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator("#repositories")).ToBeVisibleAsync();
        return page;
    }

    [Fact]
    public async Task A_viewer_sees_no_deploy_or_preview_button_and_an_admin_does()
    {
        var viewer = await People.CreateAsync(App, "viewer");
        var page = await SignedInAsAsync(viewer);
        await GoAsync(page, $"/repos/example/at/{App.MainHead}/env/tick");
        await Expect(page.Locator("#view-only")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.Equal(0, await page.Locator("#deploy").CountAsync());
        Assert.Equal(0, await page.Locator("#preview").CountAsync());

        var admin = await SignedInPageAsync();
        await GoAsync(admin, $"/repos/example/at/{App.MainHead}/env/tick");
        await Expect(admin.Locator("#deploy")).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task A_viewer_gets_403_from_the_deploy_form_the_api_and_cancel_and_each_refusal_is_audited()
    {
        var viewer = await People.CreateAsync(App, "viewer");
        using var client = await People.SignedInAsync(App, viewer);
        var form = await DashboardFixture.PostFormAsync(client, "/", "/repos/example/deploy",
            new() { ["Environment"] = "tick", ["Commit"] = App.MainHead });
        Assert.Equal(HttpStatusCode.Forbidden, form.StatusCode);
        var api = await client.PostAsJsonAsync("/api/repos/example/deployments", new { environment = "tick", commit = App.MainHead });
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Contains("deployer", await api.Content.ReadAsStringAsync());

        using var admin = await App.SignedInClientAsync();
        var id = await DashboardApi.DeployAsync(admin, "tick", App.MainHead);
        Assert.Equal(HttpStatusCode.Forbidden, (await DashboardApi.CancelAsync(client, id)).StatusCode);
        await DashboardApi.WaitAsync(admin, id);

        using var scope = App.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        Assert.Equal(3, await db.AuditEntries.CountAsync(e => e.User == viewer && e.Action == AuditActions.AccessDenied));
        Assert.Equal(0, await db.Deployments.CountAsync(d => d.RequestedBy == viewer));
    }

    [Fact]
    public async Task Only_an_administrator_adds_a_repository_the_form_is_absent_and_the_post_refused_for_a_deployer()
    {
        var deployer = await People.CreateAsync(App, "deployer");
        using var client = await People.SignedInAsync(App, deployer);
        var name = "not-allowed-" + Guid.NewGuid().ToString("N")[..6];
        var refused = await DashboardFixture.PostFormAsync(client, "/", "/repos", new() { ["Name"] = name, ["Url"] = App.RepoDir });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var page = await SignedInAsAsync(deployer);
        Assert.Equal(0, await page.Locator("#add-repo").CountAsync());
        var admin = await SignedInPageAsync();
        await GoAsync(admin, "/");
        await Expect(admin.Locator("#add-repo")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        using var scope = App.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        Assert.Equal(0, await db.Repositories.CountAsync(r => r.Name == name));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.User == deployer && e.Action == AuditActions.AccessDenied && e.Repository == name));
    }

    [Fact]
    public async Task A_deployer_of_one_environment_deploys_it_and_nothing_else()
    {
        var deployer = await People.CreateAsync(App, "deployer");
        Assert.Null(await Admin.GrantAsync(DashboardFixture.User, deployer, EnvironmentRole.Deployer, "example", "tick"));
        using var client = await People.SignedInAsync(App, deployer);
        var id = await DashboardApi.DeployAsync(client, "tick", App.MainHead);
        Assert.Equal("succeeded", (await DashboardApi.WaitAsync(client, id)).Status);
        var elsewhere = await client.PostAsJsonAsync("/api/repos/example/deployments", new { environment = "local", commit = App.MainHead, predict = true });
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);

        var policy = App.Factory.Services.GetRequiredService<IAccessPolicy>();
        var who = await policy.UsersWhoCanAsync("example", "tick", GovernedAction.Deploy);
        Assert.Contains(deployer, who);
        Assert.Contains(DashboardFixture.User, who);
        Assert.DoesNotContain(deployer, await policy.UsersWhoCanAsync("example", "local", GovernedAction.Deploy));
        Assert.DoesNotContain(deployer, await policy.UsersWhoCanAsync("example", "tick", GovernedAction.Approve));
    }

    [Fact]
    public async Task A_deployer_in_the_browser_sees_the_deploy_button_and_deploys()
    {
        var deployer = await People.CreateAsync(App, "deployer");
        Assert.Null(await Admin.GrantAsync(DashboardFixture.User, deployer, EnvironmentRole.Deployer, "example", null));
        var page = await SignedInAsAsync(deployer);
        await GoAsync(page, $"/repos/example/at/{App.MainHead}/env/tick");
        await page.ClickAsync("#deploy");
        await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 60_000 });
    }

    [Fact]
    public async Task A_disabled_user_loses_the_session_at_once_and_cannot_sign_in_again_until_enabled()
    {
        var person = await People.CreateAsync(App, "disabled");
        using var client = await People.SignedInAsync(App, person);
        Assert.Equal("/deployments", (await client.GetAsync("/deployments")).RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Null(await Admin.SetDisabledAsync(DashboardFixture.User, person, disabled: true));
        Assert.Equal("/account/login", (await client.GetAsync("/deployments")).RequestMessage!.RequestUri!.AbsolutePath);
        using (var again = App.NewClient())
        {
            var r = await DashboardFixture.PostFormAsync(again, "/account/login", "/account/login", new() { ["UserName"] = person, ["Password"] = People.Password });
            Assert.Equal("/account/login", r.RequestMessage!.RequestUri!.AbsolutePath);
        }
        Assert.NotNull(await Admin.SetDisabledAsync(DashboardFixture.User, DashboardFixture.User, disabled: true));   // the first admin stays
        Assert.Null(await Admin.SetDisabledAsync(DashboardFixture.User, person, disabled: false));
        using var back = await People.SignedInAsync(App, person);
    }

    [Fact]
    public async Task The_admin_pages_are_for_administrators_and_an_admin_gives_a_role_in_the_browser()
    {
        var viewer = await People.CreateAsync(App, "viewer");
        using var client = await People.SignedInAsync(App, viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/admin/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/admin/audit")).StatusCode);

        var page = await SignedInPageAsync();
        await GoAsync(page, "/admin/users");
        await page.ClickAsync("#grant-user");
        await page.GetByRole(AriaRole.Option, new() { Name = viewer }).ClickAsync();
        await page.FillAsync("#grant-repository", "example");
        await page.FillAsync("#grant-environment", "tick");
        await page.ClickAsync("#grant");
        await Expect(page.Locator("#assignments")).ToContainTextAsync(viewer);
        Assert.True(await App.Factory.Services.GetRequiredService<IAccessPolicy>().CanAsync(
            new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new(System.Security.Claims.ClaimTypes.Name, viewer)], "test")),
            "example", "tick", GovernedAction.Deploy));
        await ShotAsync(page, "admin-users.png");
    }
}
