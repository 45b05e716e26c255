using Batou.Web.Data;
using Batou.Web.Deployments;

namespace Batou.Web.Governance.Retry;

/// <summary>One root a retry deploys again, and why: it failed, or it never started.</summary>
public sealed record RetryRoot(string Host, string Component, bool Failed)
{
    /// <summary>The engine's name for it (<c>DeploymentRequest.Only</c>).</summary>
    public string Selector => $"{Component}@{Host}";
}

/// <summary>
/// What "Retry failed" on a deployment would run: the same commit, only <see cref="Roots"/> (every root when
/// <see cref="Whole"/>: the run failed before its roots were known), or why it cannot be retried.
/// </summary>
public sealed record RetryPlan(DeploymentEntity Original, RepositoryEntity Repository, IReadOnlyList<RetryRoot> Roots, bool Whole,
    IReadOnlyList<string>? OriginalSelection, string? RecordedFingerprint, string? Refusal)
{
    /// <summary>Statuses a retry is offered for: the run ended without doing everything.</summary>
    public static readonly IReadOnlyList<string> Retryable = [DeploymentStatus.Failed, DeploymentStatus.Interrupted, DeploymentStatus.Cancelled];

    /// <summary>The request "Retry failed" makes for <paramref name="user"/>; it goes through the environment's policy like any other.</summary>
    public DeployRequest ToRequest(string user, string? overrideReason = null) =>
        new(Repository.Name, Original.Environment, Original.Commit, Original.Branch, false, Original.Jobs, user, overrideReason,
            Approvals.RequestKinds.Retry, Original.Id, Whole ? OriginalSelection : Roots.Select(r => r.Selector).ToList());
}
