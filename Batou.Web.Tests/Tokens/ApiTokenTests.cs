using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Batou.Web.Data;
using Batou.Web.Deployments;
using Batou.Web.Git;
using Batou.Web.Governance.Approvals;
using Batou.Web.Governance.Identity;
using Batou.Web.Governance.Tokens;
using Batou.Web.Infrastructure;
using Batou.Web.Tests.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Batou.Web.Tests.Tokens;

/// <summary>
/// Personal API tokens on the shared dashboard (issue #9): CI deploys and follows a deployment with a token, the
/// token's scope and its owner's current roles both bound it, a disabled owner's token stops, the OpenAPI description.
/// </summary>
[Collection("dashboard")]
public sealed class ApiTokenTests(DashboardFixture app)
{
    private async Task<List<AuditEntryEntity>> AuditAsync(Func<AuditEntryEntity, bool> where)
    {
        using var scope = app.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        return (await db.AuditEntries.AsNoTracking().ToListAsync()).Where(where).ToList();
    }

    private async Task<string> DeployerAsync(string prefix)
    {
        var name = await People.CreateAsync(app, prefix);
        await People.GrantAsync(app, name, "deployer");
        return name;
    }

    [Fact]
    public async Task A_deployers_token_requests_a_deployment_and_follows_its_status_and_events_to_the_end()
    {
        var ci = await DeployerAsync("ci");
        var token = await Tokens.CreateAsync(app.Factory.Services, ci, [TokenAction.Read, TokenAction.Deploy, TokenAction.Cancel], "example/tick");
        using var client = Tokens.Bearer(app.BaseUrl, token);

        var response = await client.PostAsJsonAsync("/api/repos/example/deployments", new { environment = "tick", commit = app.MainHead });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");   // queued (202 = waits for approvals)
        var id = JsonSerializer.Deserialize<DashboardApi.Deployment>(body, JsonSerializerOptions.Web)!.Id;
        Assert.Equal($"/api/deployments/{id}", response.Headers.Location!.OriginalString);

        var done = await DashboardApi.WaitAsync(client, id);
        Assert.Equal("succeeded", done.Status);
        var events = await DashboardApi.EventsAsync(client, id);
        Assert.Contains(events, e => e.Type == "DeploymentFinished");
        Assert.Equal(events.Select(e => e.Seq).Order(), events.Select(e => e.Seq));

        // cancelling with the token needs no JSON body and no antiforgery token (no cookie is involved): 409, it ended
        var cancel = await client.PostAsync($"/api/deployments/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);

        // the audit trail names the owner and the token; the token's "last used" is set
        var requested = Assert.Single(await AuditAsync(e => e.Action == AuditActions.DeploymentRequested && e.Target == $"deployment #{id}"));
        Assert.Equal(ci, requested.User);
        Assert.Contains($"via token ", requested.Detail);
        Assert.Contains(Tokens.PublicId(token), requested.Detail);
        var row = Assert.Single(await app.Factory.Services.GetRequiredService<ApiTokenStore>().ListAsync(ci));
        Assert.NotNull(row.LastUsedUtc);
    }

    [Fact]
    public async Task A_token_request_to_an_environment_that_needs_approval_is_202_and_waits_holding_nothing()
    {
        var ci = await DeployerAsync("gated");
        var services = app.Factory.Services;
        var repo = (await services.GetRequiredService<RepositoryCatalog>().FindAsync("example"))!;
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, DashboardFixture.User),
            new Claim(AdminRequirement.ClaimType, AdminRequirement.ClaimValue)], "test"));
        Assert.Null(await services.GetRequiredService<PolicyStore>().SaveAsync(admin, repo, "token-gate",
            PolicyInput.Default with { RequiredApprovals = 1, Approvers = DashboardFixture.User }));
        using var client = Tokens.Bearer(app.BaseUrl, await Tokens.CreateAsync(services, ci, [TokenAction.Read, TokenAction.Deploy], "example/token-gate"));

        var response = await client.PostAsJsonAsync("/api/repos/example/deployments", new { environment = "token-gate", commit = app.MainHead });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        var id = JsonSerializer.Deserialize<DashboardApi.Deployment>(body, JsonSerializerOptions.Web)!.Id;
        Assert.Equal(DeploymentStatus.AwaitingApproval, (await DashboardApi.GetAsync(client, id)).Status);
        // the token cannot approve its own request (no token can approve); the admin rejects it, so nothing stays waiting
        Assert.Null(await services.GetRequiredService<ApprovalDesk>().RejectAsync(admin, id, "a test of the API"));
        Assert.Equal(DeploymentStatus.Rejected, (await DashboardApi.GetAsync(client, id)).Status);
    }

    [Fact]
    public async Task A_read_only_token_cannot_deploy_and_a_token_for_one_environment_cannot_deploy_another()
    {
        var ci = await DeployerAsync("scoped");
        using var readOnly = Tokens.Bearer(app.BaseUrl, await Tokens.CreateAsync(app.Factory.Services, ci, [TokenAction.Read]));
        var refused = await readOnly.PostAsJsonAsync("/api/repos/example/deployments", new { environment = "tick", commit = app.MainHead });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("the token's scope does not allow deploy on example/tick", await refused.Content.ReadAsStringAsync());

        using var tickOnly = Tokens.Bearer(app.BaseUrl, await Tokens.CreateAsync(app.Factory.Services, ci, [TokenAction.Read, TokenAction.Deploy], "example/tick"));
        var other = await tickOnly.PostAsJsonAsync("/api/repos/example/deployments", new { environment = "local", commit = app.MainHead });
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        // within its scope the same token gets past the access check (an unknown commit is the next thing to fail: nothing runs)
        var inScope = await tickOnly.PostAsJsonAsync("/api/repos/example/deployments", new { environment = "tick", commit = "0000000" });
        Assert.Equal(HttpStatusCode.NotFound, inScope.StatusCode);

        var denied = await AuditAsync(e => e.Action == AuditActions.AccessDenied && e.User == ci);
        Assert.Equal(2, denied.Count);
        Assert.All(denied, e => Assert.Contains("via token", e.Detail));
    }

    [Fact]
    public async Task A_viewers_token_with_deploy_scope_cannot_deploy_and_cannot_read_outside_its_scope()
    {
        var viewer = await People.CreateAsync(app, "viewer-ci");   // no role: a viewer everywhere
        using var client = Tokens.Bearer(app.BaseUrl, await Tokens.CreateAsync(app.Factory.Services, viewer, [TokenAction.Read, TokenAction.Deploy], "example/local"));
        var refused = await client.PostAsJsonAsync("/api/repos/example/deployments", new { environment = "local", commit = app.MainHead });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("needs the role deployer", await refused.Content.ReadAsStringAsync());

        // reading a deployment of another environment is outside the token's scope
        using var admin = await app.SignedInClientAsync();
        var tick = await DashboardApi.DeployAsync(admin, "tick", app.MainHead);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/deployments/{tick}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/deployments/{tick}/events")).StatusCode);
        await DashboardApi.WaitAsync(admin, tick);
    }

    [Fact]
    public async Task Lowering_the_owners_role_or_disabling_the_owner_stops_the_token_at_once()
    {
        var ci = await DeployerAsync("lowered");
        var token = await Tokens.CreateAsync(app.Factory.Services, ci, [TokenAction.Read, TokenAction.Deploy]);
        using var client = Tokens.Bearer(app.BaseUrl, token);
        // an unknown commit: past the access check (404), nothing is deployed
        Task<HttpResponseMessage> TryDeploy() => client.PostAsJsonAsync("/api/repos/example/deployments", new { environment = "tick", commit = "0000000" });
        Assert.Equal(HttpStatusCode.NotFound, (await TryDeploy()).StatusCode);

        using (var scope = app.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            await db.RoleAssignments.Where(a => a.UserName == ci).ExecuteUpdateAsync(s => s.SetProperty(a => a.Role, "viewer"));
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await TryDeploy()).StatusCode);

        using (var scope = app.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            await db.RoleAssignments.Where(a => a.UserName == ci).ExecuteUpdateAsync(s => s.SetProperty(a => a.Role, "deployer"));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await TryDeploy()).StatusCode);

        Assert.Null(await app.Factory.Services.GetRequiredService<UserAdmin>().SetDisabledAsync(DashboardFixture.User, ci, disabled: true));
        var rejected = await TryDeploy();
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Contains("invalid or expired token", await rejected.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/deployments/1")).StatusCode);
        var entry = Assert.Single(await AuditAsync(e => e.Action == AuditActions.TokenRejected && e.Target == $"token {Tokens.PublicId(token)}"), e => e.Detail!.Contains("POST"));
        Assert.Contains("disabled", entry.Detail);
        Assert.Equal(ci, entry.User);
    }

    [Fact]
    public async Task Only_the_owner_or_an_administrator_revokes_a_token_and_creation_and_revocation_are_audited_without_the_secret()
    {
        var owner = await DeployerAsync("owner");
        var other = await People.CreateAsync(app, "other");
        var services = app.Factory.Services;
        var token = await Tokens.CreateAsync(services, owner, [TokenAction.Read]);
        var store = services.GetRequiredService<ApiTokenStore>();
        var row = Assert.Single(await store.ListAsync(owner));
        Assert.Contains("Only its owner or an administrator", await store.RevokeAsync(await Tokens.PrincipalAsync(services, other), row.Id));
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, DashboardFixture.User),
            new Claim(AdminRequirement.ClaimType, AdminRequirement.ClaimValue)], "test"));
        Assert.Null(await store.RevokeAsync(admin, row.Id));
        Assert.Contains("revoked already", await store.RevokeAsync(admin, row.Id));
        Assert.Equal(ApiTokenState.Revoked, Assert.Single(await store.ListAsync(owner)).StateAt(DateTime.UtcNow));

        var entries = (await AuditAsync(e => e.Target == $"token {row.Name} ({row.PublicId}) of {owner}")).OrderBy(e => e.Id).ToList();
        Assert.Equal([AuditActions.TokenCreated, AuditActions.TokenRevoked], entries.Select(e => e.Action));
        Assert.Equal([owner, DashboardFixture.User], entries.Select(e => e.User));
        Assert.Contains("actions=read", entries[0].After);
        Assert.All(entries, e => Assert.DoesNotContain(token[^43..], $"{e.Target}{e.Before}{e.After}{e.Detail}"));
        using var client = Tokens.Bearer(app.BaseUrl, token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/deployments/1")).StatusCode);
    }

    [Fact]
    public async Task A_bearer_token_opens_only_the_api_not_the_pages()
    {
        using var signedIn = await app.SignedInClientAsync();   // the admin exists
        var token = await Tokens.CreateAsync(app.Factory.Services, DashboardFixture.User, [TokenAction.Read]);
        using var client = Tokens.Bearer(app.BaseUrl, token);
        var page = await client.GetAsync("/deployments");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/account/login", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/deployments/99999999")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_description_has_the_deployment_paths_their_status_codes_and_the_bearer_scheme()
    {
        using var anonymous = app.NewClient(redirects: false);
        var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        var paths = root.GetProperty("paths");
        var names = paths.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/repos/{name}/deployments", names);
        Assert.Contains("/api/deployments/{id}", names);
        Assert.Contains("/api/deployments/{id}/events", names);
        Assert.Contains("/api/deployments/{id}/cancel", names);
        Assert.All(names, n => Assert.StartsWith("/api/", n));
        var post = paths.GetProperty("/api/repos/{name}/deployments").GetProperty("post");
        var codes = post.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
        foreach (var code in new[] { "201", "202", "400", "401", "403", "404", "409" }) Assert.Contains(code, codes);
        Assert.True(post.TryGetProperty("requestBody", out _));
        var bearer = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        Assert.True(post.GetProperty("security")[0].TryGetProperty("bearer", out _));
    }
}
