using System.Security.Claims;
using Batou.Web.Data;
using Batou.Web.Deployments;
using Batou.Web.Live;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Approvals;

/// <summary>One step a request went through, for its page.</summary>
public sealed record RequestStep(DateTime AtUtc, string What, string? Who, string? Detail);

/// <summary>
/// Approving and rejecting requests that wait (<see cref="DeploymentStatus.AwaitingApproval"/>), expiring the ones
/// that waited too long, and the "waiting for me" inbox. The last approval queues the deployment (one Hangfire job);
/// before that a request holds no job and no lock. Every step is audited.
/// </summary>
public sealed class ApprovalDesk(ApprovalDbs dbs, PolicyStore policies, IAccessPolicy access, IAuditTrail audit, INotifier notifier,
    DeploymentQueue queue, ActivityFeed feed)
{
    /// <summary>Whether <paramref name="user"/> may approve the request now; else why not, in words for them.</summary>
    public async Task<(bool Can, string Reason)> CanDecideAsync(ClaimsPrincipal user, long id, CancellationToken ct = default)
    {
        await ExpireDueAsync(ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var d = await db.Deployments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (d is null) return (false, $"There is no deployment #{id}.");
        var request = await db.DeploymentRequests.AsNoTracking().FirstOrDefaultAsync(x => x.DeploymentId == id, ct);
        if (d.Status != DeploymentStatus.AwaitingApproval || request is null)
            return (false, $"#{id} is {d.Status}: it no longer waits for approvals.");
        var repo = await db.Repositories.AsNoTracking().FirstAsync(r => r.Id == d.RepositoryId, ct);
        var name = user.Identity?.Name ?? "";
        if (!await access.CanAsync(user, repo.Name, d.Environment, GovernedAction.Approve, ct))
            return (false, $"You may not approve deployments of {d.Environment}.");
        var named = PolicyInput.From(await policies.GetAsync(repo.Id, d.Environment, ct)).NamedApprovers;
        if (named.Count > 0 && !named.Contains(name, StringComparer.OrdinalIgnoreCase))
            return (false, $"Only {string.Join(", ", named)} may approve deployments of {d.Environment}.");
        if (request.ForbidSelfApproval && string.Equals(d.RequestedBy, name, StringComparison.OrdinalIgnoreCase))
            return (false, "You requested this deployment: someone else must approve it.");
        if (await db.Approvals.AnyAsync(a => a.DeploymentId == id && a.User == name, ct))
            return (false, "You have already decided on this request.");
        return (true, "");
    }

    /// <summary>Approves; the last approval queues the deployment. Null, or why it was refused.</summary>
    public async Task<string?> ApproveAsync(ClaimsPrincipal user, long id, string? comment, string? address = null, CancellationToken ct = default)
    {
        var (can, reason) = await CanDecideAsync(user, id, ct);
        if (!can) return reason;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var d = await db.Deployments.AsNoTracking().FirstAsync(x => x.Id == id, ct);
        var repo = await db.Repositories.AsNoTracking().FirstAsync(r => r.Id == d.RepositoryId, ct);
        var request = await db.DeploymentRequests.AsNoTracking().FirstAsync(x => x.DeploymentId == id, ct);
        var window = ApprovalGate.WindowNow(await policies.GetAsync(repo.Id, d.Environment, ct));
        if (!window.Open && request.OverrideReason is null) return $"Not approved: {window.Reason}";
        var name = user.Identity!.Name!;
        db.Approvals.Add(new ApprovalEntity { DeploymentId = id, User = name, Approved = true, Comment = comment?.Trim() ?? "", CreatedUtc = DateTime.UtcNow });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // a second click (or tab) raced the first: the unique (deployment, user) index counts it once
            return "You have already decided on this request.";
        }
        await audit.RecordAsync(new AuditRecord("approval.granted", name, address, repo.Name, d.Environment, $"deployment #{id}", Detail: comment), ct);
        var approvals = await db.Approvals.CountAsync(a => a.DeploymentId == id && a.Approved, ct);
        if (approvals < request.RequiredApprovals)
        {
            feed.Publish(id, DeploymentStatus.AwaitingApproval);
            return null;
        }
        var queued = await db.Deployments.Where(x => x.Id == id && x.Status == DeploymentStatus.AwaitingApproval)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, DeploymentStatus.Queued), ct);
        if (queued == 1)
        {
            await queue.TriggerAsync(d.RepositoryId, d.Environment, ct);
            await audit.RecordAsync(new AuditRecord("deployment.queued", name, address, repo.Name, d.Environment, $"deployment #{id}",
                DeploymentStatus.AwaitingApproval, DeploymentStatus.Queued, $"{approvals} of {request.RequiredApprovals} approvals"), ct);
            feed.Publish(id, DeploymentStatus.Queued);
        }
        return null;
    }

    /// <summary>Rejects with a required comment: the request ends as rejected.</summary>
    public async Task<string?> RejectAsync(ClaimsPrincipal user, long id, string? comment, string? address = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(comment)) return "A rejection needs a comment that says why.";
        var (can, reason) = await CanDecideAsync(user, id, ct);
        if (!can) return reason;
        var name = user.Identity!.Name!;
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Approvals.Add(new ApprovalEntity { DeploymentId = id, User = name, Approved = false, Comment = comment.Trim(), CreatedUtc = DateTime.UtcNow });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return "You have already decided on this request.";
        }
        var ended = await db.Deployments.Where(x => x.Id == id && x.Status == DeploymentStatus.AwaitingApproval)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, DeploymentStatus.Rejected).SetProperty(x => x.FinishedUtc, DateTime.UtcNow), ct);
        if (ended == 0) return $"#{id} no longer waits for approvals.";
        await db.DeploymentRequests.Where(x => x.DeploymentId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Outcome, $"Rejected by {name}: {comment.Trim()}"), ct);
        var d = await db.Deployments.AsNoTracking().FirstAsync(x => x.Id == id, ct);
        var repo = await db.Repositories.AsNoTracking().FirstAsync(r => r.Id == d.RepositoryId, ct);
        await audit.RecordAsync(new AuditRecord("approval.rejected", name, address, repo.Name, d.Environment, $"deployment #{id}",
            DeploymentStatus.AwaitingApproval, DeploymentStatus.Rejected, comment.Trim()), ct);
        feed.Publish(id, DeploymentStatus.Rejected);
        return null;
    }

    /// <summary>Ends every request whose expiry passed as expired (called on read and every minute). Returns how many.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = DateTime.UtcNow;
        var due = await (from d in db.Deployments
                         join r in db.DeploymentRequests on d.Id equals r.DeploymentId
                         where d.Status == DeploymentStatus.AwaitingApproval && r.ExpiresUtc != null && r.ExpiresUtc < now
                         select d).AsNoTracking().ToListAsync(ct);
        var count = 0;
        foreach (var d in due)
        {
            var ended = await db.Deployments.Where(x => x.Id == d.Id && x.Status == DeploymentStatus.AwaitingApproval)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, DeploymentStatus.Expired).SetProperty(x => x.FinishedUtc, now), ct);
            if (ended == 0) continue;
            count++;
            await db.DeploymentRequests.Where(x => x.DeploymentId == d.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Outcome, "Expired: the approvals did not arrive in time."), ct);
            var repo = await db.Repositories.AsNoTracking().Where(r => r.Id == d.RepositoryId).Select(r => r.Name).FirstAsync(ct);
            await audit.RecordAsync(new AuditRecord("request.expired", null, null, repo, d.Environment, $"deployment #{d.Id}",
                DeploymentStatus.AwaitingApproval, DeploymentStatus.Expired), ct);
            await notifier.NotifyAsync(new Notification(NotificationKinds.RequestExpired, repo, d.Environment, d.Id, d.Commit, d.RequestedBy, "approvals did not arrive in time"), ct);
            feed.Publish(d.Id, DeploymentStatus.Expired);
        }
        return count;
    }

    /// <summary>The requests <paramref name="user"/> may approve now, oldest first.</summary>
    public async Task<List<DeploymentEntity>> InboxAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        await ExpireDueAsync(ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var waiting = await db.Deployments.AsNoTracking().Where(d => d.Status == DeploymentStatus.AwaitingApproval).OrderBy(d => d.Id).Take(200).ToListAsync(ct);
        var mine = new List<DeploymentEntity>();
        foreach (var d in waiting)
            if ((await CanDecideAsync(user, d.Id, ct)).Can) mine.Add(d);
        return mine;
    }

    /// <summary>Everything a request went through, in order.</summary>
    public async Task<List<RequestStep>> StepsAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var d = await db.Deployments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (d is null) return [];
        var request = await db.DeploymentRequests.AsNoTracking().FirstOrDefaultAsync(x => x.DeploymentId == id, ct);
        var steps = new List<RequestStep>
        {
            new(d.RequestedUtc, request?.Kind is { } k && k != RequestKinds.Deploy ? $"requested ({k})" : "requested", d.RequestedBy,
                request is { RequiredApprovals: > 0 } ? $"needs {request.RequiredApprovals} approval(s); snapshot {d.Commit[..10]} + {request.Fingerprint[..Math.Min(12, request.Fingerprint.Length)]}" : null),
        };
        if (request?.OverrideBy is not null) steps.Add(new(d.RequestedUtc, "window overridden", request.OverrideBy, request.OverrideReason));
        foreach (var a in await db.Approvals.AsNoTracking().Where(a => a.DeploymentId == id).OrderBy(a => a.Id).ToListAsync(ct))
            steps.Add(new(a.CreatedUtc, a.Approved ? "approved" : "rejected", a.User, a.Comment.Length > 0 ? a.Comment : null));
        if (request is { RequiredApprovals: > 0 } && d.Status is not (DeploymentStatus.AwaitingApproval or DeploymentStatus.Rejected or DeploymentStatus.Expired)
            && steps.LastOrDefault(x => x.What == "approved") is { } last)
            steps.Add(new(last.AtUtc, "queued", null, "all approvals arrived"));
        if (d.StartedUtc is { } s) steps.Add(new(s, "started", null, null));
        if (d.FinishedUtc is { } f)
            steps.Add(new(f, request?.Outcome is { } o && o.StartsWith("Not started", StringComparison.Ordinal) ? "refused" : d.Status, d.CancelledBy, request?.Outcome));
        return steps.OrderBy(x => x.AtUtc).ToList();
    }
}
