using Batou.Web.Git;
using Batou.Web.Governance;
using Batou.Web.Governance.Identity;
using Batou.Web.Live;

namespace Batou.Web.Deployments;

/// <summary>What a person asks for: deploy or preview one environment of a repository at a commit.</summary>
/// <param name="OverrideReason">An administrator's reason to deploy outside the environment's window (the caller checked Administer).</param>
/// <param name="Kind">deploy, promote, redeploy, rollback or retry (<see cref="Governance.Approvals.RequestKinds"/>).</param>
/// <param name="Roots">Only these roots (<c>component@host</c>): a retry of the failed ones; null deploys every root.</param>
public sealed record DeployRequest(string Repository, string Environment, string Commit, string? Branch, bool Predict, int? Jobs, string User,
    string? OverrideReason = null, string Kind = "deploy", long? SourceDeploymentId = null, IReadOnlyList<string>? Roots = null);

/// <summary>The outcome of a request: the new deployment's id, or why there is none (and whether it was "not found").</summary>
public sealed record DeployOutcome(long? Id, string? Error, bool NotFound = false, bool WindowClosed = false, bool AwaitingApproval = false);

/// <summary>
/// The one way people (pages, forms, the API) queue and cancel deployments: checks that the repository, commit and
/// environment exist, queues, and announces the change on the <see cref="ActivityFeed"/>.
/// </summary>
public sealed class Deployer(RepositoryCatalog catalog, ModelCache models, DeploymentQueue queue, ActivityFeed feed, Governance.Approvals.ApprovalGate gate,
    Governance.Approvals.RequestRecorder recorder, IAuditTrail audit, IServiceScopeFactory scopes)
{
    public async Task<DeployOutcome> RequestAsync(DeployRequest r, CancellationToken ct = default)
    {
        // break-glass needs a reason whoever the caller is (the dialog asks for one; the API and forms are held to it here)
        if (r.OverrideReason is not null && string.IsNullOrWhiteSpace(r.OverrideReason)) return new(null, "An override needs a reason.");
        var repo = await catalog.FindAsync(r.Repository, ct);
        if (repo is null) return new(null, $"There is no repository named {r.Repository}.", true);
        var rev = string.IsNullOrWhiteSpace(r.Commit) ? r.Branch ?? "HEAD" : r.Commit;
        var commit = await catalog.ResolveAsync(repo, rev, ct);
        if (commit is null) return new(null, $"There is no commit {rev} in {r.Repository}.", true);
        if (!(await models.EnvironmentsAsync(repo, commit.Hash)).Contains(r.Environment))
            return new(null, $"There is no environment {r.Environment} at {commit.Short}.", true);
        if (r.Jobs is { } j && (j < 1 || j > 64)) return new(null, "jobs must be between 1 and 64.");
        // the environment's policy: promote-from, window, and whether it waits for approvals (then no job, no lock)
        var decision = await gate.CheckAsync(repo, r, commit, ct);
        if (decision.Error is not null) return new(null, decision.Error, WindowClosed: decision.WindowClosed);
        var command = new DeployCommand(repo, r.Environment, commit, r.Branch, r.Predict, r.Jobs, r.User);
        var id = decision.NeedsApproval
            ? await recorder.AwaitApprovalAsync(command, decision.Request!, ct)
            : await queue.EnqueueAsync(command, ct, decision.Request);
        await recorder.RequestedAsync(id, repo, r, decision, ct);
        feed.Publish(id, decision.NeedsApproval ? DeploymentStatus.AwaitingApproval : DeploymentStatus.Queued);
        return new(id, null, AwaitingApproval: decision.NeedsApproval);
    }

    /// <summary>A cancelled deployment that still runs kills its running commands now instead of when its grace period ends.</summary>
    public async Task<bool> StopNowAsync(long id, string user, CancellationToken ct = default)
    {
        var done = await queue.StopNowAsync(id, ct);
        if (done) feed.Publish(id, "cancelling");
        var where = await DeploymentPlace.FindAsync(scopes, id, ct);
        await audit.RecordAsync(new AuditRecord(AuditActions.StopNowRequested, user, Repository: where?.Repository, Environment: where?.Environment,
            Target: $"deployment #{id}", Detail: done ? null : "not cancelling"), ct);
        return done;
    }

    /// <summary>A queued deployment ends at once; a running one after its current component.</summary>
    public async Task<bool> CancelAsync(long id, string user, CancellationToken ct = default)
    {
        var done = await queue.CancelAsync(id, user, ct);
        if (done) feed.Publish(id, "cancelling");
        var where = await DeploymentPlace.FindAsync(scopes, id, ct);
        await audit.RecordAsync(new AuditRecord(AuditActions.CancelRequested, user, Repository: where?.Repository, Environment: where?.Environment,
            Target: $"deployment #{id}", Detail: done ? null : "already finished"), ct);
        return done;
    }
}
