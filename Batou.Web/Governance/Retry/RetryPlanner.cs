using Batou.Engine.Api;
using Batou.Web.Data;
using Batou.Web.Deployments;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Retry;

/// <summary>
/// Reads a finished deployment's recorded events to find the roots that failed or never started: every root of its
/// configured model that did not finish, less those it left out itself (a retry of a retry keeps its selection).
/// </summary>
public sealed class RetryPlanner(Approvals.ApprovalDbs dbs)
{
    private static readonly string[] Types = [nameof(ModelConfigured), nameof(RootFinished), nameof(RootFailed), nameof(RootSkipped)];

    /// <summary>Null when there is no such deployment (or its repository is gone).</summary>
    public async Task<RetryPlan?> PlanAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var original = await db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
        if (original is null) return null;
        var repo = await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.Id == original.RepositoryId, ct);
        if (repo is null) return null;
        var request = await db.DeploymentRequests.AsNoTracking().FirstOrDefaultAsync(r => r.DeploymentId == id, ct);
        var selection = RetrySelection.Split(request?.Roots);
        var fingerprint = request?.Fingerprint is { Length: > 0 } f ? f : null;
        RetryPlan Refused(string why) => new(original, repo, [], false, selection, fingerprint, why);

        if (original.Mode != DeploymentModes.Deploy) return Refused($"#{id} is a preview: only deployments are retried.");
        if (!RetryPlan.Retryable.Contains(original.Status))
            return Refused($"#{id} is {original.Status}: only a failed, interrupted or cancelled deployment can be retried.");

        var events = await db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == id && Types.Contains(e.Type))
            .OrderBy(e => e.Seq).Select(e => e.Json).ToListAsync(ct);
        ModelConfigured? model = null;
        var finished = new HashSet<(string, string)>();
        var failed = new HashSet<(string, string)>();
        var notSelected = new HashSet<(string, string)>();
        foreach (var e in events.Select(EventJson.Deserialize))
        {
            switch (e)
            {
                case ModelConfigured m: model = m; break;
                case RootFinished r: finished.Add((r.Host, r.Component)); break;
                case RootFailed r: failed.Add((r.Host, r.Component)); break;
                case RootSkipped { Reason: DeploymentRequest.NotSelected } r: notSelected.Add((r.Host, r.Component)); break;
            }
        }
        // it ended before its model was configured: nothing was deployed, so the retry deploys what it would have
        if (model is null) return new(original, repo, [], true, selection, fingerprint, null);
        var roots = model.Roots.Where(r => !r.Ignored && !finished.Contains((r.Host, r.Component)) && !notSelected.Contains((r.Host, r.Component)))
            .Select(r => new RetryRoot(r.Host, r.Component, failed.Contains((r.Host, r.Component)))).ToList();
        return roots.Count == 0
            ? Refused($"Every root of #{id} finished: there is nothing to retry (redeploy it instead).")
            : new(original, repo, roots, false, selection, fingerprint, null);
    }
}
