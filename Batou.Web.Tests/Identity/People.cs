using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Batou.Web.Tests.Identity;

/// <summary>Users of the shared dashboard that belong to one test: unique names, signed in with their own cookies.</summary>
public static class People
{
    public const string Password = "person-password-1";

    public static async Task<string> CreateAsync(DashboardFixture app, string prefix)
    {
        using var admin = await app.SignedInClientAsync();   // the first account (the admin) exists before anyone else
        var name = prefix + "-" + Guid.NewGuid().ToString("n")[..8];
        using var scope = app.Factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var result = await users.CreateAsync(new IdentityUser(name), Password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return name;
    }

    /// <summary>Gives <paramref name="user"/> a role on a repository (every environment of it) unless they have it: test arrangement.</summary>
    public static async Task GrantAsync(DashboardFixture app, string user, string role, string repository = "example")
    {
        using var scope = app.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Batou.Web.Data.BatouDb>();
        if (db.RoleAssignments.Any(a => a.UserName == user && a.Role == role && a.Repository == repository && a.Environment == null)) return;
        db.RoleAssignments.Add(new Batou.Web.Data.RoleAssignmentEntity
        {
            UserName = user, Role = role, Repository = repository, CreatedUtc = DateTime.UtcNow, CreatedBy = "tests",
        });
        await db.SaveChangesAsync();
    }

    public static async Task<HttpClient> SignedInAsync(DashboardFixture app, string name, string password = Password)
    {
        var client = app.NewClient();
        var response = await DashboardFixture.PostFormAsync(client, "/account/login", "/account/login", new() { ["UserName"] = name, ["Password"] = password });
        Assert.DoesNotContain("/account/login", response.RequestMessage!.RequestUri!.AbsolutePath);
        return client;
    }
}
