using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;

namespace Batou.Web.Tests;

/// <summary>
/// A dashboard run from the build output outside Development (the README's way) lets browsers keep its fingerprinted
/// stylesheets and scripts for good: a fresh page asks for none of them again before its circuit starts. Development
/// keeps the hot-reload behaviour (no-cache).
/// </summary>
[Collection("dashboard")]
public sealed partial class StaticAssetCachingTests(DashboardFixture app)
{
    [GeneratedRegex("(?:href|src)=\"([^\"]+\\.[a-z0-9]{8,}\\.(?:css|js))\"")]
    private static partial Regex Fingerprinted();

    [Fact]
    public async Task Fingerprinted_assets_are_immutable_outside_development_and_revalidated_in_it()
    {
        await using var production = DashboardInstance.Start(app, configure: b => b.UseEnvironment("Production"));
        using var client = production.NewClient();
        var html = await client.GetStringAsync("/account/login");
        var assets = Fingerprinted().Matches(html).Select(m => m.Groups[1].Value).Distinct().ToList();
        // MudBlazor's stylesheet and script, ours, blazor.web.js and the preloaded modules
        Assert.True(assets.Count >= 5, string.Join(", ", assets));
        Assert.Contains(assets, a => a.StartsWith("_framework/blazor.web.", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var response = await client.GetAsync("/" + asset);
            response.EnsureSuccessStatusCode();
            Assert.Equal("max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        }
        // the plain address of the same file is revalidated: it changes with every build
        using (var plain = await client.GetAsync("/_framework/blazor.web.js"))
            Assert.Equal("no-cache", plain.Headers.CacheControl?.ToString());

        // the shared test dashboard runs in Development: hot reload, nothing cached
        using var development = app.Factory.CreateClient();
        using var dev = await development.GetAsync("/" + assets.First(a => a.StartsWith("_framework/blazor.web.", StringComparison.Ordinal)));
        Assert.Equal("no-cache", dev.Headers.CacheControl?.ToString());
    }
}
