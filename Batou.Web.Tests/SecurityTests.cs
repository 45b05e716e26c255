using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;

namespace Batou.Web.Tests;

/// <summary>The findings of the outside review of the dashboard (issue #12, web): each request that got through before is refused now.</summary>
[Collection("dashboard")]
public sealed class SecurityTests(DashboardFixture app)
{
    [Theory]
    [InlineData("/deployments/1/cancel")]
    [InlineData("/repos/example/fetch")]
    [InlineData("/account/logout")]
    public async Task A_bodiless_post_without_a_token_is_refused_with_400(string path)
    {
        using var client = await app.SignedInClientAsync();
        var response = await client.PostAsync(path, null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // still signed in: the sign-out did not happen
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/deployments")).StatusCode);
        Assert.Equal("/deployments", (await client.GetAsync("/deployments")).RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task A_form_with_a_wrong_token_is_a_400_not_a_500()
    {
        using var client = await app.SignedInClientAsync();
        var response = await client.PostAsync("/repos/example/deploy", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = "CfDJ8-not-a-token", ["Environment"] = "local", ["Commit"] = app.MainHead,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/\\evil.example")]
    [InlineData("/\\/evil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example/")]
    public async Task Sign_in_never_redirects_off_site(string returnUrl)
    {
        using var signedIn = await app.SignedInClientAsync();   // the admin exists
        using var client = NoRedirects();
        var response = await PostSignInAsync(client, DashboardFixture.Password, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Sign_in_follows_a_local_return_address()
    {
        using var signedIn = await app.SignedInClientAsync();
        using var client = NoRedirects();
        var response = await PostSignInAsync(client, DashboardFixture.Password, "/deployments?env=local");
        Assert.Equal("/deployments?env=local", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Pages_carry_a_content_security_policy_and_the_other_security_headers()
    {
        using var client = await app.SignedInClientAsync();
        var response = await client.GetAsync("/");
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("'unsafe-inline' ; script", csp);
        Assert.DoesNotContain("unsafe-eval'", csp.Replace("wasm-unsafe-eval", "", StringComparison.Ordinal));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        // no inline script in the page itself (the CSP would block it)
        var doc = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.All(doc.QuerySelectorAll("script"), s => Assert.False(string.IsNullOrWhiteSpace(s.GetAttribute("src")), "inline script: " + s.OuterHtml[..Math.Min(80, s.OuterHtml.Length)]));
    }

    [Fact]
    public async Task Signing_out_ends_every_session_of_the_user_even_a_copied_cookie()
    {
        await using var dashboard = DashboardInstance.Start(app);
        using var first = await dashboard.SignedInClientAsync();
        await dashboard.CreateUserAsync("carol", "carol-password-1");
        using var laptop = await dashboard.SignedInClientAsync("carol", "carol-password-1");
        using var phone = await dashboard.SignedInClientAsync("carol", "carol-password-1");
        Assert.Equal("/deployments", (await phone.GetAsync("/deployments")).RequestMessage!.RequestUri!.AbsolutePath);
        var signOut = await DashboardFixture.PostFormAsync(laptop, "/", "/account/logout", []);
        Assert.Equal("/account/login", signOut.RequestMessage!.RequestUri!.AbsolutePath);
        // the phone's cookie was issued before: it no longer opens anything
        Assert.Equal("/account/login", (await phone.GetAsync("/deployments")).RequestMessage!.RequestUri!.AbsolutePath);
        // the admin's session is untouched
        Assert.Equal("/deployments", (await first.GetAsync("/deployments")).RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task Wrong_passwords_lock_the_account_and_the_form_is_rate_limited()
    {
        await using var dashboard = DashboardInstance.Start(app);
        using var admin = await dashboard.SignedInClientAsync();
        await dashboard.CreateUserAsync("mallory-target", "target-password-1");
        using var attacker = dashboard.NewClient();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await PostSignInAsync(attacker, "wrong-" + i, "/", "mallory-target", dashboard.BaseUrl)).StatusCode);
        using (var scope = dashboard.Factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Microsoft.AspNetCore.Identity.IdentityUser>>();
            Assert.True(await users.IsLockedOutAsync((await users.FindByNameAsync("mallory-target"))!));
        }
        // locked: the right password is refused too
        var right = await PostSignInAsync(dashboard.NewClient(), "target-password-1", "/", "mallory-target", dashboard.BaseUrl);
        Assert.Contains("/account/login", right.RequestMessage!.RequestUri!.AbsolutePath);
        // and the form answers 429 once an address has tried 10 times in a minute
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++) statuses.Add((await PostSignInAsync(attacker, "wrong", "/", "mallory-target", dashboard.BaseUrl)).StatusCode);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task Ten_concurrent_first_run_set_ups_create_exactly_one_administrator()
    {
        await using var dashboard = DashboardInstance.Start(app);
        var clients = Enumerable.Range(0, 10).Select(_ => dashboard.NewClient()).ToList();
        var tokens = await Task.WhenAll(clients.Select(async c =>
            new HtmlParser().ParseDocument(await c.GetStringAsync("/setup")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!));
        await Task.WhenAll(clients.Select((c, i) => c.PostAsync("/account/setup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = tokens[i], ["UserName"] = "admin" + i, ["Password"] = "password-" + i, ["Confirm"] = "password-" + i,
        }))));
        using var scope = dashboard.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Batou.Web.Data.BatouDb>();
        Assert.Equal(1, db.Users.Count());
        foreach (var c in clients) c.Dispose();
    }

    /// <summary>A client that shows redirects instead of following them (the factory's option does not reach a Kestrel-hosted app).</summary>
    private HttpClient NoRedirects() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() }) { BaseAddress = new Uri(app.BaseUrl) };

    private async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string password, string returnUrl, string user = DashboardFixture.User, string? baseUrl = null)
    {
        var html = await client.GetStringAsync((baseUrl ?? app.BaseUrl) + "/account/login");
        var token = new HtmlParser().ParseDocument(html).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return await client.PostAsync((baseUrl ?? app.BaseUrl) + "/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["UserName"] = user, ["Password"] = password, ["ReturnUrl"] = returnUrl,
        }));
    }
}
