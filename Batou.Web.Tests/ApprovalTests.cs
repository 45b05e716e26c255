using System.Security.Claims;
using Batou.Web.Data;
using Batou.Web.Deployments;
using Batou.Web.Governance.Approvals;
using Batou.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Batou.Web.Tests;

/// <summary>
/// Environment policy, approvals bound to snapshots, windows, promotion and redeploy through the dashboard's own
/// services over the shared real dashboard (real database, Hangfire, engine). Each test uses its own environment(s)
/// and leaves no request waiting.
/// </summary>
[Collection("dashboard")]
public sealed class ApprovalTests(DashboardFixture app) : IAsyncLifetime
{
    private IServiceProvider Services => app.Factory.Services;

    /// <summary>The people of these tests may approve on the example repository (a user without a role is a viewer).</summary>
    public async Task InitializeAsync()
    {
        foreach (var person in new[] { "alice", "bob", "dave" })
            await Identity.People.GrantAsync(app, person, "approver");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static ClaimsPrincipal Person(string name, bool admin = false)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        if (admin) claims.Add(new Claim(AdminRequirement.ClaimType, AdminRequirement.ClaimValue));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }

    private async Task<RepositoryEntity> RepoAsync() => (await Services.GetRequiredService<Batou.Web.Git.RepositoryCatalog>().FindAsync("example"))!;

    private async Task<string?> PolicyAsync(string env, PolicyInput input, ClaimsPrincipal? who = null) =>
        await Services.GetRequiredService<PolicyStore>().SaveAsync(who ?? Person("root", admin: true), await RepoAsync(), env, input);

