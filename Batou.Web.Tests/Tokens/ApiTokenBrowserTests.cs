using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests.Tokens;

/// <summary>The tokens page in a real browser: create a token, see its secret once, use it, revoke it; the admin list shows it.</summary>
[Collection("dashboard")]
public sealed class ApiTokenBrowserTests(DashboardFixture app) : BrowserSession(app)
{
    [Fact]
    public async Task A_token_made_in_the_browser_is_shown_once_works_and_stops_working_when_revoked()
    {
        var page = await SignedInPageAsync();
        await page.ClickAsync("#my-tokens-link");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/tokens$"));
        await InteractiveAsync(page);
        var name = "browser-" + Guid.NewGuid().ToString("n")[..6];
        await page.FillAsync("#token-name", name);
        await page.FillAsync("#token-environments", "example/tick");
        await page.ClickAsync("#create-token");
        var secret = page.Locator("#new-token-secret");
        await Expect(secret).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var token = (await secret.TextContentAsync())!.Trim();
        Assert.Matches("^batou_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$", token);
        var row = page.Locator("#my-tokens tr", new() { HasTextString = name });
        await Expect(row.Locator(".token-state")).ToHaveAttributeAsync("data-state", "active");
        await Expect(row.Locator(".token-environments")).ToHaveTextAsync("example/tick");
        await Expect(row.Locator(".token-actions")).ToHaveTextAsync("read, deploy");
        await ShotAsync(page, "tokens-created.png");

        using (var client = Tokens.Bearer(App.BaseUrl, token))
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/deployments/99999999")).StatusCode);   // signed in by the token: 404, not 401

        // shown once: a reload has the row, not the secret
        await GoAsync(page, "/account/tokens");
        await Expect(page.Locator("#my-tokens tr", new() { HasTextString = name })).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#new-token-secret").CountAsync());
        Assert.DoesNotContain(token[^43..], await page.ContentAsync());

        // administrators see everybody's tokens on the users page
        await GoAsync(page, "/admin/users");
        await Expect(page.Locator("#all-tokens tr", new() { HasTextString = name })).ToBeVisibleAsync();

        await GoAsync(page, "/account/tokens");
        row = page.Locator("#my-tokens tr", new() { HasTextString = name });
        await row.Locator(".revoke-token").ClickAsync();
        await page.Locator(".mud-dialog button", new() { HasTextString = "Revoke" }).ClickAsync();
        await Expect(row.Locator(".token-state")).ToHaveAttributeAsync("data-state", "revoked");
        await Expect(row.Locator(".revoke-token")).ToHaveCountAsync(0);
        await ShotAsync(page, "tokens-revoked.png");
        using (var client = Tokens.Bearer(App.BaseUrl, token))
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/deployments/99999999")).StatusCode);
    }

    [Fact]
    public async Task A_token_without_a_name_or_with_a_bad_pattern_is_refused_with_the_reason()
    {
        var page = await SignedInPageAsync();
        await GoAsync(page, "/account/tokens");
        await page.ClickAsync("#create-token");
        await Expect(page.Locator("#token-error")).ToContainTextAsync("Give the token a name");
        await page.FillAsync("#token-name", "bad-pattern");
        await page.FillAsync("#token-environments", "staging");
        await page.ClickAsync("#create-token");
        await Expect(page.Locator("#token-error")).ToContainTextAsync("'staging' is not an environment pattern");
        Assert.Equal(0, await page.Locator("#new-token-secret").CountAsync());
    }
}
