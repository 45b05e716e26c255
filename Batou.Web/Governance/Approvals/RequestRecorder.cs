using Batou.Web.Data;
using Batou.Web.Deployments;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Approvals;

/// <summary>Stores requests that wait for approvals (a row, no job) and audits and announces every request.</summary>
public sealed class RequestRecorder(ApprovalDbs dbs, IAuditTrail audit, INotifier notifier)
{
    /// <summary>A deployment row in <see cref="DeploymentStatus.AwaitingApproval"/> with its snapshot: no Hangfire job, no lock.</summary>
    public async Task<long> AwaitApprovalAsync(DeployCommand c, DeploymentRequestEntity request, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // a request to deploy: a preview is never gated
        var d = c.ToEntity(DeploymentStatus.AwaitingApproval);
        db.Deployments.Add(d);
        await db.SaveChangesAsync(ct);
        request.DeploymentId = d.Id;
        db.DeploymentRequests.Add(request);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return d.Id;
    }

    public async Task RequestedAsync(long id, RepositoryEntity repo, DeployRequest r, GateDecision decision, CancellationToken ct = default)
    {
        var action = r.Predict ? Identity.AuditActions.PreviewRequested
            : r.Kind == RequestKinds.Deploy ? Identity.AuditActions.DeploymentRequested : $"{r.Kind}.requested";
        await audit.RecordAsync(new AuditRecord(action, r.User, null, repo.Name, r.Environment, $"deployment #{id}",
            After: decision.NeedsApproval ? DeploymentStatus.AwaitingApproval : DeploymentStatus.Queued,
            Detail: $"commit {r.Commit}" + (r.SourceDeploymentId is { } s ? $", from #{s}" : "")), ct);
        if (r.OverrideReason is not null)
            await audit.RecordAsync(new AuditRecord("window.overridden", r.User, null, repo.Name, r.Environment, $"deployment #{id}", Detail: r.OverrideReason), ct);
        if (decision.NeedsApproval)
            await notifier.NotifyAsync(new Notification(NotificationKinds.ApprovalRequested, repo.Name, r.Environment, id, r.Commit, r.User), ct);
    }
}

/// <summary>Ends expired requests every minute (pages also check when they read).</summary>
internal sealed class ApprovalExpiry(ApprovalDesk desk, ILogger<ApprovalExpiry> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var n = await desk.ExpireDueAsync(stoppingToken);
                if (n > 0) log.LogInformation("{Count} approval request(s) expired", n);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Expiring approval requests failed");
            }
        }
    }
}
