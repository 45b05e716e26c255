using System.Security.Claims;
using Batou.Web.Data;
using Batou.Web.Deployments;
using Batou.Web.Governance.Identity;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Repositories;

/// <summary>
/// Removes a repository from the dashboard (administrators, typing its name to confirm). It is archived, not deleted:
/// the row and its clone stay, so its deployments, their events and diffs, and the audit trail keep reading; it leaves
/// every list and address by name, and no new deployment can name it. Adding the same name again brings it back.
/// Refused while one of its deployments is queued, awaiting approval or running.
/// </summary>
public sealed class RepositoryRemoval(Approvals.ApprovalDbs dbs, IAccessPolicy access, IAuditTrail audit)
{
    /// <summary>Null when removed; otherwise why not.</summary>
    public async Task<string?> RemoveAsync(ClaimsPrincipal user, string name, string typedName, string? address = null, CancellationToken ct = default)
    {
        if (!await access.CanAsync(user, name, "*", GovernedAction.Administer, ct))
        {
            await audit.RecordAsync(new AuditRecord(AuditActions.AccessDenied, user.Identity?.Name, address, name, Detail: "removing a repository needs the role admin"), ct);
            return $"Only administrators may remove {name}.";
        }
        if (!string.Equals(typedName.Trim(), name, StringComparison.Ordinal)) return $"Type the repository's name, {name}, to confirm.";
        await using var db = await dbs.CreateDbContextAsync(ct);
        var repo = await db.Repositories.FirstOrDefaultAsync(r => r.Name == name && r.RemovedUtc == null, ct);
        if (repo is null) return $"There is no repository named {name}.";
        var busy = await db.Deployments.AsNoTracking().Where(d => d.RepositoryId == repo.Id && (d.Status == DeploymentStatus.Queued
                                                                 || d.Status == DeploymentStatus.AwaitingApproval || d.Status == DeploymentStatus.Running))
            .OrderBy(d => d.Id).Select(d => new { d.Id, d.Status, d.Environment }).ToListAsync(ct);
        if (busy.Count > 0)
            return $"{name} cannot be removed while {string.Join(", ", busy.Take(5).Select(b => $"#{b.Id} ({b.Environment}) is {b.Status}"))}"
                   + (busy.Count > 5 ? $" and {busy.Count - 5} more" : "") + ": cancel or wait for them first.";
        var before = $"{Endpoints.RepositoryEndpoints.RedactedUrl(repo.Url)}" + (repo.Subdirectory.Length > 0 ? $" ({repo.Subdirectory}/)" : "")
                     + (repo.SshClient is { } c ? $" ssh={c}" : "");
        // conditional: a deployment requested meanwhile is caught by the check in the same statement
        var removed = await db.Repositories.Where(r => r.Id == repo.Id && r.RemovedUtc == null
                                                       && !db.Deployments.Any(d => d.RepositoryId == repo.Id && (d.Status == DeploymentStatus.Queued
                                                           || d.Status == DeploymentStatus.AwaitingApproval || d.Status == DeploymentStatus.Running)))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RemovedUtc, DateTime.UtcNow).SetProperty(r => r.RemovedBy, user.Identity!.Name), ct);
        if (removed == 0) return $"{name} changed meanwhile (a deployment was requested?): try again.";
        await audit.RecordAsync(new AuditRecord(AuditActions.RepositoryRemoved, user.Identity?.Name, address, name, Before: before, After: "removed (archived)"), ct);
        return null;
    }
}
