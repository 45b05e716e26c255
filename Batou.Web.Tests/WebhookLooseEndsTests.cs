using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Batou.Web.Data;
using Batou.Web.Deployments;
using Batou.Web.Governance;
using Batou.Web.Governance.Approvals;
using Batou.Web.Governance.Webhooks;
using Batou.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Batou.Web.Tests;

/// <summary>
/// Webhooks (issue #9): a request cancelled before it starts is announced as cancelled; <c>deployment.started</c> only
/// after the start-time checks passed; admins disable and enable a webhook without losing its delivery log. Against the
/// real HTTP receiver, on the "hook-gate" environment (only these tests put a policy or webhook on it).
/// </summary>
[Collection("dashboard")]
public sealed class WebhookLooseEndsTests(DashboardFixture app)
{
    private const string Env = "hook-gate";

    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, DashboardFixture.User), new Claim(AdminRequirement.ClaimType, AdminRequirement.ClaimValue)], "test"));

    private IServiceProvider Services => app.Factory.Services;

    private static long DeploymentOf(WebhookReceiver.Received r)
    {
        using var json = JsonDocument.Parse(r.Body);
        return json.RootElement.GetProperty("deployment").GetInt64();
    }

    private async Task<int> HookAsync(WebhookReceiver receiver)
    {
        var made = await Services.GetRequiredService<WebhookAdmin>().CreateAsync(Admin, new NewWebhook(receiver.Url, "example", Env, WebhookEvent.Kinds), null);
        Assert.Null(made.Error);
        return made.Id!.Value;
    }

    private async Task<RepositoryEntity> RepoAsync() => (await Services.GetRequiredService<Batou.Web.Git.RepositoryCatalog>().FindAsync("example"))!;

    [Fact]
    public async Task A_request_cancelled_while_it_awaits_approval_is_announced_as_cancelled_and_never_as_started()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 200);
        var hook = await HookAsync(receiver);
        var policies = Services.GetRequiredService<PolicyStore>();
        Assert.Null(await policies.SaveAsync(Admin, await RepoAsync(), Env, PolicyInput.Default with { RequiredApprovals = 1, Approvers = DashboardFixture.User }));
        try
        {
            using var client = await app.SignedInClientAsync();
            var response = await client.PostAsJsonAsync("/api/repos/example/deployments", new { environment = Env, commit = app.MainHead });
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
            var id = (await response.Content.ReadFromJsonAsync<DashboardApi.Deployment>(JsonSerializerOptions.Web))!.Id;
            Assert.True((await DashboardApi.CancelAsync(client, id)).IsSuccessStatusCode);
            await DashboardApi.UntilAsync(() => Task.FromResult(receiver.Got.Any(r => DeploymentOf(r) == id && r.Event == NotificationKinds.DeploymentCancelled)),
                "deployment.cancelled delivered", 30);
            var mine = receiver.Got.Where(r => DeploymentOf(r) == id).Select(r => r.Event).Order().ToList();
            Assert.Equal([NotificationKinds.ApprovalRequested, NotificationKinds.DeploymentCancelled], mine);
            var cancelled = receiver.Got.First(r => DeploymentOf(r) == id && r.Event == NotificationKinds.DeploymentCancelled);
            using var json = JsonDocument.Parse(cancelled.Body);
            Assert.Equal("cancelled", json.RootElement.GetProperty("status").GetString());
            Assert.Contains("before it started", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            Assert.Null(await policies.SaveAsync(Admin, await RepoAsync(), Env, PolicyInput.Default));
            await Services.GetRequiredService<WebhookAdmin>().DeleteAsync(Admin, hook);
        }
    }

    [Fact]
    public async Task A_deployment_refused_at_start_is_not_announced_as_started()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 200);
        var hook = await HookAsync(receiver);
        try
        {
            // queued with a request that still lacks its approval: the runner refuses it at start
            var repo = await RepoAsync();
            var commit = (await Services.GetRequiredService<Batou.Web.Git.RepositoryCatalog>().ResolveAsync(repo, app.MainHead))!;
            var id = await Services.GetRequiredService<DeploymentQueue>().EnqueueAsync(new DeployCommand(repo, Env, commit, "main", false, null, DashboardFixture.User),
                request: new DeploymentRequestEntity { Fingerprint = "none", RequiredApprovals = 1 });
            using var client = await app.SignedInClientAsync();
            Assert.Equal("failed", (await DashboardApi.WaitAsync(client, id)).Status);
            await DashboardApi.UntilAsync(() => Task.FromResult(receiver.Got.Any(r => DeploymentOf(r) == id && r.Event == NotificationKinds.DeploymentFailed)),
                "deployment.failed delivered", 30);
            Assert.Contains(await DashboardApi.EventsAsync(client, id), e => e.Event.ToString().Contains("Not started: 0 of 1 approvals", StringComparison.Ordinal));
            Assert.DoesNotContain(receiver.Got, r => DeploymentOf(r) == id && r.Event == NotificationKinds.DeploymentStarted);
        }
        finally
        {
            await Services.GetRequiredService<WebhookAdmin>().DeleteAsync(Admin, hook);
        }
    }

    [Fact]
    public async Task An_admin_disables_and_enables_a_webhook_which_keeps_its_delivery_log_and_both_are_audited()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 200);
        var hook = await HookAsync(receiver);
        var admin = Services.GetRequiredService<WebhookAdmin>();
        var notifier = Services.GetRequiredService<INotifier>();
        var since = DateTime.UtcNow;
        try
        {
            Notification Note(long id) => new(NotificationKinds.DeploymentSucceeded, "example", Env, id, app.MainHead, DashboardFixture.User);
            await notifier.NotifyAsync(Note(900_001));
            await DashboardApi.UntilAsync(() => Task.FromResult(receiver.Got.Any(r => DeploymentOf(r) == 900_001)), "first delivery", 30);

            var someone = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone")], "test"));
            Assert.Equal("Only admins may disable or enable webhooks.", await admin.SetEnabledAsync(someone, hook, false));
            Assert.Null(await admin.SetEnabledAsync(Admin, hook, false));
            await notifier.NotifyAsync(Note(900_002));
            await Task.Delay(1500);   // the dispatcher looks every second: nothing may come
            Assert.DoesNotContain(receiver.Got, r => DeploymentOf(r) == 900_002);

            Assert.Null(await admin.SetEnabledAsync(Admin, hook, true));
            await notifier.NotifyAsync(Note(900_003));
            await DashboardApi.UntilAsync(() => Task.FromResult(receiver.Got.Any(r => DeploymentOf(r) == 900_003)), "delivery after enabling", 30);

            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            // the log from before the pause is still there; nothing was recorded while it was disabled
            var kinds = await db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == hook).Select(d => d.Body).ToListAsync();
            Assert.Equal(2, kinds.Count);
            Assert.Equal(2, await db.WebhookAttempts.AsNoTracking().CountAsync(a => a.WebhookId == hook && a.StatusCode == 200));
            var audit = await db.AuditEntries.AsNoTracking().Where(a => a.Target == $"webhook {hook}" && a.AtUtc >= since.AddSeconds(-1)).OrderBy(a => a.Id).ToListAsync();
            Assert.Contains(audit, a => a.Action == "webhook.disabled" && a.Before == "enabled" && a.After == "disabled" && a.User == DashboardFixture.User);
            Assert.Contains(audit, a => a.Action == "webhook.enabled" && a.Before == "disabled" && a.After == "enabled");
        }
        finally
        {
            await admin.DeleteAsync(Admin, hook);
        }
    }
}
