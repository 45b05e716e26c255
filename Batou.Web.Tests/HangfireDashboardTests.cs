using System.Net;

namespace Batou.Web.Tests;

/// <summary>/hangfire is Hangfire's dashboard, for administrators only: the first account, not a later one, nobody signed out.</summary>
[Collection("dashboard")]
public sealed class HangfireDashboardTests(DashboardFixture app)
{
    [Fact]
    public async Task Only_the_first_account_opens_the_hangfire_dashboard()
    {
        await using var dashboard = DashboardInstance.Start(app);
        using var admin = await dashboard.SignedInClientAsync();
        await dashboard.CreateUserAsync("bob", "bob-password-1");
        using var bob = await dashboard.SignedInClientAsync("bob", "bob-password-1");
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(dashboard.BaseUrl) };

        var page = await admin.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Hangfire", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/hangfire/servers")).StatusCode);
        var forbidden = await bob.GetAsync("/hangfire");
        Assert.False(forbidden.StatusCode == HttpStatusCode.OK && forbidden.RequestMessage!.RequestUri!.AbsolutePath == "/hangfire",
            $"bob got {(int)forbidden.StatusCode} at {forbidden.RequestMessage!.RequestUri}");
        Assert.DoesNotContain("Recurring jobs", await forbidden.Content.ReadAsStringAsync());
        var signedOut = await anonymous.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith("/account/login", signedOut.Headers.Location!.PathAndQuery);
    }
}
