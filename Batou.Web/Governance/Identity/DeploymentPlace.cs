using Batou.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Identity;

/// <summary>The repository and environment of a deployment: what access checks and audit records of a cancel are about.</summary>
public sealed record DeploymentPlace(string Repository, string Environment)
{
    public static async Task<DeploymentPlace?> FindAsync(BatouDb db, long id, CancellationToken ct = default) =>
        await (from d in db.Deployments.AsNoTracking()
               join r in db.Repositories on d.RepositoryId equals r.Id
               where d.Id == id
               select new DeploymentPlace(r.Name, d.Environment)).FirstOrDefaultAsync(ct);

    public static async Task<DeploymentPlace?> FindAsync(IServiceScopeFactory scopes, long id, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await FindAsync(scope.ServiceProvider.GetRequiredService<BatouDb>(), id, ct);
    }
}
