using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Batou.Web.Tests;

/// <summary>The break-glass override needs a reason on the server too (Deployer and the JSON API), not only in the dialog.</summary>
[Collection("dashboard")]
public sealed class OverrideReasonTests(DashboardFixture app)
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_override_without_a_reason_is_a_400_and_queues_nothing(string? reason)
    {
        using var client = await app.SignedInClientAsync();   // the administrator: allowed to override, so only the reason is missing
        var before = await CountAsync();
        var response = await client.PostAsJsonAsync("/api/repos/example/deployments",
            new { environment = "gate-window", commit = app.MainHead, @override = true, overrideReason = reason });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("An override needs a reason.", body, StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    private async Task<int> CountAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Batou.Web.Data.BatouDb>().Deployments.CountAsync(d => d.Environment == "gate-window");
    }

    [Fact]
    public async Task A_non_administrator_may_not_override_at_all()
    {
        var name = await Identity.People.CreateAsync(app, "overrider");
        await Identity.People.GrantAsync(app, name, "deployer");
        using var client = await Identity.People.SignedInAsync(app, name);
        var response = await client.PostAsJsonAsync("/api/repos/example/deployments",
            new { environment = "gate-window", commit = app.MainHead, @override = true, overrideReason = "it is urgent" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("admin", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
