using Batou.Engine.Api;
using Batou.Web.Data;
using Batou.Web.Deployments;
using Batou.Web.Git;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Approvals;

/// <summary>What the policy says about a request: refused (and why), or allowed, maybe only after approvals.</summary>
public sealed record GateDecision(string? Error, bool WindowClosed = false, DeploymentRequestEntity? Request = null)
{
    public bool NeedsApproval => Request is { RequiredApprovals: > 0 };
}

/// <summary>
/// The environment policy at the two moments the dashboard controls: when a deployment is requested (promote-from,
/// window, the snapshot to approve) and when the runner is about to start it (window again, and the snapshot: the
/// environment is described again at that commit and must have the fingerprint that was approved).
/// </summary>
public sealed class ApprovalGate(ApprovalDbs dbs, PolicyStore policies, ModelCache models, RepositoryCatalog catalog, EngineProcess engine,
    IAuditTrail audit, ILogger<ApprovalGate> log)
{
    /// <summary>
    /// Checks a deployment request. An override reason skips a closed window; the caller has checked that the user may
    /// administer the environment (<see cref="GovernedAction.Administer"/>). Previews are never gated.
    /// </summary>
    public async Task<GateDecision> CheckAsync(RepositoryEntity repo, DeployRequest r, CommitInfo commit, CancellationToken ct = default)
    {
        if (r.Predict) return new(null);
        var policy = await policies.GetAsync(repo.Id, r.Environment, ct);
        if (policy is null)
            return new(null, Request: r.Kind == RequestKinds.Deploy && r.Roots is null ? null
                : new DeploymentRequestEntity { Fingerprint = "", Kind = r.Kind, SourceDeploymentId = r.SourceDeploymentId, Roots = Retry.RetrySelection.Join(r.Roots) });
        if (r.OverrideReason is { } reason && string.IsNullOrWhiteSpace(reason)) return new("An override needs a reason.");
        if (policy.PromoteFrom is { Length: > 0 } from)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var there = await db.Deployments.AnyAsync(d => d.RepositoryId == repo.Id && d.Environment == from && d.Commit == commit.Hash
                                                         && d.Mode == DeploymentModes.Deploy && d.Status == DeploymentStatus.Succeeded, ct);
            if (!there) return new($"{commit.Short} has not been deployed successfully to {from} yet: {r.Environment} is promoted from {from}.");
        }
        var window = WindowNow(policy);
        if (!window.Open && r.OverrideReason is null) return new($"{window.Reason} An administrator can override the window with a reason.", WindowClosed: true);
        var overview = await models.DescribeAsync(repo, commit.Hash, r.Environment);
        if (overview.Fingerprint is null)
            return new($"{r.Environment} cannot be loaded at {commit.Short}: {overview.Errors.FirstOrDefault()?.Message ?? "no fingerprint"}.");
        return new(null, Request: new DeploymentRequestEntity
        {
            Fingerprint = overview.Fingerprint,
            RequiredApprovals = policy.RequiredApprovals,
            ForbidSelfApproval = policy.ForbidSelfApproval,
            ExpiresUtc = policy.RequiredApprovals > 0 ? DateTime.UtcNow.AddHours(policy.ExpiryHours) : null,
            Kind = r.Kind,
            SourceDeploymentId = r.SourceDeploymentId,
            Roots = Retry.RetrySelection.Join(r.Roots),
            OverrideBy = r.OverrideReason is null ? null : r.User,
            OverrideReason = r.OverrideReason?.Trim(),
        });
    }

    /// <summary>The window state of a policy now (open when there is no policy).</summary>
    public static WindowState WindowNow(EnvironmentPolicyEntity? policy)
    {
        if (policy is null) return new(true, "No policy: deployments may start at any time.");
        var (window, error) = DeployWindow.Parse(policy.TimeZone, policy.Windows, policy.Freezes);
        return window?.At(DateTimeOffset.UtcNow) ?? new(false, $"The policy's window cannot be read: {error}");
    }

    /// <summary>Why the claimed deployment must not start, or null. Called by the runner before the engine runs.</summary>
    public async Task<string?> StartRefusalAsync(DeploymentEntity d, RepositoryEntity repo, CancellationToken ct = default)
    {
        if (d.Mode == DeploymentModes.Predict) return null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var request = await db.DeploymentRequests.FirstOrDefaultAsync(x => x.DeploymentId == d.Id, ct);
        var policy = await db.EnvironmentPolicies.AsNoTracking().FirstOrDefaultAsync(p => p.RepositoryId == repo.Id && p.Environment == d.Environment, ct);
        string? refusal = null;
        var window = WindowNow(policy);
        if (!window.Open && request?.OverrideReason is null) refusal = $"Not started: {window.Reason}";
        else if (request is { RequiredApprovals: > 0 })
        {
            var approvals = await db.Approvals.CountAsync(a => a.DeploymentId == d.Id && a.Approved, ct);
            if (approvals < request.RequiredApprovals)
                refusal = $"Not started: {approvals} of {request.RequiredApprovals} approvals.";
            else
            {
                // described again, not from the cache: the snapshot must be what was approved (a changed secret key, salt or checkout shows here)
                var dir = await catalog.CheckoutAsync(repo, d.Commit, ct);
                var now = await engine.DescribeAsync(dir, d.Environment, ct);
                if (now.Fingerprint != request.Fingerprint)
                    refusal = $"Not started: the resolved configuration of {d.Environment} at {d.Commit[..10]} is not the snapshot that was approved "
                              + $"(approved {Short(request.Fingerprint)}, now {Short(now.Fingerprint)}). Approvals never carry over: request it again.";
            }
        }
        if (refusal is null) return null;
        // the refusal is kept with the request (one is made for a deployment that was queued without one) for its page
        if (request is null) db.DeploymentRequests.Add(new DeploymentRequestEntity { DeploymentId = d.Id, Fingerprint = "", Outcome = refusal });
        else request.Outcome = refusal;
        await db.SaveChangesAsync(ct);
        log.LogWarning("Deployment {Id} refused at start: {Reason}", d.Id, refusal);
        await audit.RecordAsync(new AuditRecord("deployment.refused", null, null, repo.Name, d.Environment, $"deployment #{d.Id}", Detail: refusal), ct);
        return refusal;
    }

    private static string Short(string? fingerprint) => fingerprint is null ? "none (it does not load)" : fingerprint[..Math.Min(12, fingerprint.Length)];
}

public static class RequestKinds
{
    public const string Deploy = "deploy";
    public const string Promote = "promote";
    public const string Redeploy = "redeploy";
    public const string Rollback = "rollback";
    /// <summary>Re-runs the roots of a failed deployment that failed or never started, at its commit (Governance/Retry).</summary>
    public const string Retry = "retry";
}
