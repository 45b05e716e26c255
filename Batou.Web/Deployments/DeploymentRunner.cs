using Batou.Engine.Api;
using Batou.Web.Data;
using Batou.Web.Git;
using Microsoft.EntityFrameworkCore;

namespace Batou.Web.Deployments;

/// <summary>
/// Runs one claimed deployment through the engine: materialises the commit, streams the engine's events
/// to the live hub and (batched) to the database, and derives the final status from <see cref="DeploymentFinished"/>.
/// A deployment somebody asked to cancel ends cancelled, whatever the engine reports (parallel roots that all
/// finished their current component still make a cancelled deployment). The final update only lands while this
/// process still holds the lease; a deployment interrupted meanwhile (lease lost) stays interrupted.
/// </summary>
public sealed class DeploymentRunner(IServiceScopeFactory scopes, RepositoryCatalog catalog, DeploymentQueue queue, DeploymentLeases leases, LiveHub hub, EngineProcess engine,
    Governance.Approvals.ApprovalGate gate, Batou.Web.Governance.INotifier notifier, ILogger<DeploymentRunner> log)
{
    public async Task RunAsync(long id, CancellationToken shutdown)
    {
        DeploymentEntity d;
        RepositoryEntity? repo;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            d = await db.Deployments.AsNoTracking().FirstAsync(x => x.Id == id, CancellationToken.None);
            repo = await db.Repositories.AsNoTracking().FirstOrDefaultAsync(r => r.Id == d.RepositoryId, CancellationToken.None);
        }
        var running = queue.Register(id);
        var cts = running.Cancel;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cts.Token, shutdown);
        hub.Start(id);
        var roots = new RootTracker();
        var seq = 0;
        DeploymentFinished? finished = null;
        var refusedKeys = new List<DeploymentEvent>();
        await using (var writer = new EventWriter(scopes, id))
        {
            void Emit(DeploymentEvent e)
            {
                var json = EventJson.Serialize(e);
                var live = new LiveEvent(++seq, e.GetType().Name, json);
                roots.Apply(e);
                writer.Add(live);
                hub.Publish(id, live);
                if (e is DeploymentFinished f) finished = f;
                if (e is HostKeyUnknown or HostKeyChanged) refusedKeys.Add(e);
            }
            try
            {
                if (repo is null) throw new GitException("the repository of this deployment no longer exists");
                // the environment's policy once more at the start: its window, and the approved snapshot (commit + fingerprint)
                if (await gate.StartRefusalAsync(d, repo, CancellationToken.None) is { } refusal)
                    Emit(new ErrorRaised(BatouError.Create("Policy", refusal)));
                else
                {
                    // announced only now: a deployment refused at start (window, snapshot) never started
                    await NotifyAsync(d, repo, Batou.Web.Governance.NotificationKinds.DeploymentStarted);
                    var dir = await catalog.PrepareDeployDirectoryAsync(repo, d.Environment, d.Commit, CancellationToken.None);
                    var request = new DeploymentRequest(dir, d.Environment)
                    {
                        Mode = d.Mode == DeploymentModes.Predict ? DeploymentMode.Predict : DeploymentMode.Deploy,
                        Jobs = d.Jobs,
                        Ssh = await SshOptionsAsync(repo),
                        Only = await Governance.Retry.RetrySelection.ForAsync(scopes, id),   // a retry: only the roots that failed or never started
                    };
                    await foreach (var e in engine.RunAsync(request, linked.Token, running.StopNow.Token).WithCancellation(CancellationToken.None))
                        Emit(e);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                log.LogError(e, "Deployment {Id} failed outside the engine", id);
                Emit(new ErrorRaised(BatouError.Create("Dashboard", e.Message)));
            }
            if (finished is null)
                Emit(new DeploymentFinished(false, d.Mode == DeploymentModes.Predict ? DeploymentMode.Predict : DeploymentMode.Deploy, Phase.Load, 1, TimeSpan.Zero, TimeSpan.Zero));
        }
        try
        {
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<Ssh.HostKeyStore>().RecordAsync(refusedKeys, repo?.Name ?? "", d.Environment, id, CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
        {
            log.LogError(e, "Deployment {Id}: the host keys it met could not be stored", id);
        }
        var cancelled = cts.IsCancellationRequested;
        var status = cancelled ? DeploymentStatus.Cancelled
            : finished!.Success ? DeploymentStatus.Succeeded
            : shutdown.IsCancellationRequested ? DeploymentStatus.Interrupted
            : DeploymentStatus.Failed;
        queue.Unregister(id);
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatouDb>();
            await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
            // a cancel request that reached the database but not yet this process's heartbeat still makes it cancelled
            var stored = await db.Deployments.Where(x => x.Id == id && x.Status == DeploymentStatus.Running && x.LeaseOwner == leases.Owner)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Status, x => x.CancelledBy != null ? DeploymentStatus.Cancelled : status)
                    .SetProperty(x => x.FinishedUtc, DateTime.UtcNow)
                    .SetProperty(x => x.LeaseExpiresUtc, (DateTime?)null)
                    .SetProperty(x => x.EventCount, seq)
                    .SetProperty(x => x.ErrorCount, finished!.ErrorCount)
                    .SetProperty(x => x.ChangedCount, roots.ChangedCount), CancellationToken.None);
            if (stored == 1)
            {
                db.DeploymentRoots.AddRange(roots.Results(id));
                await db.SaveChangesAsync(CancellationToken.None);
            }
            else log.LogWarning("Deployment {Id} lost its lease while running; it stays interrupted", id);
            await tx.CommitAsync(CancellationToken.None);
            status = await db.Deployments.Where(x => x.Id == id).Select(x => x.Status).FirstAsync(CancellationToken.None);
        }
        hub.Finish(id, status);
        if (status switch
            {
                DeploymentStatus.Succeeded => Batou.Web.Governance.NotificationKinds.DeploymentSucceeded,
                DeploymentStatus.Failed => Batou.Web.Governance.NotificationKinds.DeploymentFailed,
                DeploymentStatus.Cancelled => Batou.Web.Governance.NotificationKinds.DeploymentCancelled,
                _ => null,
            } is { } kind)
            await NotifyAsync(d, repo, kind);
    }

    /// <summary>The dashboard's ssh client, key and approved host keys for this repository (docs/remote.md).</summary>
    private async Task<SshOptions> SshOptionsAsync(RepositoryEntity repo)
    {
        using var scope = scopes.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Ssh.DeploymentSsh>().ForAsync(repo, CancellationToken.None);
    }

    /// <summary>Previews are not announced: nothing changed. The notifier never fails the deployment.</summary>
    private Task NotifyAsync(DeploymentEntity d, RepositoryEntity? repo, string kind) =>
        d.Mode == DeploymentModes.Predict || repo is null ? Task.CompletedTask
            : notifier.NotifyAsync(new Batou.Web.Governance.Notification(kind, repo.Name, d.Environment, d.Id, d.Commit, d.RequestedBy, d.CancelledBy is { } by ? $"cancelled by {by}" : null), CancellationToken.None);
}
