using Batou.Engine.Api;
using Batou.Web.Data;
using Batou.Web.Deployments;
using Batou.Web.Git;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Compare;

/// <summary>
/// Finds what a comparison address names: two deployments, a deployment and the one before it, or what is deployed
/// now against a commit. Deployments of two environments or two repositories are refused with a reason.
/// </summary>
public sealed class ComparisonResolver(IDbContextFactory<BatouDb> dbs, RepositoryCatalog catalog)
{
    public async Task<ComparisonOutcome> DeploymentsAsync(long a, long b, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var found = await db.Deployments.AsNoTracking().Where(d => d.Id == a || d.Id == b).ToListAsync(ct);
        if (found.FirstOrDefault(d => d.Id == a) is not { } from) return ComparisonOutcome.Missing($"There is no deployment #{a}.");
        if (found.FirstOrDefault(d => d.Id == b) is not { } to) return ComparisonOutcome.Missing($"There is no deployment #{b}.");
        if (from.RepositoryId != to.RepositoryId)
            return ComparisonOutcome.Refused($"#{a} and #{b} deploy two different repositories; only deployments of one environment of one repository can be compared.");
        if (from.Environment != to.Environment)
            return ComparisonOutcome.Refused($"#{a} deployed environment '{from.Environment}' and #{b} environment '{to.Environment}'; only deployments of one environment can be compared.");
        var repo = await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.Id == from.RepositoryId, ct);
        if (repo is null) return ComparisonOutcome.Missing($"The repository of #{a} no longer exists.");
        return new ComparisonOutcome(new Comparison(repo, from.Environment, Side(from), Side(to)));
    }

    /// <summary>A deployment against the deployment of the same environment before it.</summary>
    public async Task<ComparisonOutcome> PreviousAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct) is not { } d) return ComparisonOutcome.Missing($"There is no deployment #{id}.");
        var previous = await db.Deployments.AsNoTracking()
            .Where(x => x.RepositoryId == d.RepositoryId && x.Environment == d.Environment && x.Id < id)
            .OrderByDescending(x => x.Id).Select(x => (long?)x.Id).FirstOrDefaultAsync(ct);
        return previous is { } p ? await DeploymentsAsync(p, id, ct)
            : ComparisonOutcome.Missing($"#{id} is the first deployment of {d.Environment}; there is nothing before it to compare with.");
    }

    /// <summary>What is deployed now (the newest successful deployment, not a preview) against a commit.</summary>
    public async Task<ComparisonOutcome> DeployedAsync(string repository, string environment, string commit, CancellationToken ct = default)
    {
        var repo = await catalog.FindAsync(repository, ct);
        if (repo is null) return ComparisonOutcome.Missing($"There is no repository {repository}.");
        var target = await catalog.ResolveAsync(repo, commit, ct);
        if (target is null) return ComparisonOutcome.Missing($"There is no commit '{commit}' in {repository}.");
        await using var db = await dbs.CreateDbContextAsync(ct);
        var deployed = await db.Deployments.AsNoTracking()
            .Where(d => d.RepositoryId == repo.Id && d.Environment == environment && d.Status == DeploymentStatus.Succeeded && d.Mode != DeploymentModes.Predict)
            .OrderByDescending(d => d.Id).FirstOrDefaultAsync(ct);
        if (deployed is null)
            return ComparisonOutcome.Missing($"Nothing has been deployed successfully to {environment} of {repository} yet; there is nothing to compare {target.Short} with.");
        return new ComparisonOutcome(new Comparison(repo, environment, Side(deployed), new CompareSide(target.Hash)));
    }

    private static CompareSide Side(DeploymentEntity d) => new(d.Commit, d.Id, d.Status, d.RequestedBy, d.RequestedUtc);

    /// <summary>The file changes a deployment made (or predicted), as its stored <see cref="FileDiff"/> events, at most <paramref name="max"/>.</summary>
    public async Task<(IReadOnlyList<FileDiff> Diffs, int Total)> AppliedChangesAsync(long deployment, int max = 200, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var q = db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == deployment && e.Type == nameof(FileDiff));
        var total = await q.CountAsync(ct);
        var rows = await q.OrderBy(e => e.Seq).Take(max).Select(e => e.Json).ToListAsync(ct);
        return (rows.Select(EventJson.Deserialize).OfType<FileDiff>().ToList(), total);
    }
}
