using System.Net.Http.Headers;
using System.Security.Claims;
using Batou.Web.Governance.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Batou.Web.Tests.Tokens;

/// <summary>Test arrangement for API tokens: create one for a user through the store, and clients that send it (and no cookie).</summary>
public static class Tokens
{
    public static async Task<string> CreateAsync(IServiceProvider services, string user, TokenAction[] actions, string environments = "", int days = 30,
        string? name = null)
    {
        var owner = await PrincipalAsync(services, user);
        var made = await services.GetRequiredService<ApiTokenStore>().CreateAsync(owner, new NewApiToken(name ?? "ci-" + Guid.NewGuid().ToString("n")[..6], days,
            environments, actions));
        Assert.Null(made.Error);
        Assert.StartsWith("batou_" + made.PublicId + "_", made.Token);
        return made.Token!;
    }

    /// <summary>The user as the pages see them (signed in with the cookie).</summary>
    public static async Task<ClaimsPrincipal> PrincipalAsync(IServiceProvider services, string user)
    {
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var u = (await users.FindByNameAsync(user))!;
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, u.Id), new Claim(ClaimTypes.Name, u.UserName!)], "test"));
    }

    public static HttpClient Bearer(string baseUrl, string token)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static string PublicId(string token) => ApiTokenFormat.PublicIdOf(token)!;
}
