using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Batou.Web.Data;
using Batou.Web.Governance;
using Batou.Web.Governance.Webhooks;
using Batou.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Batou.Web.Tests;

/// <summary>Outgoing webhooks (issue #9 "Notifications") against a real HTTP receiver on loopback.</summary>
[Collection("dashboard")]
public sealed class WebhookTests(DashboardFixture app) : BrowserSession(app)
{
    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, DashboardFixture.User), new Claim(AdminRequirement.ClaimType, AdminRequirement.ClaimValue)], "test"));

    private static string Hmac(string secret, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    [Fact]
    public async Task An_admin_adds_a_webhook_and_the_receiver_gets_correctly_signed_events_of_a_deployment_listed_in_the_delivery_log()
    {
        var s = await CompareScenario.ForAsync(App);
        await using var receiver = await WebhookReceiver.StartAsync(_ => 200);
        var page = await SignedInPageAsync();
        await GoAsync(page, "/admin/webhooks");
        await page.Locator("#hook-url").FillAsync(receiver.Url);
        await page.Locator("#hook-repository").FillAsync("example");
        await page.Locator("#hook-environment").FillAsync(CompareScenario.Hooked);
        await page.ClickAsync("#create-hook");
        var secret = (await page.Locator("#new-secret").TextContentAsync(new() { Timeout = 15_000 }))!.Trim();
        Assert.StartsWith("whsec_", secret);
        var hookId = int.Parse(await page.Locator($".webhook").Last.GetAttributeAsync("data-id") ?? "0");
        try
        {
            using var client = await App.SignedInClientAsync();
            var id = await DashboardApi.DeployAsync(client, CompareScenario.Hooked, s.CommitA);
            Assert.Equal("succeeded", (await DashboardApi.WaitAsync(client, id)).Status);
            await DashboardApi.UntilAsync(() => Task.FromResult(receiver.Got.Count(r => Deployment(r) == id) >= 2), "started and succeeded delivered", 30);
            var mine = receiver.Got.Where(r => Deployment(r) == id).ToList();
            Assert.Equal(["deployment.started", "deployment.succeeded"], mine.Select(r => r.Event).Order());
            foreach (var r in mine)
            {
                Assert.Equal(Hmac(secret, r.Body), r.Signature);
                Assert.NotEqual(Hmac(secret + "x", r.Body), r.Signature);
                using var json = JsonDocument.Parse(r.Body);
                var e = json.RootElement;
                Assert.Equal(r.Delivery, e.GetProperty("id").GetString());
                Assert.Equal(r.Event, e.GetProperty("event").GetString());
                Assert.Equal("example", e.GetProperty("repository").GetString());
                Assert.Equal(CompareScenario.Hooked, e.GetProperty("environment").GetString());
                Assert.Equal(s.CommitA, e.GetProperty("commit").GetString());
                Assert.Equal(DashboardFixture.User, e.GetProperty("user").GetString());
                Assert.Equal(r.Event == "deployment.started" ? "running" : "succeeded", e.GetProperty("status").GetString());
                Assert.EndsWith($"/deployments/{id}", e.GetProperty("link").GetString());
            }
            // the delivery log shows each attempt; the secret appears neither there nor in the database
            await page.ReloadAsync();
            await InteractiveAsync(page);
            Assert.Equal(0, await page.Locator("#new-secret").CountAsync());
            var panel = page.Locator($".webhook[data-id='{hookId}']");
            await panel.Locator(".mud-expand-panel-header").ClickAsync();
            foreach (var r in mine)
                await Expect(panel.Locator($".attempt[data-delivery='{r.Delivery}'][data-attempt='1'][data-status='200']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
            Assert.DoesNotContain(secret, await page.ContentAsync());
            await using var scope = App.Factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            var stored = await db.Webhooks.AsNoTracking().SingleAsync(w => w.Id == hookId);
            Assert.DoesNotContain(secret, stored.SecretCipher);
            Assert.False(await db.WebhookDeliveries.AnyAsync(d => d.Body.Contains(secret)));
            Assert.False(await db.WebhookAttempts.AnyAsync(a => a.Error != null && a.Error.Contains(secret)));
        }
        finally
        {
            await App.Factory.Services.GetRequiredService<WebhookAdmin>().DeleteAsync(Admin, hookId);
        }
    }

    [Fact]
    public async Task A_receiver_that_answers_500_twice_gets_the_event_a_third_time_and_all_three_attempts_are_logged()
    {
        var s = await CompareScenario.ForAsync(App);
        await using var receiver = await WebhookReceiver.StartAsync(n => n <= 2 ? 500 : 200);
        var admin = App.Factory.Services.GetRequiredService<WebhookAdmin>();
        var made = await admin.CreateAsync(Admin, new NewWebhook(receiver.Url, "example", CompareScenario.Hooked, [NotificationKinds.DeploymentSucceeded]), null);
        Assert.Null(made.Error);
        try
        {
            using var client = await App.SignedInClientAsync();
            var id = await DashboardApi.DeployAsync(client, CompareScenario.Hooked, s.CommitA);
            await DashboardApi.WaitAsync(client, id);
            await using var scope = App.Factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            WebhookDeliveryEntity? delivery = null;
            await DashboardApi.UntilAsync(async () =>
            {
                delivery = await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.WebhookId == made.Id && d.Status != WebhookDeliveryStatus.Pending);
                return delivery is not null;
            }, "the delivery ends", 60);
            Assert.Equal((WebhookDeliveryStatus.Delivered, 3), (delivery!.Status, delivery.Attempts));
            var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == delivery.Id).OrderBy(a => a.Attempt).ToListAsync();
            Assert.Equal([(1, (int?)500), (2, 500), (3, 200)], attempts.Select(a => (a.Attempt, a.StatusCode)));
            Assert.All(attempts.Take(2), a => Assert.StartsWith("HTTP 500", a.Error));
            var got = receiver.Got.Where(r => r.Delivery == delivery.EventId).ToList();
            Assert.Equal([500, 500, 200], got.Select(r => r.Answered));
            Assert.All(got, r => Assert.Equal(Encoding.UTF8.GetString(got[0].Body), Encoding.UTF8.GetString(r.Body)));
            // exponential back-off: each wait is at least its scheduled delay (0.3 s, then 0.6 s); comparing the two waits
            // with each other would measure the dispatcher's latency under load instead
            var times = string.Join(", ", got.Select(r => r.At.ToString("HH:mm:ss.fff")));
            Assert.True(got[1].At - got[0].At >= TimeSpan.FromSeconds(0.25), times);
            Assert.True(got[2].At - got[1].At >= TimeSpan.FromSeconds(0.55), times);
            Assert.Equal(DeploymentOf(got[0]), id);
        }
        finally
        {
            await admin.DeleteAsync(Admin, made.Id!.Value);
        }
    }

    [Fact]
    public async Task Bad_addresses_and_events_are_refused_with_a_reason()
    {
        var admin = App.Factory.Services.GetRequiredService<WebhookAdmin>();
        Assert.Contains("not an http:// or https:// address", (await admin.CreateAsync(Admin, new NewWebhook("ftp://x", null, null, [NotificationKinds.DeploymentFailed]), null)).Error);
        Assert.Contains("Unknown event(s): deployment.exploded", (await admin.CreateAsync(Admin, new NewWebhook("http://127.0.0.1:9/", null, null, ["deployment.exploded"]), null)).Error);
        Assert.Contains("name the repository", (await admin.CreateAsync(Admin, new NewWebhook("http://127.0.0.1:9/", null, "hooked", [NotificationKinds.DeploymentFailed]), null)).Error);
        var someone = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone")], "test"));
        Assert.Equal("Only admins may add webhooks.", (await admin.CreateAsync(someone, new NewWebhook("http://127.0.0.1:9/", null, null, [NotificationKinds.DeploymentFailed]), null)).Error);
    }

    private static long Deployment(WebhookReceiver.Received r) => DeploymentOf(r);

    private static long DeploymentOf(WebhookReceiver.Received r)
    {
        using var json = JsonDocument.Parse(r.Body);
        return json.RootElement.GetProperty("deployment").GetInt64();
    }
}
