using Batou.Web.Data;
using Batou.Web.Deployments;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Governance.Webhooks;

/// <summary>
/// A queued or awaiting-approval deployment cancelled before it started never reaches the runner, which announces
/// the end of every run it starts: this announces <c>deployment.cancelled</c> for it (previews are never announced).
/// </summary>
public static class CancelledBeforeStart
{
    public static async Task NotifyAsync(IServiceProvider services, long id, CancellationToken ct = default)
    {
        var db = services.GetRequiredService<BatouDb>();
        var row = await (from d in db.Deployments.AsNoTracking()
                         join r in db.Repositories on d.RepositoryId equals r.Id
                         where d.Id == id && d.Mode == DeploymentModes.Deploy
                         select new { r.Name, d.Environment, d.Commit, d.RequestedBy, d.CancelledBy }).FirstOrDefaultAsync(ct);
        if (row is null) return;
        await services.GetRequiredService<INotifier>().NotifyAsync(new Notification(NotificationKinds.DeploymentCancelled, row.Name, row.Environment, id,
            row.Commit, row.RequestedBy, $"cancelled by {row.CancelledBy} before it started"), CancellationToken.None);
    }
}