    private async Task<DeployOutcome> RequestAsync(string env, string user, string? commit = null, string? overrideReason = null, string kind = "deploy", bool predict = false)
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Deployer>()
            .RequestAsync(new DeployRequest("example", env, commit ?? app.MainHead, "main", predict, null, user, overrideReason, kind));
    }

    private async Task<DeploymentEntity> DeploymentAsync(long id)
    {
        await using var db = await Services.GetRequiredService<ApprovalDbs>().CreateDbContextAsync();
        return await db.Deployments.AsNoTracking().FirstAsync(d => d.Id == id);
    }

    private async Task<DeploymentEntity> FinishedAsync(long id)
    {
        for (var i = 0; i < 600; i++)
        {
            var d = await DeploymentAsync(id);
            if (DeploymentStatus.IsFinal(d.Status)) return d;
            await Task.Delay(200);
        }
        throw new TimeoutException($"#{id} did not finish in 120 s");
    }

    private async Task AssertNothingHeldAsync(string env)
    {
        await using var db = await Services.GetRequiredService<ApprovalDbs>().CreateDbContextAsync();
        Assert.False(await db.Deployments.AnyAsync(d => d.Environment == env && (d.Status == DeploymentStatus.Running || d.Status == DeploymentStatus.Queued
                                                                                 || d.Status == DeploymentStatus.AwaitingApproval)));
    }

    private ApprovalDesk Desk => Services.GetRequiredService<ApprovalDesk>();

    [Fact]
    public async Task A_policy_is_refused_for_non_admins_too_few_approvers_and_unknown_time_zones()
    {
        Assert.Contains("Only administrators", await PolicyAsync("gate-svc", PolicyInput.Default with { RequiredApprovals = 1 }, Person("carol")));
        Assert.Contains("only 2 people may approve", await PolicyAsync("gate-svc", PolicyInput.Default with { RequiredApprovals = 3, Approvers = "bob, dave" }));
        Assert.Contains("Unknown time zone", await PolicyAsync("gate-svc", PolicyInput.Default with { TimeZone = "Europe/Atlantis" }));
        Assert.Contains("promoted from itself", await PolicyAsync("gate-svc", PolicyInput.Default with { PromoteFrom = "gate-svc" }));
        Assert.Null(await PolicyAsync("gate-svc", PolicyInput.Default));
    }

    [Fact]
    public async Task A_request_waits_without_a_lock_the_requester_cannot_approve_a_double_approval_counts_once_and_the_last_one_runs_it()
    {
        Assert.Null(await PolicyAsync("gate-svc", PolicyInput.Default with { RequiredApprovals = 2 }));
        try
        {
            var outcome = await RequestAsync("gate-svc", "alice");
            Assert.True(outcome.AwaitingApproval, outcome.Error);
            var id = outcome.Id!.Value;
            var d = await DeploymentAsync(id);
            Assert.Equal(DeploymentStatus.AwaitingApproval, d.Status);
            Assert.Null(d.LeaseOwner);
            await using (var db = await Services.GetRequiredService<ApprovalDbs>().CreateDbContextAsync())
            {
                var request = await db.DeploymentRequests.AsNoTracking().FirstAsync(r => r.DeploymentId == id);
                Assert.Equal(64, request.Fingerprint.Length);
                Assert.NotNull(request.ExpiresUtc);
            }
            // another request to the same environment is not blocked by the waiting one (it holds no lock)
            var preview = await RequestAsync("gate-svc", "erin", predict: true);
            Assert.Equal(DeploymentStatus.Succeeded, (await FinishedAsync(preview.Id!.Value)).Status);

            Assert.Contains("someone else must approve", await Desk.ApproveAsync(Person("alice"), id, "mine"));
            Assert.Contains("comment", await Desk.RejectAsync(Person("bob"), id, "  "));
            // bob double-clicks: both arrive, one counts
            var twice = await Task.WhenAll(Desk.ApproveAsync(Person("bob"), id, "ok"), Desk.ApproveAsync(Person("bob"), id, "ok"));
            Assert.Single(twice, e => e is null);
            Assert.Contains("already decided", twice.Single(e => e is not null));
            Assert.Equal(DeploymentStatus.AwaitingApproval, (await DeploymentAsync(id)).Status);
            Assert.Contains(id, (await Desk.InboxAsync(Person("dave"))).Select(x => x.Id));
            Assert.DoesNotContain(id, (await Desk.InboxAsync(Person("bob"))).Select(x => x.Id));
            Assert.DoesNotContain(id, (await Desk.InboxAsync(Person("alice"))).Select(x => x.Id));
            Assert.Null(await Desk.ApproveAsync(Person("dave"), id, "fine"));
            Assert.Equal(DeploymentStatus.Succeeded, (await FinishedAsync(id)).Status);
            // approving a decided request is refused
            Assert.Contains("no longer waits", await Desk.ApproveAsync(Person("frank"), id, "late"));
            var steps = (await Desk.StepsAsync(id)).Select(s => s.What).ToList();
            Assert.Equal(["requested", "approved", "approved", "queued", "started", "succeeded"], steps);
        }
        finally
        {
            await PolicyAsync("gate-svc", PolicyInput.Default);
        }
        await AssertNothingHeldAsync("gate-svc");
    }

    [Fact]
    public async Task A_changed_snapshot_is_refused_at_start_and_ends_failed_with_the_reason()
    {
        Assert.Null(await PolicyAsync("gate-svc", PolicyInput.Default with { RequiredApprovals = 1 }));
        try
        {
            var id = (await RequestAsync("gate-svc", "alice")).Id!.Value;
            // arrange: the snapshot that was approved is not what the environment resolves to now (as after a changed secret)
            await using (var db = await Services.GetRequiredService<ApprovalDbs>().CreateDbContextAsync())
                await db.DeploymentRequests.Where(r => r.DeploymentId == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Fingerprint, new string('0', 64)));
            Assert.Null(await Desk.ApproveAsync(Person("bob"), id, "looks fine"));
            var d = await FinishedAsync(id);
            Assert.Equal(DeploymentStatus.Failed, d.Status);
            Assert.Equal(0, d.ChangedCount);
            var refused = (await Desk.StepsAsync(id)).Last();
            Assert.Equal("refused", refused.What);
            Assert.Contains("not the snapshot that was approved", refused.Detail);
            await using (var db = await Services.GetRequiredService<ApprovalDbs>().CreateDbContextAsync())
                Assert.True(await db.DeploymentEvents.AnyAsync(e => e.DeploymentId == id && e.Json.Contains("not the snapshot that was approved")));
        }
        finally
        {
            await PolicyAsync("gate-svc", PolicyInput.Default);
        }
        await AssertNothingHeldAsync("gate-svc");
    }

    [Fact]
    public async Task Rejected_and_expired_requests_end_final_and_cannot_be_approved_afterwards()
    {
        Assert.Null(await PolicyAsync("gate-svc", PolicyInput.Default with { RequiredApprovals = 1 }));
        try
        {
            var rejected = (await RequestAsync("gate-svc", "alice")).Id!.Value;
            Assert.Null(await Desk.RejectAsync(Person("bob"), rejected, "not on a Friday"));
            Assert.Equal(DeploymentStatus.Rejected, (await DeploymentAsync(rejected)).Status);
            Assert.Contains("no longer waits", await Desk.ApproveAsync(Person("dave"), rejected, null));

            var late = (await RequestAsync("gate-svc", "alice")).Id!.Value;
            await using (var db = await Services.GetRequiredService<ApprovalDbs>().CreateDbContextAsync())
                await db.DeploymentRequests.Where(r => r.DeploymentId == late).ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpiresUtc, DateTime.UtcNow.AddMinutes(-1)));
            // approving checks the expiry first: the request ends as expired and the approval is refused
            Assert.Contains("no longer waits", await Desk.ApproveAsync(Person("bob"), late, "too late"));
            var d = await DeploymentAsync(late);
            Assert.Equal(DeploymentStatus.Expired, d.Status);
            Assert.NotNull(d.FinishedUtc);
        }
        finally
        {
            await PolicyAsync("gate-svc", PolicyInput.Default);
        }
        await AssertNothingHeldAsync("gate-svc");
    }

    [Fact]
    public async Task Outside_the_window_a_request_is_refused_with_the_reason_and_an_admin_override_runs_it()
    {
        var now = DateTime.UtcNow;
        var freeze = $"{now.AddDays(-1):yyyy-MM-dd HH:mm} to {now.AddDays(1):yyyy-MM-dd HH:mm}";
        Assert.Null(await PolicyAsync("gate-window", PolicyInput.Default with { TimeZone = "UTC", Freezes = freeze }));
        try
        {
            Assert.False(ApprovalGate.WindowNow(await Services.GetRequiredService<PolicyStore>().GetAsync((await RepoAsync()).Id, "gate-window")).Open);
            var refused = await RequestAsync("gate-window", "alice");
            Assert.Null(refused.Id);
            Assert.True(refused.WindowClosed);
            Assert.Contains("Frozen", refused.Error);
            Assert.Contains("An override needs a reason", (await RequestAsync("gate-window", "root", overrideReason: " ")).Error);
            var overridden = await RequestAsync("gate-window", "root", overrideReason: "hotfix for the outage");
            Assert.Equal(DeploymentStatus.Succeeded, (await FinishedAsync(overridden.Id!.Value)).Status);
            var steps = await Desk.StepsAsync(overridden.Id!.Value);
            Assert.Contains(steps, s => s.What == "window overridden" && s.Who == "root" && s.Detail == "hotfix for the outage");
        }
        finally
        {
            await PolicyAsync("gate-window", PolicyInput.Default);
        }
        await AssertNothingHeldAsync("gate-window");
    }

    [Fact]
    public async Task A_queued_deployment_whose_window_closed_before_it_started_is_refused_at_start()
    {
        Assert.Null(await PolicyAsync("gate-window", PolicyInput.Default));
        var repo = await RepoAsync();
        try
        {
            // queue behind a held deployment of the same environment, then freeze the environment before it starts
            using var scope = Services.CreateScope();
            var queue = scope.ServiceProvider.GetRequiredService<DeploymentQueue>();
            var commit = (await scope.ServiceProvider.GetRequiredService<Batou.Web.Git.RepositoryCatalog>().ResolveAsync(repo, app.MainHead))!;
            var now = DateTime.UtcNow;
            Assert.Null(await PolicyAsync("gate-window", PolicyInput.Default with { Freezes = $"{now.AddDays(-1):yyyy-MM-dd HH:mm} to {now.AddDays(1):yyyy-MM-dd HH:mm}" }));
            // a deployment that was queued before the freeze (no override recorded)
            var id = await queue.EnqueueAsync(new DeployCommand(repo, "gate-window", commit, "main", false, null, "alice"));
            var d = await FinishedAsync(id);
            Assert.Equal(DeploymentStatus.Failed, d.Status);
            Assert.Contains("Frozen", (await Desk.StepsAsync(id)).Last().Detail);
        }
        finally
        {
            await PolicyAsync("gate-window", PolicyInput.Default);
        }
        await AssertNothingHeldAsync("gate-window");
    }

    [Fact]
    public async Task Promotion_needs_a_successful_deployment_of_the_commit_where_it_comes_from()
    {
        Assert.Null(await PolicyAsync("gate-stage", PolicyInput.Default));
        Assert.Null(await PolicyAsync("gate-prod", PolicyInput.Default with { PromoteFrom = "gate-stage" }));
        try
        {
            await using (var db = await Services.GetRequiredService<ApprovalDbs>().CreateDbContextAsync())
                if (!await db.Deployments.AnyAsync(d => d.Environment == "gate-stage" && d.Status == DeploymentStatus.Succeeded))
                {
                    var early = await RequestAsync("gate-prod", "alice", kind: RequestKinds.Promote);
                    Assert.Null(early.Id);
                    Assert.Contains("has not been deployed successfully to gate-stage", early.Error);
                }
            var stage = await RequestAsync("gate-stage", "alice");
            Assert.Equal(DeploymentStatus.Succeeded, (await FinishedAsync(stage.Id!.Value)).Status);
            Assert.Equal(["gate-prod"], await Services.GetRequiredService<PolicyStore>().NextAsync((await RepoAsync()).Id, "gate-stage"));
            var promoted = await RequestAsync("gate-prod", "alice", kind: RequestKinds.Promote);
            Assert.Equal(DeploymentStatus.Succeeded, (await FinishedAsync(promoted.Id!.Value)).Status);
            Assert.Equal("requested (promote)", (await Desk.StepsAsync(promoted.Id!.Value)).First().What);
        }
        finally
        {
            await PolicyAsync("gate-prod", PolicyInput.Default);
        }
        await AssertNothingHeldAsync("gate-prod");
    }
}
