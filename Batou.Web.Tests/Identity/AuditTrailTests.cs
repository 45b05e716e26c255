using System.Net;
using System.Net.Http.Json;
using Batou.Web.Data;
using Batou.Web.Governance.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Batou.Web.Tests.Identity;

/// <summary>The audit trail in the database (issue #9): what is recorded, the CSV export, who may read it, and that nothing edits it.</summary>
[Collection("dashboard")]
public sealed class AuditTrailTests(DashboardFixture app)
{
    private async Task<List<AuditEntryEntity>> EntriesAsync(Func<AuditEntryEntity, bool> where)
    {
        using var scope = app.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
        return (await db.AuditEntries.AsNoTracking().ToListAsync()).Where(where).ToList();
    }

    [Fact]
    public async Task Sign_in_attempts_are_recorded_with_the_address_and_never_the_password()
    {
        var name = await People.CreateAsync(app, "audited");
        const string wrong = "canary-wrong-password-4711";
        using (var client = app.NewClient())
            await DashboardFixture.PostFormAsync(client, "/account/login", "/account/login", new() { ["UserName"] = name, ["Password"] = wrong });
        using (var client = await People.SignedInAsync(app, name))
            await DashboardFixture.PostFormAsync(client, "/", "/account/logout", []);

        var mine = await EntriesAsync(e => e.User == name);
        Assert.Equal(["sign-in.failed", "sign-in.succeeded", "sign-out"], mine.OrderBy(e => e.Id).Select(e => e.Action));
        Assert.All(mine, e => Assert.Equal("127.0.0.1", e.Address));
        Assert.Empty(await EntriesAsync(e => $"{e.Target}{e.Before}{e.After}{e.Detail}{e.User}".Contains("canary", StringComparison.Ordinal)
                                              || $"{e.Detail}".Contains(People.Password, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Five_wrong_passwords_record_a_lock_out()
    {
        var name = await People.CreateAsync(app, "locked");
        using var client = app.NewClient();
        for (var i = 0; i < 6; i++)
            await DashboardFixture.PostFormAsync(client, "/account/login", "/account/login", new() { ["UserName"] = name, ["Password"] = "wrong-" + i });
        var mine = (await EntriesAsync(e => e.User == name)).OrderBy(e => e.Id).Select(e => e.Action).ToList();
        Assert.Equal(4, mine.Count(a => a == AuditActions.SignInFailed));
        Assert.Equal(2, mine.Count(a => a == AuditActions.SignInLockedOut));
    }

    [Fact]
    public async Task A_deploy_request_and_its_cancel_are_recorded_with_repository_environment_and_target()
    {
        using var client = await app.SignedInClientAsync();
        var id = await DashboardApi.DeployAsync(client, "tick", app.MainHead);
        await DashboardApi.WaitAsync(client, id);
        await DashboardApi.CancelAsync(client, id);
        var entries = await EntriesAsync(e => e.Target == $"deployment #{id}");
        var requested = Assert.Single(entries, e => e.Action == AuditActions.DeploymentRequested);
        Assert.Equal((DashboardFixture.User, "example", "tick"), (requested.User, requested.Repository, requested.Environment));
        Assert.Contains(app.MainHead, requested.Detail);
        var cancel = Assert.Single(entries, e => e.Action == AuditActions.CancelRequested);
        Assert.Equal("tick", cancel.Environment);
    }

    [Fact]
    public async Task The_csv_export_has_the_filtered_entries_only_and_is_for_administrators()
    {
        var name = await People.CreateAsync(app, "csv");
        using (var client = app.NewClient())
            await DashboardFixture.PostFormAsync(client, "/account/login", "/account/login", new() { ["UserName"] = name, ["Password"] = "=cmd|' /C calc'!A0" });
        using var admin = await app.SignedInClientAsync();
        var response = await admin.GetAsync($"/admin/audit.csv?user={name}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,at_utc,action,user", lines[0]);
        var row = Assert.Single(lines.Skip(1));
        Assert.Contains($",sign-in.failed,{name},127.0.0.1,", row);

        using var person = await People.SignedInAsync(app, name);
        var refused = await person.GetAsync("/admin/audit.csv");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("-2", "'-2")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("plain", "plain")]
    public void Csv_cells_are_quoted_and_never_start_a_formula(string value, string expected) =>
        Assert.Equal(expected, AuditQuery.Csv(value));

    [Fact]
    public void No_endpoint_changes_or_deletes_audit_entries()
    {
        var routes = app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.Contains("audit", StringComparison.OrdinalIgnoreCase) == true)
            // the page itself (a component endpoint takes GET, and POST for forms it does not have) renders, it never writes
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is null).ToList();
        Assert.NotEmpty(routes);
        foreach (var route in routes)
        {
            var methods = route.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [];
            Assert.True(methods.Count > 0 && methods.All(m => m is "GET" or "HEAD"), $"{route.RoutePattern.RawText}: {string.Join(",", methods)}");
        }
    }
}
