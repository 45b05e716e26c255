using System.Text.RegularExpressions;
using Batou.Web.Tests.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests;

/// <summary>
/// How a fresh page brings its circuit up (issue #8, "interactive in under 1 s"): straight over a WebSocket (no
/// negotiate request), with the modules it needs preloaded at fingerprinted addresses, and marked interactive only
/// once the log pane's module has attached: at that moment scrolling the log already works.
/// </summary>
[Collection("dashboard")]
public sealed partial class CircuitStartTests(DashboardFixture app) : BrowserSession(app)
{
    [GeneratedRegex(@"/js/(log|theme)\.[a-z0-9]{6,}\.js$")]
    private static partial Regex FingerprintedModule();

    [Fact]
    public async Task A_finished_deployment_page_is_interactive_with_its_log_attached_without_negotiate_or_module_revalidation()
    {
        long id;
        using (var scope = App.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Batou.Web.Data.BatouDb>();
            var repository = await db.Repositories.Where(r => r.Name == "example").Select(r => r.Id).SingleAsync();
            (id, _) = await StoredLogDb.SeedAsync(db, 2_000, repository, "local", App.MainHead);
        }
        var page = await SignedInPageAsync();
        // the server-rendered response carries the rows the interactive pane will follow (LogLines.TailRows), not 500
        var html = await (await page.APIRequest.GetAsync($"{App.BaseUrl}/deployments/{id}")).TextAsync();
        Assert.Equal(Batou.Web.Components.LiveLog.LogLines.TailRows, Regex.Count(html, "class=\"log-line"));
        Assert.Contains("data-seq=\"2000\"", html, StringComparison.Ordinal);
        var requests = new List<string>();
        page.Request += (_, r) => { lock (requests) requests.Add(r.Url); };
        page.WebSocket += (_, w) => { lock (requests) requests.Add(w.Url); };

        await page.GotoAsync($"{App.BaseUrl}/deployments/{id}");
        await InteractiveAsync(page);
        // at the moment the page says it is interactive, log.js has attached to the pane and the pane is the
        // interactive one (its followed rows, not the 500 that used to be prerendered)
        var atMark = await page.EvaluateAsync<string[]>("""
            () => { const log = document.getElementById("log");
                    return [String(log.hasAttribute("data-js-pending")), log.dataset.mode, String(document.querySelectorAll("#log .log-line").length)]; }
            """);
        Assert.Equal("false", atMark[0]);
        Assert.Equal("tail", atMark[1]);
        Assert.InRange(int.Parse(atMark[2]), 1, 100);

        // scrolling up at once turns the pane virtual and offers the way back
        await page.HoverAsync("#log");
        for (var i = 0; i < 3; i++) await page.Mouse.WheelAsync(0, -1500);
        await Expect(page.Locator("#jump-to-end")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(page.Locator("#log[data-mode=virtual]")).ToBeAttachedAsync();

        List<string> seen;
        lock (requests) seen = [.. requests];
        Assert.DoesNotContain(seen, u => u.Contains("/_blazor/negotiate", StringComparison.Ordinal));
        Assert.Contains(seen, u => u.Contains("/_blazor", StringComparison.Ordinal) && u.StartsWith("ws", StringComparison.Ordinal));
        // the modules come from their fingerprinted (immutable) addresses, never from the plain ones
        var modules = seen.Where(u => u.Contains("/js/log.", StringComparison.Ordinal) || u.Contains("/js/theme.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(modules);
        Assert.All(modules, u => Assert.Matches(FingerprintedModule(), new Uri(u).AbsolutePath));
        // (in Production MapStaticAssets serves them "immutable"; the test dashboard runs in Development: no caching)
        var log = modules.First(u => u.Contains("/js/log.", StringComparison.Ordinal));
        Assert.Equal(200, (await page.APIRequest.GetAsync(log)).Status);
        // boot.js skips the JS-initializer request because there are none: a package that brings one must be seen
        var initializers = await page.APIRequest.GetAsync($"{App.BaseUrl}/_blazor/initializers");
        Assert.Equal("[]", (await initializers.TextAsync()).Trim());
        Assert.DoesNotContain(seen, u => u.Contains("/_blazor/initializers", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_dark_theme_chosen_in_one_page_is_applied_when_the_next_page_comes_up()
    {
        var page = await SignedInPageAsync();
        const string background = "() => getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim()";
        var light = await page.EvaluateAsync<string>(background);
        await page.ClickAsync("#theme-toggle");
        await Expect(page.Locator("#theme-toggle")).ToHaveAttributeAsync("aria-label", "switch theme");
        await page.WaitForFunctionAsync("() => localStorage.getItem('batou.theme') === 'dark'");

        await GoAsync(page, "/deployments");
        await page.WaitForFunctionAsync($"() => ({background})() !== {System.Text.Json.JsonSerializer.Serialize(light)}", null, new() { Timeout = 15_000 });
        Assert.NotEqual(light, await page.EvaluateAsync<string>(background));
        await page.Context.CloseAsync();
    }
}
