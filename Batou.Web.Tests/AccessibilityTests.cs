using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests;

/// <summary>Every main page passes an axe-core scan without serious or critical violations and fits a phone.</summary>
[Collection("dashboard")]
public sealed class AccessibilityTests(DashboardFixture app) : BrowserSession(app)
{
    private static readonly string Axe = Path.Combine(DashboardFixture.SourceRoot(), "wwwroot-assets", "node_modules", "axe-core", "axe.min.js");

    private static readonly Lazy<string> AxeSource = new(() => File.ReadAllText(Axe));

    private async Task<string[]> MainPagesAsync(IPage page)
    {
        var id = await DeployAsync(page, "local", predict: true);
        await Expect(page.Locator("#deployment")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 60_000 });
        var compare = await CompareScenario.ForAsync(App);
        return ["/", "/repos/example", $"/repos/example/at/{App.MainHead}/env/local", $"/repos/example/at/{App.MainHead}/env/local/host/localhost/component/app",
            $"/deployments/{id}", "/deployments", "/approvals", "/admin/host-keys", "/admin/users", "/admin/audit", $"/compare/{compare.A}/{compare.B}", "/admin/webhooks", "/account/tokens"];
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_violations_on_the_main_pages()
    {
        Assert.True(File.Exists(Axe), "axe-core is installed by the build's npm step (wwwroot-assets)");
        var page = await SignedInPageAsync();
        var report = new List<string>();
        // the Content-Security-Policy must not block anything the pages do (Blazor, MudBlazor, the graph)
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) report.Add("CSP: " + m.Text);
        };
        foreach (var path in await MainPagesAsync(page))
        {
            await GoAsync(page, path);
            await page.WaitForTimeoutAsync(300);   // let graphs and grids settle
            if (path.Contains("/env/", StringComparison.Ordinal) && !path.Contains("/component/", StringComparison.Ordinal))
                await Expect(page.Locator("#graph svg")).ToBeVisibleAsync(new() { Timeout = 30_000 });   // WebAssembly ran under the CSP
            // evaluated through the DevTools protocol: the page's CSP (rightly) refuses injected script tags
            await page.EvaluateAsync("() => { " + AxeSource.Value + "\n; window.axe = axe; }");
            var violations = await page.EvaluateAsync<string[]>("""
                async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
                    .filter(v => v.impact === "serious" || v.impact === "critical")
                    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")}`)
                """);
            report.AddRange(violations.Select(v => $"{path}: {v}"));
        }
        await File.WriteAllLinesAsync(Path.Combine(Shots, "axe.txt"), report.DefaultIfEmpty("no serious or critical violations"));
        Assert.True(report.Count == 0, string.Join("\n", report));
    }

    [Fact]
    public async Task A_390_pixel_phone_needs_no_sideways_scrolling()
    {
        var desktop = await SignedInPageAsync();
        var pages = await MainPagesAsync(desktop);
        var phone = await SignedInPageAsync(390, 844);
        var wide = new List<string>();
        foreach (var path in pages)
        {
            await GoAsync(phone, path);
            await phone.WaitForTimeoutAsync(300);
            var (scroll, client) = (await phone.EvaluateAsync<int>("document.documentElement.scrollWidth"), await phone.EvaluateAsync<int>("document.documentElement.clientWidth"));
            if (scroll > client) wide.Add($"{path}: {scroll} px wide in {client} px");
        }
        await ShotAsync(phone, "13-phone-history.png");
        Assert.True(wide.Count == 0, string.Join("\n", wide));
    }
}
